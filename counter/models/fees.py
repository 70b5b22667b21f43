"""Fees for extra services: effective-dated tariffs, fee lines (credited, never edited) and
the closing of a visit, after which its fee lines are locked.

Government services are free (Gemeentewet): the model, the service, the admin and, through
a trigger, the database refuse a tariff or fee line on a government service.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import ImmutableModel
from core.money import MoneyField
from counter.errors import CounterError
from scheduling.constants import ServiceKind

# The rule's text, shown wherever a fee on a government service is refused.
GOVERNMENT_FREE_MESSAGE = _(
    "%(service)s is a government service and is free of charge (Gemeentewet): "
    "no tariff or fee may be attached to it."
)


def government_fee_error(service) -> ValidationError | None:
    """The error for a fee on ``service``, or None when a fee is allowed (extra services)."""
    if service is not None and service.kind != ServiceKind.EXTRA:
        return ValidationError(
            GOVERNMENT_FREE_MESSAGE,
            code=CounterError.GOVERNMENT_SERVICE_FREE,
            params={"service": service.localized_name()},
        )
    return None


class Tariff(ImmutableModel):
    """The fee of one extra service over a date range (valid_to inclusive, open when empty)."""

    service = models.ForeignKey(
        "scheduling.ServiceType",
        verbose_name=_("extra service"),
        on_delete=models.PROTECT,
        related_name="tariffs",
    )
    amount = MoneyField(_("amount (EUR)"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    # Once used, a tariff is only ended (a new tariff takes over), never edited.
    mutable_fields = frozenset({"valid_to"})
    immutable_message = _("A tariff in use is never edited: create a new tariff.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["service", "-valid_from"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="tariff_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="tariff_range_valid",
            ),
            # PostgreSQL also has an exclusion constraint (tariff_no_overlap, migration 0002).
        ]
        verbose_name = _("tariff")
        verbose_name_plural = _("tariffs")

    def __str__(self):
        end = self.valid_to.isoformat() if self.valid_to else "…"
        return f"{self.service_id}: EUR {self.amount} ({self.valid_from.isoformat()} – {end})"

    def clean(self):
        if self.service_id:
            error = government_fee_error(self.service)
            if error:
                raise ValidationError({"service": error})

    @property
    def is_used(self) -> bool:
        return self.pk is not None and self.fee_lines.exists()

    def is_frozen(self) -> bool:
        """A tariff nobody was charged yet may still be corrected; once used, only ended."""
        return self.is_used


class VisitClosure(models.Model):
    """A visit (appointment) closed by the back-office: its fee lines are locked."""

    appointment = models.OneToOneField(
        "scheduling.Appointment", on_delete=models.PROTECT, related_name="counter_closure"
    )
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("visit closure")
        verbose_name_plural = _("visit closures")

    def __str__(self):
        return f"{self.appointment_id} closed {self.closed_at:%Y-%m-%d %H:%M}"


class FeeLineBase(ImmutableModel):
    """What a visit's fee line and an other item's fee line share: the amount, the credit of
    an earlier line (negative, with a reason), the invoice it is put on once (a correction is
    a credit line) and who wrote it when. Each model declares its own ``invoice`` field, as
    each has its own name on the invoice (``fee_lines``, ``item_fee_lines``)."""

    amount = MoneyField(_("amount (EUR)"))
    credit_of = models.OneToOneField(
        "self",
        verbose_name=_("credit of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="credit",
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    # Set once when the line is invoiced; a correction is a credit line.
    mutable_fields = frozenset({"invoice"})
    immutable_message = _("A fee line is never edited: add a credit line instead.")

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["payer_employer", "invoice", "created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(credit_of__isnull=True) & Q(amount__gte=0))
                | (Q(credit_of__isnull=False) & Q(amount__lte=0) & ~Q(reason="")),
                name="%(class)s_charge_positive_credit_negative",
            ),
        ]

    @property
    def is_credit(self) -> bool:
        return self.credit_of_id is not None


class FeeLine(FeeLineBase):
    """One extra service charged on a visit, or a credit (negative) of an earlier line."""

    appointment = models.ForeignKey(
        "scheduling.Appointment",
        verbose_name=_("visit"),
        on_delete=models.PROTECT,
        related_name="fee_lines",
    )
    service = models.ForeignKey(
        "scheduling.ServiceType",
        verbose_name=_("extra service"),
        on_delete=models.PROTECT,
        related_name="fee_lines",
    )
    tariff = models.ForeignKey(
        Tariff, verbose_name=_("tariff"), on_delete=models.PROTECT, related_name="fee_lines"
    )
    payer_employer = models.ForeignKey(
        "scheduling.Employer",
        verbose_name=_("paid by employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fee_lines",
    )
    payer_client = models.ForeignKey(
        "scheduling.Client",
        verbose_name=_("paid by the client"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fee_lines",
    )
    invoice = models.ForeignKey(
        "counter.Invoice",
        verbose_name=_("invoice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fee_lines",
    )

    class Meta(FeeLineBase.Meta):
        constraints = [
            *FeeLineBase.Meta.constraints,
            models.CheckConstraint(
                condition=(Q(payer_employer__isnull=False) & Q(payer_client__isnull=True))
                | (Q(payer_employer__isnull=True) & Q(payer_client__isnull=False)),
                name="feeline_exactly_one_payer",
            ),
        ]
        verbose_name = _("fee line")
        verbose_name_plural = _("fee lines")

    def __str__(self):
        return f"{self.appointment_id} {self.service_id} EUR {self.amount}"

    def clean(self):
        if self.service_id:
            error = government_fee_error(self.service)
            if error:
                raise ValidationError({"service": error})

    @property
    def payer(self):
        return self.payer_employer or self.payer_client


class ItemFeeLine(FeeLineBase):
    """A fee charged to an employer for something other than a visit (for example a place on
    an activity), or a credit (negative) of an earlier line. The app that charges it names it
    by an opaque ``source`` key (e.g. ``activities.participant:17``); counter knows no more of
    it than the description and the amount, and puts it on the employer's monthly invoice."""

    payer_employer = models.ForeignKey(
        "scheduling.Employer",
        verbose_name=_("paid by employer"),
        on_delete=models.PROTECT,
        related_name="item_fee_lines",
    )
    source = models.CharField(_("source"), max_length=80)
    description = models.CharField(_("description"), max_length=300)
    po_reference = models.CharField(_("purchase-order reference"), max_length=100, blank=True)
    service_date = models.DateField(_("date of the service"))
    invoice = models.ForeignKey(
        "counter.Invoice",
        verbose_name=_("invoice"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="item_fee_lines",
    )

    class Meta(FeeLineBase.Meta):
        constraints = [
            *FeeLineBase.Meta.constraints,
            models.UniqueConstraint(
                fields=["source"],
                condition=Q(credit_of__isnull=True),
                name="itemfeeline_one_charge_per_source",
            ),
        ]
        verbose_name = _("fee line (other item)")
        verbose_name_plural = _("fee lines (other items)")

    def __str__(self):
        return f"{self.source} EUR {self.amount}"
