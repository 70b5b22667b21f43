"""Employer invoices for extra-service fees: numbered gaplessly per year, immutable once issued."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import ImmutableModel
from core.money import MoneyField


class Invoice(ImmutableModel):
    employer = models.ForeignKey(
        "scheduling.Employer",
        verbose_name=_("employer"),
        on_delete=models.PROTECT,
        related_name="invoices",
    )
    number = models.CharField(_("invoice number"), max_length=12, unique=True)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    issued_at = models.DateTimeField(_("issued at"))
    total = MoneyField(_("total (EUR)"))
    # The issuer's details as printed when issued (InvoiceIssuer.as_json), and the due date
    # (issue date + the issuer's payment term). Empty on invoices issued before they existed.
    issuer = models.JSONField(_("issuer as printed"), default=dict, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    # Set once, by a conditional update, when the invoice e-mail went out.
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    # Immutable once issued; only the e-mail claim is recorded later.
    mutable_fields = frozenset({"emailed_at"})
    immutable_message = _("An issued invoice is never changed.")

    class Meta:
        ordering = ["-year", "-sequence"]
        constraints = [
            models.UniqueConstraint(fields=["year", "sequence"], name="invoice_number_per_year"),
            models.UniqueConstraint(
                fields=["employer", "period_start"], name="invoice_one_per_employer_period"
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end")), name="invoice_period_valid"
            ),
        ]
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")

    def __str__(self):
        return self.number


class InvoiceLine(ImmutableModel):
    """One worker and one extra service on an invoice (charges net of credits), or one other
    item (an ``ItemFeeLine`` source, e.g. a place on an activity) net of its credit."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="lines")
    # Empty on a line for another item than a visit (ItemFeeLine): its description says what.
    client = models.ForeignKey(
        "scheduling.Client",
        verbose_name=_("worker"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    service = models.ForeignKey(
        "scheduling.ServiceType",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.CharField(_("description"), max_length=300)
    po_reference = models.CharField(_("purchase-order reference"), max_length=100, blank=True)
    quantity = models.IntegerField(_("quantity"))
    amount = MoneyField(_("amount (EUR)"))
    position = models.PositiveIntegerField(_("position"))

    class Meta:
        ordering = ["invoice", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["invoice", "position"], name="invoiceline_position_unique"
            )
        ]
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")

    def __str__(self):
        return f"{self.invoice_id}/{self.position} {self.description}"
