"""Activities (welcome and introduction days, career events, courses), their sessions, the
effective-dated fee per person, and registrations of groups of participants.

Capacity is computed (capacity minus the confirmed participants of a session), never a
counter that goes down; the registration service re-counts under the session's row lock.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from activities.constants import (
    ActivityKind,
    ActivityPayer,
    Attendance,
    ParticipantKind,
    RegistrationState,
)
from core.models import ImmutableModel
from core.money import MoneyField


class Activity(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=ActivityKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    payer = models.CharField(
        _("who pays"), max_length=20, choices=ActivityPayer.choices, default=ActivityPayer.EMPLOYER
    )
    free_cancellation_days = models.PositiveSmallIntegerField(
        _("free cancellation until (days before)"),
        default=7,
        help_text=_("Cancelling earlier than this many days before the session is free."),
    )

    class Meta:
        ordering = ["title"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self):
        return self.title


class ActivityFee(ImmutableModel):
    """The fee per person of an activity over a date range (valid_to inclusive, open when
    empty); may be zero. Never edited once used: a new fee ends the open one (core.effective)."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="fees")
    adult_amount = MoneyField(_("fee per adult (EUR)"))
    child_amount = MoneyField(_("fee per child (EUR)"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    mutable_fields = frozenset({"valid_to"})
    immutable_message = _("A fee is never edited: create a new fee.")

    class Meta:
        ordering = ["activity", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(adult_amount__gte=0) & Q(child_amount__gte=0),
                name="activityfee_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="activityfee_range_valid",
            ),
        ]
        verbose_name = _("activity fee")
        verbose_name_plural = _("activity fees")

    def __str__(self):
        return f"{self.activity}: {self.adult_amount}/{self.child_amount} from {self.valid_from}"


class Session(models.Model):
    """One occurrence of an activity. ``location`` is the desk or the bus that holds it (and
    whose staff check people in at the door); ``address`` when it is held elsewhere."""

    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    location = models.ForeignKey(
        "scheduling.Location",
        verbose_name=_("desk or bus"),
        on_delete=models.PROTECT,
        related_name="activity_sessions",
    )
    address = models.CharField(
        _("other address"),
        max_length=300,
        blank=True,
        help_text=_("Leave empty when the session is at the desk or the bus itself."),
    )
    languages = models.CharField(
        _("languages"), max_length=100, blank=True, help_text=_("Language codes, e.g. nl,en,pl.")
    )
    capacity = models.PositiveIntegerField(_("capacity (persons)"))
    minimum_age = models.PositiveSmallIntegerField(_("minimum age"), default=0)
    partners_allowed = models.BooleanField(_("partners may come"), default=False)
    children_allowed = models.BooleanField(_("children may come"), default=False)

    class Meta:
        ordering = ["date", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_time__gt=F("start_time")), name="session_ends_after_start"
            ),
        ]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        return f"{self.activity} {self.date.isoformat()} {self.start_time:%H:%M}"

    @property
    def place(self) -> str:
        if self.address:
            return self.address
        return ", ".join(p for p in [self.location.name, self.location.full_address] if p)

    @property
    def language_list(self) -> list[str]:
        return [code.strip() for code in self.languages.split(",") if code.strip()]


class Registration(models.Model):
    """A group registered together (all or nothing): by an employer, or one person (with
    family) registered by desk staff. ``reference`` is random, not personal data."""

    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="registrations")
    reference = models.CharField(_("reference"), max_length=12, unique=True)
    employer = models.ForeignKey(
        "scheduling.Employer",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activity_registrations",
    )
    state = models.CharField(
        _("state"), max_length=12, choices=RegistrationState.choices, db_index=True
    )
    payer = models.CharField(_("who pays"), max_length=20, choices=ActivityPayer.choices)
    po_reference = models.CharField(_("purchase-order reference"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    created_at = models.DateTimeField(_("registered at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["session", "state", "created_at"])]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")

    def __str__(self):
        return self.reference


class Participant(models.Model):
    """One person of a registration. ``code`` is the random ticket code in the QR token."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="participants"
    )
    session = models.ForeignKey(Session, on_delete=models.PROTECT, related_name="participants")
    code = models.CharField(_("ticket code"), max_length=12, unique=True)
    token_version = models.PositiveIntegerField(default=1)
    kind = models.CharField(_("kind"), max_length=10, choices=ParticipantKind.choices)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    fee = MoneyField(_("fee (EUR)"), default=0)
    attendance = models.CharField(
        _("attendance"), max_length=10, choices=Attendance.choices, default=Attendance.EXPECTED
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["registration", "pk"]
        indexes = [models.Index(fields=["session", "attendance"])]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def is_child(self) -> bool:
        return self.kind == ParticipantKind.CHILD

    @property
    def fee_source(self) -> str:
        return f"activities.participant:{self.pk}"


class Receipt(ImmutableModel):
    """The receipt of a registration its participants paid themselves (at the desk or the
    door): numbered gaplessly per year (``YYYY-Rnnnnn``, ``core.sequences``), written once.
    The persons on it are those not cancelled when it was issued."""

    registration = models.OneToOneField(
        Registration, on_delete=models.PROTECT, related_name="receipt"
    )
    number = models.CharField(_("number"), max_length=20, unique=True)
    total = MoneyField(_("total (EUR)"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    immutable_message = _("A receipt is never changed.")

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")

    def __str__(self):
        return self.number
