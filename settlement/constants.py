"""Choices of the settlement app (translated labels; the values are stored)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SettlementLineKind(models.TextChoices):
    CHARGE = "charge", _("Registration charge")
    REVERSAL = "reversal", _("Reversal of a voided registration")
    CONTRIBUTION = "contribution", _("Yearly contribution per inhabitant")


class AgreementModel(models.TextChoices):
    PER_REGISTRATION = "per_registration", _("Fixed amount per registration")
    PER_INHABITANT = "per_inhabitant", _("Yearly contribution per inhabitant")


class PeriodGranularity(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")


class PaymentStatus(models.TextChoices):
    NOTHING_DUE = "nothing_due", _("Nothing to pay")
    OPEN = "open", _("Open")
    PARTIALLY_PAID = "partially_paid", _("Partially paid")
    PAID = "paid", _("Paid")


# The direction of a line on a statement, seen from the statement's municipality (the values
# are the CSV's ``direction`` column; the labels are printed).
DIRECTION_LABELS = {"receivable": _("receivable"), "payable": _("payable")}


def line_label(kind: str, registration_kind: str = "") -> str:
    """A statement line as printed: "Registration BRP", "Reversal of registration RNI",
    "Contribution per inhabitant" (translated)."""
    code = (registration_kind or "").upper()
    if kind == SettlementLineKind.CHARGE:
        return str(_("Registration %(kind)s") % {"kind": code}).strip()
    if kind == SettlementLineKind.REVERSAL:
        return str(_("Reversal of registration %(kind)s") % {"kind": code}).strip()
    return str(_("Contribution per inhabitant"))


def line_label_short(kind: str, registration_kind: str = "") -> str:
    """A statement line in the PDF's detail listing, where every character of a thousand
    lines costs render time: "BRP", "Reversal RNI", "Contribution" (translated; the statement's
    web page shows the full ``line_label``)."""
    code = (registration_kind or "").upper()
    if kind == SettlementLineKind.CHARGE:
        return code or str(_("Registration"))
    if kind == SettlementLineKind.REVERSAL:
        return str(_("Reversal %(kind)s") % {"kind": code}).strip()
    return str(_("Contribution"))
