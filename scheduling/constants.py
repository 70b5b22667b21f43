"""Choices and fixed facts of the scheduling domain (labels are translated)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class LocationKind(models.TextChoices):
    DESK = "desk", _("Desk")
    BUS = "bus", _("Mobile bus")


class ServiceKind(models.TextChoices):
    GOVERNMENT = "government", _("Government service (free)")
    EXTRA = "extra", _("Extra service (may carry a fee)")


class ServiceCategory(models.TextChoices):
    """What a service is for; the package rule and later apps key on this, not on codes."""

    REGISTRATION_BRP = "registration_brp", _("BRP registration")
    REGISTRATION_RNI = "registration_rni", _("RNI registration")
    HEALTH_INSURANCE = "health_insurance", _("Health insurance intake")
    IND_REFERRAL = "ind_referral", _("IND referral")
    WORK_PERMIT = "work_permit", _("Work permit (TWV/GVVA) referral")
    ALLOWANCE = "allowance", _("Allowance (toeslagen) help")
    EXTRA = "extra", _("Extra service")


REGISTRATION_CATEGORIES = (ServiceCategory.REGISTRATION_BRP, ServiceCategory.REGISTRATION_RNI)


class AppointmentStatus(models.TextChoices):
    HELD = "held", _("Held (awaiting confirmation)")
    BOOKED = "booked", _("Booked")
    CHECKED_IN = "checked_in", _("Checked in")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")


ACTIVE_APPOINTMENT_STATUSES = (
    AppointmentStatus.HELD,
    AppointmentStatus.BOOKED,
    AppointmentStatus.CHECKED_IN,
    AppointmentStatus.IN_PROGRESS,
)


class AppointmentSource(models.TextChoices):
    BOOKED = "booked", _("Booked")
    WALK_IN = "walk_in", _("Walk-in")


class LegState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_DONE = "not_done", _("Not completed")
    CANCELLED = "cancelled", _("Cancelled")


# Legs in these states occupy their counter's time.
OCCUPYING_LEG_STATES = (LegState.PLANNED, LegState.IN_PROGRESS, LegState.DONE, LegState.NOT_DONE)


class GroupBookingStatus(models.TextChoices):
    HELD = "held", _("Held")
    CONFIRMED = "confirmed", _("Confirmed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Offered (places held)")
    BOOKED = "booked", _("Booked")
    DECLINED = "declined", _("Declined")
    EXPIRED = "expired", _("Offer expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    LAPSED = "lapsed", _("Date range passed")


# Entries still in line or holding places.
OPEN_WAITLIST_STATUSES = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


class ClosureSource(models.TextChoices):
    MANUAL = "manual", _("Set by a coordinator")
    HOLIDAY = "holiday", _("Public holiday")


# Free movement: EU member states, EEA (IS, LI, NO) and Switzerland (ISO 3166-1 alpha-2).
EU_EEA_CH = frozenset(
    "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE "
    "IS LI NO CH".split()
)

# Stay of at least this many months: BRP; shorter: RNI (Wet BRP art. 2.38).
BRP_MIN_STAY_MONTHS = 4
