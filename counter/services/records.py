"""Recording what a leg delivered, and voiding a record that was wrong.

A record is made for a leg that was called (in progress or finished); recording a leg in
progress finishes it. A completed BRP/RNI registration, and voiding one, call the apps above
counter through ``settings.RECORD_HOOKS`` (``registration_recorded``, ``registration_voided``;
the settlement line and its reversal) in the same transaction.
"""

import calendar
import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.nl import bsn as bsn_number

from core.audit import audit_log
from core.errors import CoreError
from core.exceptions import Conflict, ValidationFailed
from core.hooks import hooks_call
from counter.constants import (
    INSURANCE_DEADLINE_MONTHS,
    InsuranceResult,
    NotDeliveredReason,
    Outcome,
    ReferralTo,
    RegistrationKind,
)
from counter.errors import CounterError
from counter.models import ServiceRecord
from scheduling.constants import LegState, ServiceCategory
from scheduling.locking import leg_numbers_lock
from scheduling.models import Leg, Municipality
from scheduling.services.legs import leg_finish

CALLED_LEG_STATES = (LegState.IN_PROGRESS, LegState.DONE, LegState.NOT_DONE)
REGISTRATION_KIND_BY_CATEGORY = {
    ServiceCategory.REGISTRATION_BRP: RegistrationKind.BRP,
    ServiceCategory.REGISTRATION_RNI: RegistrationKind.RNI,
}
REFERRAL_DEFAULT_BY_CATEGORY = {
    ServiceCategory.IND_REFERRAL: ReferralTo.IND,
    ServiceCategory.WORK_PERMIT: ReferralTo.UWV_TWV,
}
# Services whose finished leg must have a record: the registration is the settlement line
# (and the BSN), the intake gives the client the insurance deadline, the referral is proof.
RECORD_REQUIRED_CATEGORIES = (
    *REGISTRATION_KIND_BY_CATEGORY,
    ServiceCategory.HEALTH_INSURANCE,
    *REFERRAL_DEFAULT_BY_CATEGORY,
)


def record_required(leg: Leg) -> bool:
    return leg.service.category in RECORD_REQUIRED_CATEGORIES


def record_missing_error(leg: Leg) -> Conflict:
    return Conflict(
        _("Record the outcome of %(service)s first: this leg cannot be finished without it.")
        % {"service": leg.service.localized_name()},
        code=CounterError.RECORD_REQUIRED,
        details={"leg": [str(leg.pk)]},
    )


def leg_finish_guard(*, leg: Leg, completed: bool, actor) -> None:
    """``LEG_HOOKS["finish_guard"]``: a leg whose service needs a record is finished only by
    recording it (``service_record_create`` saves the record, then finishes the leg)."""
    if record_required(leg) and not leg.service_records.filter(voided_at__isnull=True).exists():
        raise record_missing_error(leg)


def leg_reopen_guard(*, leg: Leg, actor) -> None:
    """``LEG_HOOKS["reopen_guard"]``: a recorded leg is not undone behind its record's back;
    void the record first (which reverses a settlement line)."""
    if leg.service_records.filter(voided_at__isnull=True).exists():
        raise Conflict(
            _("This leg has a record: void the record first, then undo."),
            code=CounterError.ALREADY_RECORDED,
        )


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole calendar months, clamped to the month's last day (31 Oct + 4 -> 28 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def insurance_deadline(obligation_start: dt.date) -> dt.date:
    """Insured by this date means cover backdated to the start of the obligation."""
    return add_months(obligation_start, INSURANCE_DEADLINE_MONTHS)


def bsn_clean(value: str) -> str:
    """The BSN in its nine-digit form, or a ValidationFailed that does not echo the number."""
    try:
        return bsn_number.validate(value)
    except StdnumError as exc:
        raise ValidationFailed(
            _("This is not a valid BSN (nine digits that pass the eleven-test)."),
            code=CounterError.INVALID_BSN,
            details={"bsn": [_("Invalid BSN.")]},
        ) from exc


def lawful_residence_required(client) -> bool:
    """Non-EU/EEA/Swiss nationals need proof of lawful residence before registration.

    Ukrainians under temporary protection are lawfully resident under the EU directive and are
    registered in the BRP on their own documents.
    """
    return not client.is_eu and not client.temporary_protection


@transaction.atomic
def service_record_create(
    *,
    leg: Leg,
    outcome: str,
    actor,
    reason: str = "",
    reason_code: str = "",
    registration_date: dt.date | None = None,
    residence_municipality: Municipality | None = None,
    bsn: str = "",
    bsn_issued: bool | None = None,
    lawful_residence_proof: str = "",
    insurance_result: str = "",
    insurance_obligation_start: dt.date | None = None,
    a1_exemption: bool | None = None,
    referral_made: bool | None = None,
    referral_to: str = "",
) -> ServiceRecord:
    """Record the outcome and facts of a called leg; finishes the leg when still in progress.

    A service not delivered (``outcome="not_completed"``) carries ``reason_code``
    (``NotDeliveredReason``: documents missing, client absent, other) and, for "other", a
    free-text ``reason``; a free-text reason without a code counts as "other"."""
    # The lock order (scheduling.locking): the leg's queue number before the leg and the
    # visit, which leg_finish locks and then moves the number on (as the console's finish).
    leg_numbers_lock(leg.pk)
    leg = _leg_to_record(leg)
    reason, reason_code = _outcome_reason(outcome, reason, reason_code)
    appointment = leg.appointment
    client = appointment.client
    completed = outcome == Outcome.COMPLETED
    category = leg.service.category
    record = ServiceRecord(
        leg=leg,
        outcome=outcome,
        reason=reason[:200],
        reason_code=reason_code,
        officer=_user(actor),
    )

    if category in REGISTRATION_KIND_BY_CATEGORY:
        _registration_facts(
            record,
            category=category,
            client=client,
            location=appointment.location,
            completed=completed,
            registration_date=registration_date,
            residence_municipality=residence_municipality,
            bsn=bsn,
            bsn_issued=bsn_issued,
            lawful_residence_proof=lawful_residence_proof,
        )
    elif bsn or bsn_issued:
        raise ValidationFailed(
            _("A BSN is recorded only with a BRP or RNI registration."),
            code=CounterError.BSN_NOT_APPLICABLE,
        )
    if category == ServiceCategory.HEALTH_INSURANCE:
        _insurance_facts(
            record,
            leg=leg,
            client=client,
            completed=completed,
            insurance_result=insurance_result,
            obligation_start=insurance_obligation_start,
            a1_exemption=a1_exemption,
        )
    if category in REFERRAL_DEFAULT_BY_CATEGORY:
        _referral_facts(
            record,
            category=category,
            client=client,
            completed=completed,
            referral_made=referral_made,
            referral_to=referral_to,
        )

    record.save()
    if leg.state == LegState.IN_PROGRESS:
        leg_finish(leg=leg, actor=actor, completed=outcome != Outcome.NOT_COMPLETED)
    audit_log(
        actor=actor,
        action="service_record.create",
        obj=record,
        leg=leg.pk,
        appointment=appointment.pk,
        service=leg.service.code,
        outcome=outcome,
        reason_code=reason_code,
        bsn_issued=record.bsn_issued,
        bsn_stored=bool(record.bsn),
    )
    if record.is_completed_registration:
        hooks_call("RECORD_HOOKS", "registration_recorded", record=record, actor=actor)
    return record


def _leg_to_record(leg: Leg) -> Leg:
    """The leg, locked, once it was called and has no valid record yet."""
    leg = (
        Leg.objects.select_for_update(of=("self",))
        .select_related("appointment__client", "appointment__location__municipality", "service")
        .get(pk=leg.pk)
    )
    if leg.state not in CALLED_LEG_STATES:
        raise Conflict(
            _("This leg was never called: record it once the person has been served."),
            code=CounterError.LEG_NEVER_CALLED,
        )
    if ServiceRecord.objects.filter(leg=leg, voided_at__isnull=True).exists():
        raise Conflict(
            _("This leg already has a record. Void it first to correct it."),
            code=CounterError.ALREADY_RECORDED,
        )
    return leg


def _outcome_reason(outcome: str, reason: str, reason_code: str) -> tuple[str, str]:
    """The trimmed reason and the reason code. A service not completed needs a code
    (a free-text reason alone counts as "other"); "other" needs the text; a delivered or
    referred service has no code."""
    if outcome not in Outcome.values:
        raise ValidationFailed(_("Choose a valid outcome."), code=CounterError.INVALID_OUTCOME)
    reason = (reason or "").strip()
    reason_code = (reason_code or "").strip()
    if reason_code and reason_code not in NotDeliveredReason.values:
        raise ValidationFailed(
            _("Choose a valid reason the service was not delivered."),
            code=CounterError.INVALID_REASON_CODE,
            details={"reason_code": [_("Choose a valid reason.")]},
        )
    if outcome != Outcome.NOT_COMPLETED:
        if reason_code:
            raise ValidationFailed(
                _("A reason why the service was not delivered goes only with 'Not completed'."),
                code=CounterError.INVALID_REASON_CODE,
                details={"reason_code": [_("Leave this empty, or choose 'Not completed'.")]},
            )
        return reason, ""
    if not reason_code and reason:
        reason_code = NotDeliveredReason.OTHER
    if not reason_code or (reason_code == NotDeliveredReason.OTHER and not reason):
        raise ValidationFailed(
            _("Give the reason the service was not completed (e.g. a missing document)."),
            code=CoreError.REASON_REQUIRED,
            details={"reason": [_("This field is required.")]},
        )
    return reason, reason_code


def _referral_facts(
    record: ServiceRecord, *, category, client, completed: bool, referral_made, referral_to: str
) -> None:
    if completed and referral_made is False:
        raise ValidationFailed(
            _("A completed referral leg means the referral was made."),
            code=CounterError.REFERRAL_REQUIRED,
        )
    record.referral_made = completed or bool(referral_made)
    if record.referral_made:
        if referral_to and referral_to not in ReferralTo.values:
            raise ValidationFailed(
                _("Choose a valid referral."), code=CounterError.INVALID_REFERRAL
            )
        default = REFERRAL_DEFAULT_BY_CATEGORY[category]
        if client.temporary_protection and category == ServiceCategory.WORK_PERMIT:
            default = ReferralTo.UWV_NOTIFICATION
        record.referral_to = referral_to or default


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _registration_facts(
    record: ServiceRecord,
    *,
    category,
    client,
    location,
    completed: bool,
    registration_date,
    residence_municipality,
    bsn: str,
    bsn_issued,
    lawful_residence_proof: str,
) -> None:
    today = timezone.localdate()
    record.registration_kind = REGISTRATION_KIND_BY_CATEGORY[category]
    record.registration_date = registration_date or today
    if record.registration_date > today:
        raise ValidationFailed(
            _("The registration date cannot be in the future."),
            code=CounterError.REGISTRATION_IN_FUTURE,
        )
    record.residence_municipality = residence_municipality or client.municipality_of_residence
    # Desk or bus: the registration is performed by the location's core municipality.
    record.performing_municipality = location.municipality
    bsn = (bsn or "").strip()
    if bsn:
        bsn = bsn_clean(bsn)
    if not completed and (bsn or bsn_issued):
        raise ValidationFailed(
            _("A BSN is issued only with a completed registration."),
            code=CounterError.BSN_NOT_COMPLETED,
        )
    record.bsn_issued = bool(bsn) or bool(bsn_issued)
    # UAVG art. 46: keep the number itself only with a legal basis; otherwise only the fact.
    record.bsn = bsn if settings.BSN_LEGAL_BASIS else ""
    record.lawful_residence_proof = (lawful_residence_proof or "").strip()[:100]
    if completed and lawful_residence_required(client) and not record.lawful_residence_proof:
        raise ValidationFailed(
            _(
                "A non-EU/EEA/Swiss national can only be registered with proof of lawful "
                "residence: record the IND residence document."
            ),
            code=CounterError.LAWFUL_RESIDENCE_REQUIRED,
            details={"lawful_residence_proof": [_("This field is required.")]},
        )


def _insurance_facts(
    record: ServiceRecord,
    *,
    leg: Leg,
    client,
    completed: bool,
    insurance_result: str,
    obligation_start,
    a1_exemption,
) -> None:
    if insurance_result and insurance_result not in InsuranceResult.values:
        raise ValidationFailed(
            _("Choose a valid intake result."), code=CounterError.INVALID_INSURANCE_RESULT
        )
    exempt = bool(a1_exemption) or insurance_result == InsuranceResult.EXEMPT_A1
    if a1_exemption is None and not client.works_under_dutch_social_security:
        exempt = True
    if exempt and insurance_result not in ("", InsuranceResult.EXEMPT_A1):
        raise ValidationFailed(
            _("A posted worker with an A1 certificate keeps the home insurance."),
            code=CounterError.A1_CONFLICT,
        )
    if completed and not insurance_result and not exempt:
        raise ValidationFailed(
            _("Record the result of the health-insurance intake."),
            code=CounterError.INSURANCE_RESULT_REQUIRED,
            details={"insurance_result": [_("This field is required.")]},
        )
    record.a1_exemption = exempt
    record.insurance_result = InsuranceResult.EXEMPT_A1 if exempt else insurance_result
    if exempt:
        return
    if obligation_start is None:
        registration = (
            ServiceRecord.objects.filter(
                leg__appointment_id=leg.appointment_id,
                voided_at__isnull=True,
                outcome=Outcome.COMPLETED,
            )
            .exclude(registration_kind="")
            .first()
        )
        obligation_start = registration.registration_date if registration else None
    record.insurance_obligation_start = obligation_start or timezone.localdate()
    record.insurance_deadline = insurance_deadline(record.insurance_obligation_start)


@transaction.atomic
def service_record_void(
    *, record: ServiceRecord, actor, reason: str, now: dt.datetime | None = None
) -> ServiceRecord:
    """Void a wrong record (kept as history); a voided registration calls its hooks."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Give a reason to void this record."), code=CoreError.REASON_REQUIRED
        )
    record = ServiceRecord.objects.select_for_update().get(pk=record.pk)
    if record.is_void:
        raise Conflict(_("This record was already voided."), code=CounterError.ALREADY_VOID)
    record.voided_at = now
    record.void_reason = reason[:200]
    record.voided_by = _user(actor)
    record.save(update_fields=["voided_at", "void_reason", "voided_by"])
    audit_log(
        actor=actor, action="service_record.void", obj=record, reason=reason, leg=record.leg_id
    )
    if record.is_completed_registration:
        hooks_call("RECORD_HOOKS", "registration_voided", record=record, actor=actor)
    return record


@transaction.atomic
def service_record_bsn_reveal(*, record: ServiceRecord, actor, reason: str) -> str:
    """Show the stored BSN of a record: only with a reason, and every view is logged.

    The log holds who, when, which record and why; never the number itself.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(
            _("Say why you need to see the BSN: every view is logged."),
            code=CoreError.REASON_REQUIRED,
            details={"reason": [_("This field is required.")]},
        )
    if not record.bsn:
        raise ValidationFailed(
            _("No BSN is stored for this record (only whether one was issued)."),
            code=CounterError.BSN_NOT_STORED,
        )
    audit_log(actor=actor, action="service_record.bsn_view", obj=record, reason=reason)
    return record.bsn
