"""Group bookings, combined appointments and their legs."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.codes import random_code
from scheduling.constants import (
    AppointmentSource,
    AppointmentStatus,
    GroupBookingStatus,
    LegState,
)

# No 0/O, 1/I/L: codes are read aloud and typed at the kiosk.
BOOKING_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
BOOKING_CODE_LENGTH = 8


def new_booking_code() -> str:
    return random_code(BOOKING_CODE_ALPHABET, BOOKING_CODE_LENGTH)


class GroupBooking(models.Model):
    employer = models.ForeignKey(
        "scheduling.Employer", on_delete=models.PROTECT, related_name="group_bookings"
    )
    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_booking_code
    )
    po_reference = models.CharField(_("purchase-order reference"), max_length=100, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=GroupBookingStatus.choices,
        default=GroupBookingStatus.HELD,
    )
    location = models.ForeignKey(
        "scheduling.Location", null=True, blank=True, on_delete=models.PROTECT
    )
    region = models.ForeignKey("scheduling.Region", null=True, blank=True, on_delete=models.PROTECT)
    bus_visit = models.ForeignKey(
        "scheduling.BusVisit", null=True, blank=True, on_delete=models.PROTECT
    )
    date_from = models.DateField(_("from"))
    date_to = models.DateField(_("to"))
    hold_expires_at = models.DateTimeField(_("hold expires at"), null=True, blank=True)
    # Places held for a waitlist offer (placeholder visits): not the employer's booking, so
    # it stays out of the portal; accepting the offer books the real workers in a new group.
    waitlist_hold = models.BooleanField(_("waitlist hold"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        # An employer's groups newest first (portal, API list) read a page, not all of them.
        indexes = [models.Index(fields=["employer", "-created_at", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_from__lte=F("date_to")), name="groupbooking_range_valid"
            )
        ]
        verbose_name = _("group booking")
        verbose_name_plural = _("group bookings")

    def __str__(self):
        return f"{self.reference} ({self.employer})"


class Appointment(models.Model):
    """One visit of one client: a chain of legs at one location (or bus visit)."""

    client = models.ForeignKey(
        "scheduling.Client", on_delete=models.PROTECT, related_name="appointments"
    )
    location = models.ForeignKey(
        "scheduling.Location", on_delete=models.PROTECT, related_name="appointments"
    )
    bus_visit = models.ForeignKey(
        "scheduling.BusVisit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    group_booking = models.ForeignKey(
        GroupBooking,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    booking_code = models.CharField(
        _("booking code"), max_length=12, unique=True, default=new_booking_code
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.BOOKED,
    )
    source = models.CharField(
        _("source"),
        max_length=8,
        choices=AppointmentSource.choices,
        default=AppointmentSource.BOOKED,
    )
    # First leg start and last leg end, kept by the booking services (null for walk-ins).
    start = models.DateTimeField(_("start"), null=True, blank=True, db_index=True)
    end = models.DateTimeField(_("end"), null=True, blank=True)
    # ICS SEQUENCE, bumped on every reschedule/cancel.
    sequence = models.PositiveIntegerField(default=0)
    # Bumped when older ticket tokens must stop working (reschedule, cancel).
    token_version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["start", "pk"]
        indexes = [
            models.Index(fields=["location", "start"]),
            # Walk-ins (no start) of a day: "Today's visits" reads them by creation time, for
            # one location (officer) or all (coordinator): creation time leads.
            models.Index(
                fields=["created_at", "location"],
                condition=Q(start__isnull=True),
                name="appointment_walk_in_day",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(start__lt=F("end")),
                name="appointment_start_before_end",
            )
        ]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")

    def __str__(self):
        return self.booking_code

    @property
    def is_cancelled(self) -> bool:
        return self.status == AppointmentStatus.CANCELLED


class Leg(models.Model):
    """One service of a visit, on one counter, at one time. The state is the shared fact that
    kiosk (queue) and counter (records) both read; it lives here so neither imports the other."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="legs")
    position = models.PositiveSmallIntegerField(_("position"))
    service = models.ForeignKey(
        "scheduling.ServiceType", on_delete=models.PROTECT, related_name="legs"
    )
    counter = models.ForeignKey(
        "scheduling.Counter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="legs",
        help_text=_("Planned counter; empty for walk-in legs until called."),
    )
    start = models.DateTimeField(_("start"), null=True, blank=True)
    end = models.DateTimeField(_("end"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=LegState.choices, default=LegState.PLANNED
    )
    served_counter = models.ForeignKey(
        "scheduling.Counter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="served_legs",
        help_text=_("The counter that actually served this leg."),
    )
    started_at = models.DateTimeField(_("service started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("service finished"), null=True, blank=True)

    class Meta:
        ordering = ["appointment", "position"]
        indexes = [
            # Availability reads legs by counter and time; the extra columns make that an
            # index-only scan (no table lookups for thousands of legs).
            models.Index(
                fields=["counter", "start", "end", "state", "appointment"],
                name="leg_counter_start_cover",
            ),
            models.Index(fields=["start"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["appointment", "position"], name="leg_position_unique"),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(start__lt=F("end")),
                name="leg_start_before_end",
            ),
        ]
        verbose_name = _("leg")
        verbose_name_plural = _("legs")

    def __str__(self):
        return f"{self.appointment_id}#{self.position} {self.service_id}"
