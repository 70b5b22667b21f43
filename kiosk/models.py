"""The queue on top of appointments: numbered tickets, the calls at counters, and policy."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kiosk.constants import (
    DEFAULT_EARLY_MINUTES,
    DEFAULT_LATE_MINUTES,
    DEFAULT_PRIORITY_WINDOW_MINUTES,
    CallAction,
    TicketPriority,
    TicketState,
)


class KioskSettings(models.Model):
    """Check-in windows and kiosk options of one location (defaults apply without a row)."""

    location = models.OneToOneField(
        "scheduling.Location", on_delete=models.CASCADE, related_name="kiosk_settings"
    )
    early_minutes = models.PositiveSmallIntegerField(
        _("check-in opens (minutes before the appointment)"), default=DEFAULT_EARLY_MINUTES
    )
    late_minutes = models.PositiveSmallIntegerField(
        _("late after (minutes past the appointment)"),
        default=DEFAULT_LATE_MINUTES,
        help_text=_(
            "A later arrival gets a number held for the reception, which admits them behind "
            "the people on time, serves them as a walk-in or marks a no-show."
        ),
    )
    priority_window_minutes = models.PositiveSmallIntegerField(
        _("booked visits go first from (minutes before their leg)"),
        default=DEFAULT_PRIORITY_WINDOW_MINUTES,
    )
    kiosk_walk_ins = models.BooleanField(
        _("walk-ins at the kiosk"),
        default=False,
        help_text=_("Let people take a walk-in number at the kiosk without a receptionist."),
    )

    class Meta:
        verbose_name = _("kiosk settings")
        verbose_name_plural = _("kiosk settings")

    def __str__(self):
        return f"{self.location}"


class WalkInPolicy(models.Model):
    """Walk-ins are allowed for a service at a location, up to a daily cap (computed)."""

    location = models.ForeignKey(
        "scheduling.Location", on_delete=models.CASCADE, related_name="walk_in_policies"
    )
    service = models.ForeignKey(
        "scheduling.ServiceType", on_delete=models.CASCADE, related_name="walk_in_policies"
    )
    daily_cap = models.PositiveSmallIntegerField(_("walk-ins per day"))
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["location", "service__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "service"], name="walkinpolicy_one_per_service"
            )
        ]
        verbose_name = _("walk-in policy")
        verbose_name_plural = _("walk-in policies")

    def __str__(self):
        return f"{self.location} / {self.service_id}: {self.daily_cap}"


class QueueTicket(models.Model):
    """One number for one visit on one day; it follows the person through all legs."""

    location = models.ForeignKey(
        "scheduling.Location", on_delete=models.PROTECT, related_name="queue_tickets"
    )
    service_date = models.DateField(_("day"))
    prefix = models.CharField(_("prefix"), max_length=1)
    number = models.PositiveIntegerField(_("number"))
    code = models.CharField(_("number shown"), max_length=8)
    appointment = models.OneToOneField(
        "scheduling.Appointment", on_delete=models.PROTECT, related_name="queue_ticket"
    )
    # The booking whose late scan produced this walk-in (repeated scans find the ticket).
    booked_appointment = models.OneToOneField(
        "scheduling.Appointment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="late_queue_ticket",
    )
    priority = models.PositiveSmallIntegerField(_("priority"), choices=TicketPriority.choices)
    state = models.CharField(
        _("state"), max_length=8, choices=TicketState.choices, default=TicketState.WAITING
    )
    leg = models.ForeignKey(
        "scheduling.Leg",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The leg the person is queuing for or being served in."),
    )
    counter = models.ForeignKey(
        "scheduling.Counter",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="queue_tickets",
    )
    issued_at = models.DateTimeField(_("issued"))
    waiting_since = models.DateTimeField(_("waiting since"))
    called_at = models.DateTimeField(_("called"), null=True, blank=True)
    serving_at = models.DateTimeField(_("service started"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    recalls = models.PositiveSmallIntegerField(_("recalls"), default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["service_date", "prefix", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["location", "service_date", "prefix", "number"],
                name="queueticket_number_unique",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="queueticket_number_positive"),
        ]
        indexes = [
            models.Index(fields=["location", "service_date", "state"]),
            models.Index(fields=["counter", "state"]),
        ]
        verbose_name = _("queue ticket")
        verbose_name_plural = _("queue tickets")

    def __str__(self):
        return self.code

    @property
    def is_walk_in(self) -> bool:
        return self.priority == TicketPriority.WALK_IN


class CallEvent(models.Model):
    """Append-only journal of what happened to a ticket at a counter (undo reads it)."""

    ticket = models.ForeignKey(QueueTicket, on_delete=models.PROTECT, related_name="events")
    counter = models.ForeignKey(
        "scheduling.Counter", on_delete=models.PROTECT, related_name="call_events"
    )
    leg = models.ForeignKey(
        "scheduling.Leg", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(_("action"), max_length=8, choices=CallAction.choices)
    undoes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="undone_by"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), db_index=True)
    # For calls: how long the person waited for this leg (waiting time KPI).
    wait_seconds = models.PositiveIntegerField(_("waited (seconds)"), null=True, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("call event")
        verbose_name_plural = _("call events")

    def __str__(self):
        return f"{self.ticket} {self.action} @ {self.counter_id}"


class KioskDevice(models.Model):
    """A kiosk or display paired by a coordinator to one location.

    The coordinator adds the device in the admin and reads a one-time pairing code (valid
    ``KIOSK_PAIRING_MINUTES``); the device exchanges it at /kiosk/pair/ for a long random
    secret kept in a cookie (or sent as the ``X-Kiosk-Device`` header). Only SHA-256 hashes of
    the code and the secret are stored. Revoking the device ends its access at once.
    """

    location = models.ForeignKey(
        "scheduling.Location", on_delete=models.CASCADE, related_name="kiosk_devices"
    )
    name = models.CharField(_("name"), max_length=100)
    pairing_code_hash = models.CharField(max_length=64, blank=True, db_index=True)
    pairing_expires_at = models.DateTimeField(_("pairing code valid until"), null=True, blank=True)
    secret_hash = models.CharField(max_length=64, blank=True, db_index=True)
    paired_at = models.DateTimeField(_("paired at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("kiosk device")
        verbose_name_plural = _("kiosk devices")

    def __str__(self):
        return f"{self.name} ({self.location})"
