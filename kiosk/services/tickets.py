"""Issuing queue tickets: check-in of booked visits (QR token or booking code), late
arrivals held for the reception's decision, walk-ins, and group check-in."""

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.dates import day_bounds
from core.exceptions import Conflict, NotFound, ValidationFailed
from core.hooks import hook_load, hook_paths
from core.locking import locked_transaction
from kiosk.constants import (
    DEFAULT_EARLY_MINUTES,
    DEFAULT_LATE_MINUTES,
    DEFAULT_PRIORITY_WINDOW_MINUTES,
    TicketPriority,
    TicketState,
)
from kiosk.errors import KioskError
from kiosk.models import KioskSettings, QueueTicket
from kiosk.selectors import walk_in_capacity
from kiosk.services.numbering import ticket_code_format, ticket_number_next
from kiosk.services.prices import walk_in_paid_refuse, walk_in_price_confirmed_require
from scheduling.constants import AppointmentStatus, GroupBookingStatus, LegState
from scheduling.errors import SchedulingError
from scheduling.models import Appointment, Client, GroupBooking, Location, ServiceType
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
    late: bool = False  # True: arrived too late; the reception decides (or decided)


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


def other_ticket_check_in(
    *, location: Location, token: str, now: dt.datetime | None = None
) -> str | None:
    """A signed ticket of another kind than a visit (``<letter><digit>.``, e.g. an activity
    ticket ``A2.``) goes to the hooks in ``settings.TICKET_CHECK_IN_HOOKS`` (the kiosk does not
    know those apps). Returns the first hook's message for the screen; None when it is not such
    a ticket or no hook takes it. A hook's refusal (DomainError) goes to the caller."""
    token = (token or "").strip()
    if looks_like_ticket_token(token) or not re.match(r"^[A-Za-z]\d\.", token):
        return None
    for dotted in hook_paths("TICKET_CHECK_IN_HOOKS"):
        message = hook_load("TICKET_CHECK_IN_HOOKS", dotted)(location=location, text=token, now=now)
        if message is not None:
            return message
    return None


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
    state: str = TicketState.WAITING,
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
        state=state,
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
    time check-in opens. Too late: a number held for the reception (state ``late``); the
    booking stays booked until the reception admits the person, serves them as a walk-in or
    marks a no-show (``late_arrival_*``). The kiosk never makes anyone a no-show.
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
                late=existing.booked_appointment_id == appointment.pk
                or existing.state == TicketState.LATE,
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
                return _late_hold(appointment=appointment, now=now, actor=actor)
        appointment = appointment_check_in(appointment=appointment, actor=actor)
        ticket = _issue(
            appointment=appointment, priority=_priority_of(appointment), now=now, actor=actor
        )
        return CheckInResult(ticket=ticket, created=True)


def _priority_of(appointment: Appointment) -> int:
    return TicketPriority.BOOKED if appointment.start is not None else TicketPriority.WALK_IN


def _late_hold(*, appointment: Appointment, now: dt.datetime, actor) -> CheckInResult:
    """A number for a late arrival, held (state ``late``) until the reception decides."""
    ticket = _issue(
        appointment=appointment,
        priority=TicketPriority.BOOKED,
        now=now,
        actor=actor,
        state=TicketState.LATE,
    )
    audit_log(actor=actor, action="queue_ticket.late_held", obj=ticket, appointment=appointment.pk)
    return CheckInResult(ticket=ticket, created=True, late=True)


def _locked_late_ticket(ticket: QueueTicket) -> QueueTicket:
    """Inside a locked transaction: the location, then the ticket, which must still be late."""
    _locked_location(ticket.location)
    ticket = (
        QueueTicket.objects.select_for_update()
        .select_related("appointment__client", "location")
        .get(pk=ticket.pk)
    )
    if ticket.state != TicketState.LATE:
        raise Conflict(
            _("Number %(code)s is not waiting for a decision (any more).") % {"code": ticket.code},
            code=KioskError.NOT_LATE,
        )
    return ticket


def late_arrival_admit(
    *, ticket: QueueTicket, actor, now: dt.datetime | None = None
) -> QueueTicket:
    """The reception admits a late arrival: the visit is checked in and the number queues as
    late, behind the people on time (see ``waiting_queue_for_counter``)."""
    now = now or timezone.now()
    with locked_transaction():
        ticket = _locked_late_ticket(ticket)
        appointment_check_in(appointment=ticket.appointment, actor=actor)
        ticket.state = TicketState.WAITING
        ticket.leg = leg_current(ticket.appointment)
        ticket.waiting_since = now
        ticket.save(update_fields=["state", "leg", "waiting_since", "updated_at"])
        audit_log(actor=actor, action="queue_ticket.late_admitted", obj=ticket)
        return ticket


def late_arrival_to_walk_in(
    *, ticket: QueueTicket, actor, now: dt.datetime | None = None
) -> QueueTicket:
    """The reception serves a late arrival as a walk-in for the same services (within the
    day's walk-in places): the booking becomes a no-show, the number stays the same."""
    now = now or timezone.now()
    with locked_transaction():
        ticket = _locked_late_ticket(ticket)
        booked = ticket.appointment
        services = [
            leg.service
            for leg in booked.legs.select_related("service").order_by("position")
            if leg.state == LegState.PLANNED
        ]
        _check_walk_in_allowed(ticket.location, services, timezone.localtime(now).date())
        appointment_mark_no_show(appointment=booked, actor=actor)
        walk_in = appointment_create_walk_in(
            client=booked.client, location=ticket.location, services=services, actor=actor
        )
        # The ticket moves to the walk-in visit; booked_appointment keeps repeated scans of
        # the old ticket finding this number.
        QueueTicket.objects.filter(pk=ticket.pk).update(
            appointment=walk_in,
            booked_appointment=booked,
            priority=TicketPriority.WALK_IN,
            state=TicketState.WAITING,
            leg=leg_current(walk_in),
            waiting_since=now,
            updated_at=now,
        )
        ticket = QueueTicket.objects.select_related("appointment", "leg__service").get(pk=ticket.pk)
        audit_log(
            actor=actor,
            action="queue_ticket.late_to_walk_in",
            obj=ticket,
            booked=booked.pk,
            walk_in=walk_in.pk,
        )
        return ticket


def late_arrival_no_show(
    *, ticket: QueueTicket, actor, now: dt.datetime | None = None
) -> QueueTicket:
    """The reception decides a late arrival cannot be helped today: the booking is a no-show
    and the number is closed."""
    now = now or timezone.now()
    with locked_transaction():
        ticket = _locked_late_ticket(ticket)
        appointment_mark_no_show(appointment=ticket.appointment, actor=actor)
        ticket.state = TicketState.NO_SHOW
        ticket.done_at = now
        ticket.save(update_fields=["state", "done_at", "updated_at"])
        audit_log(actor=actor, action="queue_ticket.late_no_show", obj=ticket)
        return ticket


LATE_DECISIONS = {
    "admit": late_arrival_admit,
    "walk-in": late_arrival_to_walk_in,
    "no-show": late_arrival_no_show,
}


def walk_in_issue(
    *,
    location: Location,
    services: Sequence[ServiceType],
    actor,
    client: Client | None = None,
    language: str = "en",
    via_kiosk: bool = False,
    price_confirmed: bool = False,
    now: dt.datetime | None = None,
) -> QueueTicket:
    """A walk-in number for chosen services, within the location's daily walk-in caps.

    A paid (fee-bearing) service is never a kiosk walk-in (``paid_at_reception``); at the
    reception it is issued only when the client agreed to its price (``price_confirmed``,
    else ``price_not_confirmed``)."""
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
    if via_kiosk:
        walk_in_paid_refuse(services)  # a paid service: the price is agreed at reception
    else:
        walk_in_price_confirmed_require(
            services, confirmed=price_confirmed, on=timezone.localtime(now).date()
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


def group_for_reference(reference: str) -> GroupBooking:
    """The confirmed group booking behind the reference the group's coordinator types (a
    worker's booking code or ticket is not a group's key)."""
    code = booking_code_normalise(reference)
    if not code:
        raise ValidationFailed(
            _("Type the reference of your group booking."), code=KioskError.CODE_REQUIRED
        )
    group = (
        GroupBooking.objects.filter(reference=code, status=GroupBookingStatus.CONFIRMED).first()
        if code and len(code) <= 12
        else None
    )
    if group is None:
        raise NotFound(
            _(
                "We do not know this group reference. Type the reference of the group booking "
                "(on the group's confirmation), or ask at the reception."
            ),
            code=KioskError.GROUP_UNKNOWN,
        )
    return group


def member_initials(appointment: Appointment) -> str:
    """What the kiosk shows of a group member: initials only ("M. K.")."""
    client = appointment.client
    return " ".join(
        f"{name[:1].upper()}." for name in (client.first_name, client.last_name) if name
    )


def group_members_for_check_in(
    *, group: GroupBooking, location: Location, now: dt.datetime | None = None
) -> list[Appointment]:
    """The group's open visits at this location today (nobody else's)."""
    now = now or timezone.now()
    start, end = day_bounds(timezone.localtime(now).date())
    return list(
        Appointment.objects.select_related("client")
        .filter(
            group_booking=group,
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


def group_members_here_today(
    *, reference: str, location: Location, now: dt.datetime | None = None
) -> tuple[GroupBooking, list[Appointment]]:
    group = group_for_reference(reference)
    members = group_members_for_check_in(group=group, location=location, now=now)
    if not members:
        raise ValidationFailed(
            _("This group has nobody booked here today."), code=KioskError.NOT_A_GROUP
        )
    return group, members


@dataclass(frozen=True)
class GroupCheckInLine:
    appointment: Appointment
    result: CheckInResult | None
    error: str = ""

    @property
    def initials(self) -> str:
        return member_initials(self.appointment)


def kiosk_group_check_in(
    *,
    location: Location,
    reference: str,
    present_ids: Iterable[int],
    actor=None,
    now: dt.datetime | None = None,
) -> list[GroupCheckInLine]:
    """A group coordinator types the group's reference and checks in the members who are
    present (each gets a number)."""
    now = now or timezone.now()
    group, found = group_members_here_today(reference=reference, location=location, now=now)
    members = {a.pk: a for a in found}
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
            obj=group,
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
    "group_for_reference",
    "group_members_for_check_in",
    "group_members_here_today",
    "member_initials",
    "kiosk_policy",
    "late_arrival_admit",
    "late_arrival_no_show",
    "late_arrival_to_walk_in",
    "LATE_DECISIONS",
]
