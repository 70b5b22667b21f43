"""Issuer and payment details of an organisation that sends money documents (docs/settlement.md,
"Issuer and payment details"): the one abstract model and its validators.

Counter's ``InvoiceIssuer`` (the organisation that operates BMIP and invoices employers) and
settlement's ``MunicipalityPaymentDetails`` (a municipality that issues or receives on a
statement) both build on ``OrganisationDetails``. IBAN, BIC and VAT numbers are checked with
python-stdnum; they are stored compact and upper case, and printed in groups of four.
"""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.eu import vat as stdnum_vat

DEFAULT_PAYMENT_TERM_DAYS = 30
KVK_RE = re.compile(r"^[0-9]{8}$")


def validate_iban(value: str) -> None:
    if not stdnum_iban.is_valid(value or ""):
        raise ValidationError(_("Enter a valid IBAN (e.g. NL91 ABNA 0417 1643 00)."), code="iban")


def validate_bic(value: str) -> None:
    if value and not stdnum_bic.is_valid(value):
        raise ValidationError(_("Enter a valid BIC (8 or 11 characters)."), code="bic")


def validate_vat(value: str) -> None:
    if value and not stdnum_vat.is_valid(value):
        raise ValidationError(_("Enter a valid VAT number (e.g. NL000099998B57)."), code="vat")


def validate_kvk(value: str) -> None:
    if value and not KVK_RE.match(value):
        raise ValidationError(_("A KvK number has eight digits."), code="kvk")


def iban_display(value: str) -> str:
    """``NL91ABNA0417164300`` -> ``NL91 ABNA 0417 1643 00`` (how it is printed)."""
    return stdnum_iban.format(value) if value else ""


def due_date(issue_date: dt.date, term_days: int | None) -> dt.date:
    """Issue date + payment term (calendar days)."""
    days = DEFAULT_PAYMENT_TERM_DAYS if term_days is None else term_days
    return issue_date + dt.timedelta(days=days)


class OrganisationDetails(models.Model):
    """Who issues a money document and where it is paid: name, address, registrations, bank."""

    legal_name = models.CharField(_("name on documents"), max_length=150)
    address = models.TextField(
        _("address"), max_length=300, help_text=_("Street and number, postcode and city.")
    )
    kvk_number = models.CharField(
        _("KvK number"), max_length=8, blank=True, validators=[validate_kvk]
    )
    vat_number = models.CharField(
        _("VAT number"), max_length=20, blank=True, validators=[validate_vat]
    )
    iban = models.CharField(_("IBAN"), max_length=34, validators=[validate_iban])
    bic = models.CharField(_("BIC"), max_length=11, blank=True, validators=[validate_bic])
    payment_term_days = models.PositiveSmallIntegerField(
        _("payment term (days)"),
        default=DEFAULT_PAYMENT_TERM_DAYS,
        validators=[MinValueValidator(0), MaxValueValidator(365)],
        help_text=_("Due date = issue date + this number of days."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        self.iban = stdnum_iban.compact(self.iban or "")
        self.bic = stdnum_bic.compact(self.bic or "")
        self.vat_number = stdnum_vat.compact(self.vat_number or "") if self.vat_number else ""

    @property
    def iban_display(self) -> str:
        return iban_display(self.iban)

    def due_date(self, issue_date: dt.date) -> dt.date:
        return due_date(issue_date, self.payment_term_days)

    def as_json(self) -> dict:
        """A snapshot as printed on a document (stored with an issued invoice)."""
        return {
            "name": self.legal_name,
            "address": self.address,
            "kvk_number": self.kvk_number,
            "vat_number": self.vat_number,
            "iban": self.iban,
            "bic": self.bic,
            "payment_term_days": self.payment_term_days,
        }
