from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")
    REFERRED = "referred", _("Referred")


class NotDeliveredReason(models.TextChoices):
    """Why a service could not be delivered (a record with outcome "not completed"): the
    structured reason the documents-missing rate counts; free text adds detail."""

    DOCUMENTS_MISSING = "documents_missing", _("Documents missing")
    CLIENT_ABSENT = "client_absent", _("Client absent")
    OTHER = "other", _("Other reason")


class RegistrationKind(models.TextChoices):
    BRP = "brp", _("BRP")
    RNI = "rni", _("RNI")


class InsuranceResult(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up with a Dutch insurer")
    ALREADY_INSURED = "already_insured", _("Already insured in the Netherlands")
    EXEMPT_A1 = "exempt_a1", _("Exempt: posted worker with A1 certificate")
    NOT_SIGNED_UP = "not_signed_up", _("Not signed up yet (deadline explained)")


class ReferralTo(models.TextChoices):
    IND = "ind", _("IND (residence permit)")
    UWV_TWV = "uwv_twv", _("UWV (work permit, TWV)")
    IND_GVVA = "ind_gvva", _("IND (combined permit, GVVA)")
    UWV_NOTIFICATION = "uwv_notification", _("UWV notification (temporary protection)")


# Health insurance: insured within this many months of the obligation (Zorgverzekeringswet).
INSURANCE_DEADLINE_MONTHS = 4

# Category values (scheduling.constants.ServiceCategory) whose records are referrals.
REFERRAL_CATEGORIES = ("ind_referral", "work_permit")
