"""Choices of the advice app (translated labels)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# The twelve client languages (the kiosk's and the ticket's): the public report form speaks
# them all; the advice log records which one was used at the counter.
CLIENT_LANGUAGES = ["nl", "en", "pl", "ro", "bg", "hu", "lt", "lv", "sk", "pt", "es", "uk"]


class ReportCategory(models.TextChoices):
    HOUSING = "housing", _("Housing")
    WORK = "work", _("Work")
    LIVING = "living", _("Living conditions")
    OTHER = "other", _("Other")


class ReportChannel(models.TextChoices):
    COUNTER = "counter", _("At the counter")
    WEB = "web", _("Public web form")
    KIOSK = "kiosk", _("Kiosk")


class ReportStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_REVIEW = "in_review", _("In review")
    REFERRED = "referred", _("Referred")
    IN_INVESTIGATION = "in_investigation", _("In investigation")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = [s for s in ReportStatus.values if s != ReportStatus.CLOSED]


class ReportOutcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    ENFORCEMENT = "enforcement", _("Enforcement action taken")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred outside BMIP")
    NOT_SUBSTANTIATED = "not_substantiated", _("Not substantiated")
    NO_JURISDICTION = "no_jurisdiction", _("No jurisdiction")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Allowed status changes: a case moves forward, may go back to review, and closes once.
TRANSITIONS = {
    ReportStatus.RECEIVED: {ReportStatus.IN_REVIEW, ReportStatus.REFERRED, ReportStatus.CLOSED},
    ReportStatus.IN_REVIEW: {
        ReportStatus.REFERRED,
        ReportStatus.IN_INVESTIGATION,
        ReportStatus.CLOSED,
    },
    ReportStatus.REFERRED: {
        ReportStatus.IN_REVIEW,
        ReportStatus.IN_INVESTIGATION,
        ReportStatus.CLOSED,
    },
    ReportStatus.IN_INVESTIGATION: {
        ReportStatus.IN_REVIEW,
        ReportStatus.REFERRED,
        ReportStatus.CLOSED,
    },
    ReportStatus.CLOSED: set(),
}

ATTACHMENT_TYPES = {"image/jpeg": "jpg", "image/png": "png", "application/pdf": "pdf"}
MAX_ATTACHMENTS = 3


# How a case page's audit trail names each recorded action (the log keeps the stable code).
REPORT_AUDIT_LABELS = {
    "report.submit": _("Report received"),
    "report.assign": _("Assigned"),
    "report.status": _("Status changed"),
    "report.note": _("Note added"),
    "report.reminders": _("Reminder sent"),
    "report.reporter_removed": _("Reporter's details removed"),
}
