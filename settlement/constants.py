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
