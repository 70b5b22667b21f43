"""Registering groups for a session, cancelling, the waiting list, and attendance.

A group is all or nothing: every participant is checked before anything is written, and the
whole group is confirmed, or waitlisted when it does not fit. Capacity is computed (confirmed,
not cancelled participants) under the session's row lock (``core.locking``: PostgreSQL
``SELECT ... FOR UPDATE`` with a bounded wait -> ``Busy``; SQLite ``BEGIN IMMEDIATE``), so
concurrent registrations never exceed it. The waiting list is first come, first served: a
registration is promoted, in order, when its whole group fits; nobody overtakes the head.

Fees per person (employer pays) go to counter as item fee lines at confirmation; cancelling
until ``free_cancellation_days`` before the session credits them.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.constants import (
    ActivityPayer,
    Attendance,
    ParticipantKind,
    RegistrationState,
)
from activities.errors import ActivitiesError
from activities.models import Participant, Registration, Session
from activities.services.fees import session_fees
from activities.tickets import ticket_code_new
from core import locking
from core.audit import audit_log
from core.exceptions import Conflict, ValidationFailed
from counter.services.fees import item_fee_line_credit, item_fee_lines_add_many
from scheduling.errors import SchedulingError

CANCEL_REASON_IN_TIME = "cancelled in time (free cancellation)"


@dataclass
class ParticipantIn:
    kind: str
    first_name: str
    last_name: str
    birth_date: dt.date | None = None
    email: str = ""


def _age(birth_date: dt.date, on: dt.date) -> int:
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def _row_errors(session: Session, person: ParticipantIn) -> list[tuple[str, str, str]]:
    errors = []
    if person.kind == ParticipantKind.PARTNER and not session.partners_allowed:
        errors.append(("kind", ActivitiesError.PARTNERS_NOT_ALLOWED, _("Partners cannot come.")))
    if person.kind == ParticipantKind.CHILD and not session.children_allowed:
        errors.append(("kind", ActivitiesError.CHILDREN_NOT_ALLOWED, _("Children cannot come.")))
    needs_birth_date = person.kind == ParticipantKind.CHILD or session.minimum_age > 0
    if needs_birth_date and person.birth_date is None:
        errors.append(
            ("birth_date", ActivitiesError.BIRTH_DATE_REQUIRED, _("Give the birth date."))
        )
    elif person.birth_date is not None and _age(person.birth_date, session.date) < (
        session.minimum_age
    ):
        errors.append(
            (
                "birth_date",
                ActivitiesError.TOO_YOUNG,
                _("The minimum age is %(age)d.") % {"age": session.minimum_age},
            )
        )
    return errors


def participants_check(*, session: Session, participants: list[ParticipantIn]) -> None:
    """Every error of every row at once (ValidationFailed), or nothing."""
    if not participants:
        raise ValidationFailed(_("Register at least one person."), code=ActivitiesError.EMPTY_GROUP)
    rows = []
    for number, person in enumerate(participants, start=1):
        for field, code, message in _row_errors(session, person):
            rows.append({"row": number, "field": field, "code": code, "message": message})
    if rows:
        raise ValidationFailed(
            _("The list has %(count)d error(s); nobody was registered.") % {"count": len(rows)},
            code=SchedulingError.ROSTER_INVALID,
            details={"rows": rows},
        )


def session_lock(session: Session) -> None:
    """Serialise registrations and cancellations of one session (switchable for the
    negative-control test)."""
    if locking.ENABLED:
        locking.row_lock(Session.objects.filter(pk=session.pk).only("pk"))


def places_taken(session: Session) -> int:
    return Participant.objects.filter(
        session=session, registration__state=RegistrationState.CONFIRMED, cancelled_at__isnull=True
    ).count()


def _charge(registration: Registration, participants: list[Participant], actor, now) -> None:
    if registration.payer != ActivityPayer.EMPLOYER or registration.employer_id is None:
        return
    session = registration.session
    item_fee_lines_add_many(
        lines=[
            {
                "employer": registration.employer,
                "source": p.fee_source,
                "description": (
                    f"{session.activity.title} {session.date.isoformat()} – {p.code} "
                    f"({p.get_kind_display()}, {registration.reference})"
                ),
                "po_reference": registration.po_reference,
                "service_date": session.date,
                "amount": p.fee,
            }
            for p in participants
            if p.fee > 0
        ],
        actor=actor,
        now=now,
    )


def _new_reference() -> str:
    return ticket_code_new()


def registration_create(
    *,
    session: Session,
    participants: list[ParticipantIn],
    actor,
    employer=None,
    payer: str | None = None,
    po_reference: str = "",
    language: str = "en",
    waitlist: bool = True,
    now: dt.datetime | None = None,
) -> Registration:
    """Register a group (``employer``) or one person with family (``employer=None``, desk
    staff). All or nothing: confirmed when the whole group fits and nobody waits before it,
    else waitlisted (or ``session_full`` when ``waitlist`` is False)."""
    now = now or timezone.now()
    session = Session.objects.select_related("activity").get(pk=session.pk)
    if session.date < timezone.localdate(now):
        raise ValidationFailed(_("This session is over."), code=ActivitiesError.SESSION_PAST)
    participants_check(session=session, participants=participants)
    payer = payer or session.activity.payer
    if payer == ActivityPayer.EMPLOYER and employer is None:
        payer = ActivityPayer.PARTICIPANT
    adult_fee, child_fee = session_fees(session=session, payer=payer)
    with locking.locked_transaction():
        session_lock(session)
        waiting = Registration.objects.filter(
            session=session, state=RegistrationState.WAITLISTED
        ).exists()
        fits = not waiting and places_taken(session) + len(participants) <= session.capacity
        if not fits and not waitlist:
            raise Conflict(
                _("This session is full: the group does not fit."),
                code=ActivitiesError.SESSION_FULL,
            )
        state = RegistrationState.CONFIRMED if fits else RegistrationState.WAITLISTED
        registration = Registration.objects.create(
            session=session,
            reference=_new_reference(),
            employer=employer,
            state=state,
            payer=payer,
            po_reference=po_reference[:100],
            language=language,
            created_at=now,
            confirmed_at=now if fits else None,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        rows = Participant.objects.bulk_create(
            Participant(
                registration=registration,
                session=session,
                code=ticket_code_new(),
                kind=p.kind,
                first_name=p.first_name,
                last_name=p.last_name,
                birth_date=p.birth_date,
                email=p.email,
                fee=child_fee if p.kind == ParticipantKind.CHILD else adult_fee,
            )
            for p in participants
        )
        if fits:
            _charge(registration, rows, actor, now)
        audit_log(
            actor=actor,
            action="activity_registration.create",
            obj=registration,
            session=session.pk,
            persons=len(rows),
            state=state,
        )
    return registration


def _cancel_is_free(session: Session, now: dt.datetime) -> bool:
    days_before = (session.date - timezone.localdate(now)).days
    return days_before >= session.activity.free_cancellation_days


def _cancel_participants(registration, participants, actor, now) -> None:
    free = _cancel_is_free(registration.session, now)
    Participant.objects.filter(pk__in=[p.pk for p in participants]).update(
        cancelled_at=now, attendance=Attendance.CANCELLED
    )
    if registration.state == RegistrationState.CONFIRMED and free:
        for participant in participants:
            item_fee_line_credit(
                source=participant.fee_source, actor=actor, reason=CANCEL_REASON_IN_TIME
            )
    if not registration.participants.filter(cancelled_at__isnull=True).exists():
        registration.state = RegistrationState.CANCELLED
        registration.cancelled_at = now
        registration.save(update_fields=["state", "cancelled_at"])


def _refuse_past(session: Session, now: dt.datetime) -> None:
    if session.date < timezone.localdate(now):
        raise ValidationFailed(_("This session is over."), code=ActivitiesError.SESSION_PAST)


def registration_cancel(
    *, registration: Registration, actor, now: dt.datetime | None = None
) -> Registration:
    """Cancel the whole group; free (credited) until the activity's deadline. Frees the
    places for the waiting list."""
    now = now or timezone.now()
    with locking.locked_transaction():
        session_lock(registration.session)
        registration = Registration.objects.select_related("session__activity", "employer").get(
            pk=registration.pk
        )
        _refuse_past(registration.session, now)
        if registration.state == RegistrationState.CANCELLED:
            raise Conflict(
                _("This registration is already cancelled."),
                code=ActivitiesError.ALREADY_CANCELLED,
            )
        active = list(registration.participants.filter(cancelled_at__isnull=True))
        _cancel_participants(registration, active, actor, now)
        audit_log(actor=actor, action="activity_registration.cancel", obj=registration)
        waitlist_promote(session=registration.session, actor=actor, now=now)
    return registration


def participant_cancel(*, participant: Participant, actor, now: dt.datetime | None = None):
    """Cancel one person of a group (the rest stay registered)."""
    now = now or timezone.now()
    with locking.locked_transaction():
        session_lock(participant.session)
        participant = Participant.objects.select_related(
            "registration__session__activity", "registration__employer"
        ).get(pk=participant.pk)
        registration = participant.registration
        _refuse_past(registration.session, now)
        if participant.cancelled_at is not None:
            raise Conflict(
                _("This person's registration is already cancelled."),
                code=ActivitiesError.ALREADY_CANCELLED,
            )
        _cancel_participants(registration, [participant], actor, now)
        audit_log(actor=actor, action="activity_participant.cancel", obj=participant)
        waitlist_promote(session=registration.session, actor=actor, now=now)
    return participant


def waitlist_promote(*, session: Session, actor, now: dt.datetime) -> list[Registration]:
    """Confirm waitlisted groups in order while the head of the list fits. Runs inside the
    caller's locked transaction."""
    free = session.capacity - places_taken(session)
    promoted = []
    waiting = (
        Registration.objects.filter(session=session, state=RegistrationState.WAITLISTED)
        .select_related("session__activity", "employer")
        .annotate(size=Count("participants", filter=Q(participants__cancelled_at__isnull=True)))
        .order_by("created_at", "pk")
    )
    for registration in waiting:
        if registration.size > free:
            break
        registration.state = RegistrationState.CONFIRMED
        registration.confirmed_at = now
        registration.save(update_fields=["state", "confirmed_at"])
        _charge(
            registration,
            list(registration.participants.filter(cancelled_at__isnull=True)),
            actor,
            now,
        )
        free -= registration.size
        promoted.append(registration)
        audit_log(actor=actor, action="activity_registration.promote", obj=registration)
    return promoted


@dataclass(frozen=True)
class CheckIn:
    participant: Participant
    already: bool


def door_check_in(*, session: Session, text: str, actor, now: dt.datetime | None = None):
    """Check a scanned token (or typed ticket code) in at the door of ``session``.
    Idempotent: a second scan answers ``already`` and changes nothing."""
    from activities.tickets import token_read
    from scheduling.tokens import TOKEN_ERROR_MESSAGES

    now = now or timezone.now()
    read = token_read(text)
    if isinstance(read, str):
        raise ValidationFailed(str(TOKEN_ERROR_MESSAGES[read]), code=ActivitiesError.TICKET_INVALID)
    code, version = read
    participant = (
        Participant.objects.select_related("registration").filter(code=code, session=session)
    ).first()
    if participant is None:
        raise ValidationFailed(
            _("This ticket is not for this session."), code=ActivitiesError.TICKET_INVALID
        )
    if participant.cancelled_at is not None:
        raise ValidationFailed(
            _("This registration was cancelled."), code=ActivitiesError.ALREADY_CANCELLED
        )
    if version is not None and version != participant.token_version:
        raise ValidationFailed(
            _("This ticket was replaced by a newer one."), code=ActivitiesError.TICKET_INVALID
        )
    if participant.registration.state != RegistrationState.CONFIRMED:
        raise ValidationFailed(
            _("This person is on the waiting list, not confirmed."),
            code=ActivitiesError.NOT_CONFIRMED,
        )
    changed = Participant.objects.filter(pk=participant.pk, checked_in_at__isnull=True).update(
        checked_in_at=now,
        attendance=Attendance.ATTENDED,
        checked_in_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if changed:
        audit_log(actor=actor, action="activity_participant.check_in", obj=participant)
    participant.refresh_from_db()
    return CheckIn(participant=participant, already=not changed)


def no_shows_record(*, session: Session, actor, now: dt.datetime | None = None) -> int:
    """After the session day has started: every confirmed person not checked in is a no-show."""
    now = now or timezone.now()
    if session.date > timezone.localdate(now):
        raise ValidationFailed(
            _("No-shows are recorded on or after the session day."),
            code=ActivitiesError.NOT_CONFIRMED,
        )
    count = Participant.objects.filter(
        session=session,
        registration__state=RegistrationState.CONFIRMED,
        cancelled_at__isnull=True,
        checked_in_at__isnull=True,
        attendance=Attendance.EXPECTED,
    ).update(attendance=Attendance.NO_SHOW)
    audit_log(actor=actor, action="activity_session.no_shows", obj=session, count=count)
    return count
