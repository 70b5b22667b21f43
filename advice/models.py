"""Advice log and the report point (meldpunt).

Configurable lists (topics, partner organisations, handling organisations) are edited by
coordinators in the admin. A report's reporter identity (name, contact) is kept only until
the case is closed plus ``REPORT_REPORTER_RETENTION_DAYS`` (advice.services.retention).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from advice.constants import (
    CLIENT_LANGUAGES,
    ReportCategory,
    ReportChannel,
    ReportOutcome,
    ReportStatus,
)

LANGUAGE_CHOICES = [(code, code) for code in CLIENT_LANGUAGES] + [("other", _("Other"))]


class AdviceTopic(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("advice topic")
        verbose_name_plural = _("advice topics")

    def __str__(self):
        return self.name


class PartnerOrganisation(models.Model):
    """An organisation the counter refers people to (directory with contact details)."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    description = models.CharField(_("what they help with"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self):
        return self.name


class AdviceEntry(models.Model):
    """One question answered at the counter: a topic, the language used, maybe a referral.
    Linked to a visit when there is one; anonymous otherwise (no personal data here)."""

    topic = models.ForeignKey(AdviceTopic, on_delete=models.PROTECT, verbose_name=_("topic"))
    language = models.CharField(_("language used"), max_length=10, choices=LANGUAGE_CHOICES)
    referral = models.ForeignKey(
        PartnerOrganisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("referred to"),
    )
    appointment = models.ForeignKey(
        "scheduling.Appointment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="advice_entries",
    )
    location = models.ForeignKey(
        "scheduling.Location", null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), db_index=True)

    class Meta:
        ordering = ["-recorded_at"]
        verbose_name = _("advice entry")
        verbose_name_plural = _("advice entries")

    def __str__(self):
        return f"{self.topic} ({self.language})"


class HandlingOrganisation(models.Model):
    """Who follows up reports: the intervention team, a municipality, the labour
    inspectorate, a housing authority (configurable)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail for new cases"), blank=True)
    response_days = models.PositiveSmallIntegerField(
        _("days to first response"), default=5, help_text=_("Sets a new case's due date.")
    )
    is_default = models.BooleanField(
        _("receives new reports"), default=False, help_text=_("At most one organisation.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("handling organisation")
        verbose_name_plural = _("handling organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="advice_one_default_handling_organisation",
            )
        ]

    def __str__(self):
        return self.name


class HandlerMembership(models.Model):
    """Ties a user of role "handler" to one handling organisation. Kept here (not on
    scheduling's StaffProfile) so scheduling never names an advice model."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="advice_membership"
    )
    organisation = models.ForeignKey(
        HandlingOrganisation, on_delete=models.PROTECT, related_name="members"
    )

    class Meta:
        verbose_name = _("case handler")
        verbose_name_plural = _("case handlers")

    def __str__(self):
        return f"{self.user} ({self.organisation})"


class Report(models.Model):
    receipt_number = models.CharField(_("receipt number"), max_length=20, unique=True)
    # sha256 of the follow-up secret: the secret itself is shown once and never stored.
    secret_hash = models.CharField(max_length=64)
    channel = models.CharField(_("channel"), max_length=10, choices=ReportChannel.choices)
    language = models.CharField(_("language"), max_length=10, blank=True)
    category = models.CharField(_("category"), max_length=10, choices=ReportCategory.choices)
    municipality = models.ForeignKey(
        "scheduling.Municipality",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        verbose_name=_("municipality"),
    )
    address = models.CharField(_("address or place"), max_length=200, blank=True)
    concerned_party = models.CharField(
        _("employer or landlord concerned"), max_length=200, blank=True
    )
    description = models.TextField(_("description"), max_length=5000)
    # The reporter's identity: only when they choose; removed after closing + retention.
    reporter_name = models.CharField(_("reporter's name"), max_length=150, blank=True)
    reporter_contact = models.CharField(_("reporter's phone or e-mail"), max_length=200, blank=True)
    # The reporter asked for an e-mail (to reporter_contact) when the status changes.
    notify_status = models.BooleanField(_("e-mail the reporter on status changes"), default=False)
    reporter_removed_at = models.DateTimeField(null=True, blank=True)
    location = models.ForeignKey(
        "scheduling.Location", null=True, blank=True, on_delete=models.SET_NULL
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        HandlingOrganisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
        verbose_name=_("handling organisation"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.RECEIVED
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ReportOutcome.choices, blank=True
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(_("received at"), db_index=True)
    first_response_at = models.DateTimeField(_("first response at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(outcome=""),
                name="advice_closed_report_has_outcome",
            )
        ]

    def __str__(self):
        return self.receipt_number

    @property
    def has_reporter(self) -> bool:
        return bool(self.reporter_name or self.reporter_contact)


def _attachment_path(instance, filename):
    return f"reports/{instance.report.receipt_number}/{filename}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField()

    def __str__(self):
        return self.file.name


class ReportNote(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("note"), max_length=5000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.report} · {self.created_at:%Y-%m-%d}"
