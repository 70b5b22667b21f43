"""Who pays the desk's extra service, per region and effective-dated (``core.effective``).

- ``employer``: the employer (or a self-employed client) pays the tariff: a ``FeeLine`` on the
  monthly invoice (the behaviour before financing variants existed, and the default when a
  region has no choice in force);
- ``government_split``: the government parties pay the tariff: 50% state, 25% province,
  25% municipalities (shares configurable), the municipal share pro rata by population of the
  region's municipalities or to the client's municipality of residence;
- ``state_per_newcomer``: the state pays a fixed amount per registered newcomer (a completed
  BRP/RNI registration); the extra services themselves cost nobody anything.

Under the two government variants the extra service taken is a ``FundedService`` (not on any
invoice); settlement turns it (or the registration) into claim lines.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import ImmutableModel
from core.money import MoneyField


class FinancingVariant(models.TextChoices):
    EMPLOYER = "employer", _("Employer pays the fee per service")
    GOVERNMENT_SPLIT = (
        "government_split",
        _("Government parties pay (state, province, municipalities)"),
    )
    STATE_PER_NEWCOMER = (
        "state_per_newcomer",
        _("State pays a fixed amount per registered newcomer"),
    )


class MunicipalBasis(models.TextChoices):
    POPULATION = "population", _("Pro rata by population of the region's municipalities")
    RESIDENCE = "residence", _("The client's municipality of residence")


GOVERNMENT_VARIANTS = (FinancingVariant.GOVERNMENT_SPLIT, FinancingVariant.STATE_PER_NEWCOMER)


class FinancingChoice(ImmutableModel):
    """The financing variant of a region's extra service over a date range (valid_to
    inclusive, open when empty). Never edited: a new choice from X ends the open one at X-1."""

    region = models.ForeignKey(
        "scheduling.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="financing_choices",
    )
    variant = models.CharField(
        _("financing variant"), max_length=20, choices=FinancingVariant.choices
    )
    municipal_basis = models.CharField(
        _("municipal share"),
        max_length=12,
        choices=MunicipalBasis.choices,
        default=MunicipalBasis.POPULATION,
    )
    state_percent = models.PositiveSmallIntegerField(_("state share (%)"), default=50)
    province_percent = models.PositiveSmallIntegerField(_("province share (%)"), default=25)
    municipalities_percent = models.PositiveSmallIntegerField(
        _("municipalities' share (%)"), default=25
    )
    amount_per_newcomer = MoneyField(
        _("amount per registered newcomer (EUR)"), default=Decimal("50.00")
    )
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    mutable_fields = frozenset({"valid_to"})
    immutable_message = _("A financing choice is never edited: add a new one from a later date.")

    class Meta:
        ordering = ["region", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="financing_range_valid",
            ),
            models.CheckConstraint(
                condition=Q(state_percent__lte=100)
                & Q(province_percent__lte=100)
                & Q(municipalities_percent__lte=100),
                name="financing_shares_percent",
            ),
            models.CheckConstraint(
                condition=Q(amount_per_newcomer__gte=0), name="financing_amount_not_negative"
            ),
        ]
        verbose_name = _("financing choice")
        verbose_name_plural = _("financing choices")

    def __str__(self):
        end = self.valid_to.isoformat() if self.valid_to else "…"
        return (
            f"{self.region}: {self.get_variant_display()} ({self.valid_from.isoformat()} – {end})"
        )

    @property
    def shares(self) -> list[int]:
        return [self.state_percent, self.province_percent, self.municipalities_percent]


class FundedService(ImmutableModel):
    """An extra service taken on a visit under a government variant: on no invoice. Under
    ``government_split`` its ``amount`` (the tariff of the visit date) is claimed from the
    government parties; under ``state_per_newcomer`` it is 0.00 (the state pays per newcomer)."""

    appointment = models.ForeignKey(
        "scheduling.Appointment",
        verbose_name=_("visit"),
        on_delete=models.PROTECT,
        related_name="funded_services",
    )
    service = models.ForeignKey(
        "scheduling.ServiceType",
        verbose_name=_("extra service"),
        on_delete=models.PROTECT,
        related_name="funded_services",
    )
    financing = models.ForeignKey(
        FinancingChoice,
        verbose_name=_("financing choice"),
        on_delete=models.PROTECT,
        related_name="funded_services",
    )
    tariff = models.ForeignKey(
        "counter.Tariff",
        verbose_name=_("tariff"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="funded_services",
    )
    amount = MoneyField(_("amount claimed (EUR)"))
    service_date = models.DateField(_("date of the service"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    # Voiding (counter.services.financing.funded_service_void) sets these once; the amount
    # stays: settlement answers a claimed service with credit lines in the next claim.
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    void_reason = models.CharField(_("reason for voiding"), max_length=200, blank=True)

    mutable_fields = frozenset({"voided_at", "voided_by", "void_reason"})
    immutable_message = _("A funded service is never edited: void it.")

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One valid per visit and service; a voided one stays as history, so the extra
            # service can be taken again after a void (like record_one_valid_per_leg).
            models.UniqueConstraint(
                fields=["appointment", "service"],
                condition=Q(voided_at__isnull=True),
                name="funded_service_one_valid_per_visit",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="funded_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | ~Q(void_reason=""),
                name="funded_void_has_reason",
            ),
        ]
        verbose_name = _("funded extra service")
        verbose_name_plural = _("funded extra services")

    def __str__(self):
        return (
            f"{self.appointment_id} {self.service_id} EUR {self.amount} ({self.financing.variant})"
        )
