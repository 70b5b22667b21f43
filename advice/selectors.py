"""Reads of the advice app: who sees which reports, follow-up by receipt, the advice log.

Scoping (docs/advice.md): a coordinator sees every report; a handler only the reports
assigned to their own handling organisation (advice.HandlerMembership); every other role
(employer, municipality, receptionist, officer) sees none, and the views answer 404.
"""

import hashlib
import hmac
import re

from django.db.models import QuerySet

from advice.models import AdviceEntry, HandlerMembership, HandlingOrganisation, Report
from core.codes import CROCKFORD_BASE32
from core.roles import Role, is_coordinator, user_has_role, user_location

# The follow-up secret of a report (docs/advice.md): Crockford's base32, which has no I, L, O
# or U, so a 1 or a 0 on the receipt cannot be taken for a letter. 20 symbols of 5 bits = 100
# bits (the secrets before were secrets.token_urlsafe(12): 96 bits). Shown in groups of four.
SECRET_ALPHABET = CROCKFORD_BASE32
SECRET_LENGTH = 20
SECRET_GROUP = 4
# Typed in: the letters read as the digits they look like (no letter of the alphabet is
# mapped, so no two secrets become one); case, spaces and the group hyphens do not matter.
_LOOK_ALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212]+")


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.strip().encode("utf-8")).hexdigest()


def normalise_secret(typed: str) -> str:
    """A typed follow-up secret in its stored form: without spaces or hyphens, upper case,
    O read as 0 and I or L as 1."""
    return _SEPARATORS.sub("", typed).upper().translate(_LOOK_ALIKES)


def _follow_up_hash(typed: str) -> str:
    """The hash to compare with the stored one. A secret of the current form (20 symbols once
    normalised) is compared in its normalised form; anything else as it was before, so the
    16-character secrets of older reports (case-sensitive, only stripped) keep working."""
    normalised = normalise_secret(typed)
    if len(normalised) == SECRET_LENGTH:
        return secret_hash(normalised)
    return secret_hash(typed)


def handler_organisation(user) -> HandlingOrganisation | None:
    """The handling organisation of a handler-role user (None for anyone else)."""
    if not user_has_role(user, Role.HANDLER):
        return None
    membership = HandlerMembership.objects.select_related("organisation").filter(user=user).first()
    if membership is None or not membership.organisation.is_active:
        return None
    return membership.organisation


def can_read_reports(user) -> bool:
    return is_coordinator(user) or handler_organisation(user) is not None


def reports_for_user(user) -> QuerySet[Report]:
    qs = Report.objects.select_related("organisation", "municipality")
    if is_coordinator(user):
        return qs
    organisation = handler_organisation(user)
    if organisation is not None:
        return qs.filter(organisation=organisation)
    return qs.none()


def reporter_visible(user, report: Report) -> bool:
    """The reporter's identity is for the handling organisation only (not coordinators)."""
    organisation = handler_organisation(user)
    return organisation is not None and report.organisation_id == organisation.pk


def report_for_follow_up(*, receipt_number: str, secret: str) -> Report | None:
    """The report with this receipt number when the secret matches; None otherwise (the
    same answer for an unknown number and a wrong secret)."""
    report = (
        Report.objects.filter(receipt_number=receipt_number.strip().upper())
        .only("receipt_number", "secret_hash", "status", "created_at", "closed_at", "outcome")
        .first()
    )
    candidate = _follow_up_hash(secret)
    expected = report.secret_hash if report else secret_hash("-")
    if report is None or not secret or not hmac.compare_digest(candidate, expected):
        return None
    return report


def can_record_at_counter(user) -> bool:
    """Officers (at their desk) and coordinators log advice and take reports."""
    return is_coordinator(user) or (
        user_has_role(user, Role.OFFICER) and user_location(user) is not None
    )


def advice_entries_for(user) -> QuerySet[AdviceEntry]:
    qs = AdviceEntry.objects.select_related("topic", "referral", "location")
    if is_coordinator(user):
        return qs
    location = user_location(user)
    if location is not None and user_has_role(user, Role.OFFICER):
        return qs.filter(location=location)
    return qs.none()


def visits_for_advice(user):
    """Visits an officer may link advice to: its own location's (all for a coordinator)."""
    from scheduling.models import Appointment

    qs = Appointment.objects.select_related("location")
    if is_coordinator(user):
        return qs
    location = user_location(user)
    if location is not None and user_has_role(user, Role.OFFICER):
        return qs.filter(location=location)
    return qs.none()


def report_audit_trail(report: Report):
    from core.models import AuditLogEntry

    return (
        AuditLogEntry.objects.filter(object_type="advice.report", object_id=str(report.pk))
        .select_related("note")
        .order_by("at", "pk")
    )
