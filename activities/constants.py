from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityKind(models.TextChoices):
    WELCOME_DAY = "welcome_day", _("Welcome day")
    INTRODUCTION_DAY = "introduction_day", _("Introduction day")
    CAREER_EVENT = "career_event", _("Career event")
    COURSE = "course", _("Course")


class ActivityPayer(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    PARTICIPANT = "participant", _("Participant")
    FREE = "free", _("Free")


class RegistrationState(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class ParticipantKind(models.TextChoices):
    WORKER = "worker", _("Worker")
    PARTNER = "partner", _("Partner")
    CHILD = "child", _("Child")


class Attendance(models.TextChoices):
    EXPECTED = "expected", _("Expected")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("No-show")
    CANCELLED = "cancelled", _("Cancelled")


ADULT_AGE = 18
