"""Issuing queue tickets: check-in of booked visits (QR token or booking code), late
arrivals turned into walk-ins, walk-ins, and group check-in."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.dates import day_bounds
from core.exceptions import Conflict, NotFound, ValidationFailed
from core.locking import locked_transaction
from kiosk.constants import (
    DEFAULT_EARLY_MINUTES,
    DEFAULT_LATE_MINUTES,
    DEFAULT_PRIORITY_WINDOW_MINUTES,
    TicketPriority,
    TicketState,
)
from kiosk.errors import KioskError
from kiosk.models import KioskSettings, QueueTicket, WalkInPolicy
from kiosk.services.numbering import ticket_code_format, ticket_number_next
from scheduling.constants import AppointmentStatus
from scheduling.errors import SchedulingError
from scheduling.models import Appointment, Client, Location, ServiceType
from scheduling.services.legs import appointment_check_in, appointment_mark_no_show, leg_current
from scheduling.services.walkins import appointment_create_walk_in, walk_in_client_placeholder
from scheduling.tokens import TokenError, looks_like_ticket_token, ticket_token_resolve


@dataclass(frozen=True)
class KioskPolicy:
    early_minutes: int = DEFAULT_EARLY_MINUTES
    late_minutes: int = DEFAULT_LATE_MINUTES
    priority_window_minutes: int = DEFAULT_PRIORITY_WINDOW_MINUTES
    kiosk_walk_ins: bool = False


def kiosk_policy(location: Location) -> KioskPolicy:
    row = KioskSettings.objects.filter(location=location).first()
    if row is None:
        return KioskPolicy()
    return KioskPolicy(
        early_minutes=row.early_minutes,
        late_minutes=row.late_minutes,
        priority_window_minutes=row.priority_window_minutes,
        kiosk_walk_ins=row.kiosk_walk_ins,
    )


@dataclass(frozen=True)
class CheckInResult:
    ticket: QueueTicket
    created: bool  # False: a repeated scan, nothing changed
    late: bool = False  # True: arrived too late, served as a walk-in


def booking_code_normalise(code: str) -> str:
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def appointment_for_code(*, token: str = "", booking_code: str = "") -> Appointment:
    """The appointment behind a scanned QR token or a typed booking code (errors: domain)."""
    token = (token or "").strip()
    if looks_like_ticket_token(token):
        result = ticket_token_resolve(token)
        if result.ok:
            return result.appointment
        error_class = Conflict if result.error == TokenError.CANCELLED else ValidationFailed
        raise error_class(result.message, code=KioskError(f"ticket_{result.error}"))
    code = booking_code_normalise(booking_code or token)
    if not code or len(code) > 12:
        raise ValidationFailed(
            _("Scan the QR code on your ticket or type your booking code."),
            code=KioskError.CODE_REQUIRED,
        )
    appointment = (
        Appointment.objects.select_related("client", "location").filter(booking_code=code).first()
    )
    if appointment is None:
        raise NotFound(
            _("We do not know this booking code. Check it, or ask at the reception."),
            code=KioskError.TICKET_UNKNOWN,
        )
    if appointment.status == AppointmentStatus.CANCELLED:
        raise Conflict(_("This appointment was cancelled."), code=KioskError.TICKET_CANCELLED)
    return appointment


def _existing_ticket(appointment: Appointment) -> QueueTicket | None:
    return (
        QueueTicket.objects.select_related("counter", "leg__service")
        .filter(appointment=appointment)
        .first()
        or QueueTicket.objects.select_related("counter", "leg__service")
        .filter(booked_appointment=appointment)
        .first()
    )


def _check_place_and_day(appointment: Appointment, location: Location, now: dt.datetime) -> None:
    if appointment.location_id != location.pk:
        raise Conflict(
            _("This appointment is at another location: %(location)s.")
            % {"location": appointment.location.name},
            code=KioskError.WRONG_LOCATION,
        )
    if appointment.start is not None:
        day = timezone.localtime(appointment.start).date()
        if day != timezone.localtime(now).date():
            raise Conflict(
                _("This appointment is on another day: %(day)s.")
                % {"day": formats.date_format(day, "DATE_FORMAT")},
                code=KioskError.WRONG_DAY,
            )


def _issue(
    *,
    appointment: Appointment,
    priority: int,
    now: dt.datetime,
    actor,
    booked_appointment: Appointment | None = None,
) -> QueueTicket:
    leg = leg_current(appointment)
    if leg is None:
        raise Conflict(_("This visit has nothing left to do."), code=KioskError.NOTHING_TO_DO)
    prefix = (leg.service.queue_prefix or "A").upper()
    day = timezone.localtime(now).date()
    number = ticket_number_next(
        location_id=appointment.location_id, service_date=day, prefix=prefix
    )
    ticket = QueueTicket.objects.create(
        location_id=appointment.location_id,
        service_date=day,
        prefix=prefix,
        number=number,
        code=ticket_code_format(prefix, number),
        appointment=appointment,
        booked_appointment=booked_appointment,
        priority=priority,
        state=TicketState.WAITING,
        leg=leg,
        issued_at=now,
        waiting_since=now,
    )
    audit_log(
        actor=actor,
        action="queue_ticket.issue",
        obj=ticket,
        code=ticket.code,
        appointment=appointment.pk,
        walk_in=priority == TicketPriority.WALK_IN,
    )
    return ticket


def walk_in_capacity(*, location: Location, day: dt.date) -> dict[int, int]:
    """Per service id with an active walk-in policy: walk-in places left today (computed)."""
    policies = {
        p.service_id: p.daily_cap
        for p in WalkInPolicy.objects.filter(location=location, is_active=True)
    }
    if not policies:
        return {}
    used: dict[int, int] = {}
    rows = QueueTicket.objects.filter(
        location=location, service_date=day, priority=TicketPriority.WALK_IN
    ).values_list("appointment__legs__service_id", flat=True)
    for service_id in rows:
        used[service_id] = used.get(service_id, 0) + 1
    return {sid: max(cap - used.get(sid, 0), 0) for sid, cap in policies.items()}


def _check_walk_in_allowed(location: Location, services: Sequence[ServiceType], day) -> None:
    left = walk_in_capacity(location=location, day=day)
    for service in services:
        if service.pk not in left:
            raise ValidationFailed(
                _("No walk-ins for %(service)s at this location. Please book an appointment.")
                % {"service": service.localized_name()},
                code=KioskError.WALK_IN_NOT_OFFERED,
            )
        if left[service.pk] <= 0:
            raise Conflict(
                _("No walk-in places left today for %(service)s. Please book an appointment.")
                % {"service": service.localized_name()},
                code=KioskError.WALK_IN_CAP_REACHED,
            )


def _locked_location(location: Location) -> Location:
    return Location.objects.select_for_update().get(pk=location.pk)


def kiosk_check_in(
    *,
    location: Location,
    token: str = "",
    booking_code: str = "",
    actor=None,
    now: dt.datetime | None = None,
) -> CheckInResult:
    """Check a booked visit in at the kiosk and give it a queue number.

    A repeated scan returns the same ticket and changes nothing. Too early: refused with the
    time check-in opens. Too late: the booking is marked no-show and the person is served as
    a walk-in for the same services, if walk-in places are left.
    """
    appointment = appointment_for_code(token=token, booking_code=booking_code)
    return kiosk_check_in_appointment(
        location=location, appointment=appointment, actor=actor, now=now
    )


def kiosk_check_in_appointment(
    *, location: Location, appointment: Appointment, actor=None, now: dt.datetime | None = None
) -> CheckInResult:
    now = now or timezone.now()
    _check_place_and_day(appointment, location, now)
    with locked_transaction():
        # Location first, then the visit: the same order as walk-ins (sorted keys).
        location = _locked_location(location)
        appointment = (
            Appointment.objects.select_for_update()
            .select_related("client", "location")
            .get(pk=appointment.pk)
        )
        existing = _existing_ticket(appointment)
        if existing is not None and existing.state == TicketState.NO_SHOW:
            raise Conflict(
                _(
                    "Your number %(code)s was called, but you were not there. Please ask at the "
                    "reception."
                )
                % {"code": existing.code},
                code=KioskError.TICKET_NO_SHOW,
            )
        if existing is not None:
            return CheckInResult(
                ticket=existing,
                created=False,
                late=existing.booked_appointment_id == appointment.pk,
            )
        if appointment.status in (AppointmentStatus.CHECKED_IN, AppointmentStatus.IN_PROGRESS):
            return CheckInResult(
                ticket=_issue(
                    appointment=appointment,
                    priority=_priority_of(appointment),
                    now=now,
                    actor=actor,
                ),
                created=True,
            )
        if appointment.status == AppointmentStatus.CANCELLED:
            raise Conflict(_("This appointment was cancelled."), code=KioskError.TICKET_CANCELLED)
        if appointment.status != AppointmentStatus.BOOKED:
            raise Conflict(
                _("This visit cannot be checked in (status: %(status)s).")
                % {"status": appointment.get_status_display()},
                code=KioskError.VISIT_NOT_BOOKED,
            )
        policy = kiosk_policy(location)
        if appointment.start is not None:
            opens = appointment.start - dt.timedelta(minutes=policy.early_minutes)
            if now < opens:
                raise ValidationFailed(
                    _("You are early. Check-in opens at %(time)s. Please come back then.")
                    % {"time": formats.time_format(timezone.localtime(opens), "H:i")},
                    code=KioskError.TOO_EARLY,
                    details={"opens_at": opens.isoformat()},
                )
            if now > appointment.start + dt.timedelta(minutes=policy.late_minutes):
                return _late_to_walk_in(
                    location=location, appointment=appointment, now=now, actor=actor
                )
        appointment = appointment_check_in(appointment=appointment, actor=actor)
        ticket = _issue(
            appointment=appointment, priority=_priority_of(appointment), now=now, actor=actor
        )
        return CheckInResult(ticket=ticket, created=True)


def _priority_of(appointment: Appointment) -> int:
    return TicketPriority.BOOKED if appointment.start is not None else TicketPriority.WALK_IN


def _late_to_walk_in(
    *, location: Location, appointment: Appointment, now: dt.datetime, actor
) -> CheckInResult:
    services = [
        leg.service for leg in appointment.legs.select_related("service") if leg.state == "planned"
    ]
    day = timezone.localtime(now).date()
    try:
        _check_walk_in_allowed(location, services, day)
    except (ValidationFailed, Conflict) as exc:
        raise Conflict(
            _(
                "You are too late for your appointment and cannot be helped as a walk-in today "
                "(%(reason)s). Please ask at the reception."
            )
            % {"reason": exc.message},
            code=KioskError.TOO_LATE,
        ) from exc
    appointment_mark_no_show(appointment=appointment, actor=actor)
    walk_in = appointment_create_walk_in(
        client=appointment.client, location=location, services=services, actor=actor
    )
    ticket = _issue(
        appointment=walk_in,
        priority=TicketPriority.WALK_IN,
        now=now,
        actor=actor,
        booked_appointment=appointment,
    )
    audit_log(
        actor=actor,
        action="appointment.late_to_walk_in",
        obj=appointment,
        walk_in=walk_in.pk,
        ticket=ticket.code,
    )
    return CheckInResult(ticket=ticket, created=True, late=True)


def walk_in_issue(
    *,
    location: Location,
    services: Sequence[ServiceType],
    actor,
    client: Client | None = None,
    language: str = "en",
    via_kiosk: bool = False,
    now: dt.datetime | None = None,
) -> QueueTicket:
    """A walk-in number for chosen services, within the location's daily walk-in caps."""
    now = now or timezone.now()
    services = list({s.pk: s for s in services}.values())
    if not services:
        raise ValidationFailed(
            _("Choose at least one service."), code=SchedulingError.SERVICES_REQUIRED
        )
    if via_kiosk and not kiosk_policy(location).kiosk_walk_ins:
        raise Conflict(
            _("Walk-in numbers are given at the reception desk."),
            code=KioskError.KIOSK_WALK_INS_DISABLED,
        )
    with locked_transaction():
        location = _locked_location(location)
        _check_walk_in_allowed(location, services, timezone.localtime(now).date())
        if client is None:
            client = walk_in_client_placeholder(location=location, language=language, actor=actor)
        appointment = appointment_create_walk_in(
            client=client, location=location, services=services, actor=actor
        )
        return _issue(
            appointment=appointment, priority=TicketPriority.WALK_IN, now=now, actor=actor
        )


def group_members_for_check_in(
    *, appointment: Appointment, location: Location, now: dt.datetime | None = None
) -> list[Appointment]:
    """The employer's booked visits at this location today, when the scanned visit belongs to
    a group booking (empty otherwise)."""
    if appointment.group_booking_id is None:
        return []
    now = now or timezone.now()
    start, end = day_bounds(timezone.localtime(now).date())
    return list(
        Appointment.objects.select_related("client")
        .filter(
            group_booking__employer_id=appointment.group_booking.employer_id,
            location=location,
            start__gte=start,
            start__lt=end,
            status__in=(
                AppointmentStatus.BOOKED,
                AppointmentStatus.CHECKED_IN,
                AppointmentStatus.IN_PROGRESS,
            ),
        )
        .order_by("start", "pk")
    )


@dataclass(frozen=True)
class GroupCheckInLine:
    appointment: Appointment
    result: CheckInResult | None
    error: str = ""


def kiosk_group_check_in(
    *,
    location: Location,
    token: str = "",
    booking_code: str = "",
    present_ids: Iterable[int],
    actor=None,
    now: dt.datetime | None = None,
) -> list[GroupCheckInLine]:
    """A group coordinator checks in the members who are present (each gets a number)."""
    now = now or timezone.now()
    scanned = appointment_for_code(token=token, booking_code=booking_code)
    _check_place_and_day(scanned, location, now)
    members = {
        a.pk: a for a in group_members_for_check_in(appointment=scanned, location=location, now=now)
    }
    if not members:
        raise ValidationFailed(
            _("This ticket does not belong to a group booking."), code=KioskError.NOT_A_GROUP
        )
    chosen = [members[pk] for pk in sorted(set(present_ids)) if pk in members]
    if not chosen:
        raise ValidationFailed(
            _("Tick at least one person who is present."), code=KioskError.NONE_PRESENT
        )
    lines = []
    for appointment in chosen:
        try:
            result = kiosk_check_in_appointment(
                location=location, appointment=appointment, actor=actor, now=now
            )
            lines.append(GroupCheckInLine(appointment=appointment, result=result))
        except (ValidationFailed, Conflict) as exc:
            lines.append(
                GroupCheckInLine(appointment=appointment, result=None, error=str(exc.message))
            )
    if any(line.result and line.result.created for line in lines):
        audit_log(
            actor=actor,
            action="queue.group_check_in",
            obj=scanned.group_booking,
            present=[line.appointment.pk for line in lines if line.result],
        )
    return lines


__all__ = [
    "CheckInResult",
    "GroupCheckInLine",
    "kiosk_check_in",
    "kiosk_check_in_appointment",
    "kiosk_group_check_in",
    "walk_in_issue",
    "walk_in_capacity",
    "group_members_for_check_in",
    "kiosk_policy",
]
