from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")
    REFERRED = "referred", _("Referred")


class RegistrationKind(models.TextChoices):
    BRP = "brp", _("BRP")
    RNI = "rni", _("RNI")
