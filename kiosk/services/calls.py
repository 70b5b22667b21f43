"""What an officer does at a counter: call next, call a given number, recall, start, finish,
no-show and undo. Every action appends a CallEvent; the leg/visit state changes go through
the shared services in scheduling.services.legs.

Claims are compare-and-swap: ``UPDATE ... WHERE pk = %s AND state = 'waiting'`` and a check
that exactly one row changed, so two counters never get the same person.
"""

import datetime as dt

from django.db import connection, transaction
from django.db.models import (
    Case,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.exceptions import Conflict, NotFound, ValidationFailed
from kiosk.constants import (
    AT_COUNTER_STATES,
    UNDOABLE_ACTIONS,
    CallAction,
    TicketPriority,
    TicketState,
)
from kiosk.errors import KioskError
from kiosk.models import CallEvent, QueueTicket
from kiosk.services.tickets import kiosk_policy
from scheduling.errors import SchedulingError
from scheduling.locking import locations_lock
from scheduling.models import Appointment, Counter
from scheduling.services.legs import (
    OPEN_VISIT_STATUSES,
    appointment_mark_no_show,
    appointment_no_show_revert,
    leg_current,
    leg_finish,
    leg_reopen,
    leg_start,
)

CLAIM_ATTEMPTS = 5


def _event(
    *, ticket: QueueTicket, counter: Counter, action: str, actor, now, undoes=None, leg_id=None
) -> CallEvent:
    wait = None
    if action == CallAction.CALL:
        wait = max(int((now - ticket.waiting_since).total_seconds()), 0)
    return CallEvent.objects.create(
        wait_seconds=wait,
        ticket=ticket,
        counter=counter,
        leg_id=leg_id if leg_id is not None else ticket.leg_id,
        action=action,
        undoes=undoes,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        at=now,
    )


def _fresh(ticket: QueueTicket) -> QueueTicket:
    return QueueTicket.objects.select_related("leg__service", "counter", "appointment").get(
        pk=ticket.pk
    )


def _check_counter(counter: Counter) -> None:
    if not counter.is_active:
        raise Conflict(_("This counter is closed."), code=KioskError.COUNTER_INACTIVE)


def counter_current_ticket(counter: Counter) -> QueueTicket | None:
    return (
        QueueTicket.objects.select_related("leg__service", "appointment__client")
        .filter(counter=counter, state__in=AT_COUNTER_STATES)
        .order_by("-called_at")
        .first()
    )


def _ensure_free(counter: Counter) -> None:
    current = QueueTicket.objects.filter(counter=counter, state__in=AT_COUNTER_STATES).first()
    if current is not None:
        raise Conflict(
            _("Number %(code)s is still at this counter. Finish it or mark it as a no-show first.")
            % {"code": current.code},
            code=KioskError.COUNTER_BUSY,
        )


def waiting_queue_for_counter(counter: Counter, *, now: dt.datetime, service_ids=None):
    """Waiting tickets this counter may serve, in call order.

    First booked visits on time whose current leg is due (from ``priority_window_minutes``
    before it), in the order of their slots (a 09:00 booking checked in at 13:55 does not go
    before people booked for 14:15); then everyone else by waiting time. A booked visit checked
    in more than ``late_minutes`` after its start (e.g. checked in at the reception) is ``late``:
    queued behind the people on time, with the walk-ins, and shown as late (as is a late
    arrival the kiosk turned into a walk-in)."""
    service_ids = (
        list(counter.services.values_list("pk", flat=True)) if service_ids is None else service_ids
    )
    policy = kiosk_policy(counter.location)
    window = dt.timedelta(minutes=policy.priority_window_minutes)
    late_after = dt.timedelta(minutes=policy.late_minutes)
    day = timezone.localtime(now).date()
    booked = Q(priority=TicketPriority.BOOKED)
    late = Q(booked_appointment__isnull=False) | booked & Q(
        issued_at__gt=ExpressionWrapper(
            F("appointment__start") + Value(late_after), output_field=DateTimeField()
        )
    )
    return (
        QueueTicket.objects.filter(
            location_id=counter.location_id,
            service_date=day,
            state=TicketState.WAITING,
            leg__service_id__in=service_ids,
        )
        .annotate(
            late=Case(When(late, then=Value(True)), default=Value(False)),
            due_class=Case(
                When(late, then=Value(1)),
                When(booked & Q(leg__start__lte=now + window), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            slot=Case(When(due_class=0, then=F("leg__start")), default=None),
        )
        .order_by("due_class", "slot", "waiting_since", "pk")
    )


def _claim(ticket_id: int, leg_id: int, *, counter: Counter, now) -> bool:
    """Compare-and-swap: only a ticket still waiting for the same leg is taken. (The leg is
    part of the compare: a ticket that was called, served and put back in the queue for its
    next leg meanwhile is not the one this counter chose.)"""
    return (
        QueueTicket.objects.filter(pk=ticket_id, state=TicketState.WAITING, leg_id=leg_id).update(
            state=TicketState.CALLED, counter=counter, called_at=now, recalls=0, updated_at=now
        )
        == 1
    )


@transaction.atomic
def _after_claim(ticket_id: int, *, counter: Counter, actor, now, action=CallAction.CALL):
    ticket = QueueTicket.objects.select_related("leg__service").get(pk=ticket_id)
    _event(ticket=ticket, counter=counter, action=action, actor=actor, now=now)
    audit_log(
        actor=actor, action="queue_ticket.call", obj=ticket, counter=counter.pk, code=ticket.code
    )
    return ticket


def ticket_call_next(*, counter: Counter, actor, now: dt.datetime | None = None) -> QueueTicket:
    """Call the next person this counter may serve. Raises NotFound when nobody waits.

    On PostgreSQL the head of the queue is read with ``FOR UPDATE SKIP LOCKED``, so
    counters calling at the same moment take different people instead of queuing behind
    one row lock; the compare-and-swap below guards the claim on every database.
    """
    now = now or timezone.now()
    _check_counter(counter)
    _ensure_free(counter)
    service_ids = list(counter.services.values_list("pk", flat=True))
    skip_locked = connection.features.has_select_for_update_skip_locked
    for _attempt in range(CLAIM_ATTEMPTS):
        queue = waiting_queue_for_counter(counter, now=now, service_ids=service_ids)
        if skip_locked:
            with transaction.atomic():
                head = (
                    queue.select_for_update(skip_locked=True, of=("self",))
                    .values_list("pk", "leg_id")
                    .first()
                )
                if head is None:
                    break
                if _claim(*head, counter=counter, now=now):
                    return _after_claim(head[0], counter=counter, actor=actor, now=now)
            continue
        candidates = list(queue.values_list("pk", "leg_id")[:5])
        if not candidates:
            break
        for ticket_id, leg_id in candidates:
            with transaction.atomic():
                if _claim(ticket_id, leg_id, counter=counter, now=now):
                    return _after_claim(ticket_id, counter=counter, actor=actor, now=now)
    raise NotFound(
        _("Nobody is waiting for the services of this counter."), code=KioskError.QUEUE_EMPTY
    )


def ticket_call(
    *, counter: Counter, ticket: QueueTicket, actor, now: dt.datetime | None = None
) -> QueueTicket:
    """Call a given waiting number (e.g. someone the receptionist points to)."""
    now = now or timezone.now()
    _check_counter(counter)
    _ensure_free(counter)
    ticket = QueueTicket.objects.select_related("leg__service").get(pk=ticket.pk)
    if ticket.location_id != counter.location_id:
        raise NotFound(_("No such number at this location."), code=KioskError.TICKET_NOT_HERE)
    if ticket.state != TicketState.WAITING:
        raise Conflict(
            _("Number %(code)s is not waiting (%(state)s).")
            % {"code": ticket.code, "state": ticket.get_state_display()},
            code=KioskError.TICKET_NOT_WAITING,
        )
    if ticket.leg_id is None or not counter.services.filter(pk=ticket.leg.service_id).exists():
        raise ValidationFailed(
            _("Counter %(counter)s cannot perform %(service)s.")
            % {"counter": counter.name, "service": ticket.leg.service.localized_name()},
            code=SchedulingError.COUNTER_CANNOT_SERVE,
        )
    with transaction.atomic():
        if not _claim(ticket.pk, ticket.leg_id, counter=counter, now=now):
            raise Conflict(
                _("Another counter just called this number."), code=KioskError.ALREADY_CALLED
            )
        return _after_claim(ticket.pk, counter=counter, actor=actor, now=now)


def _current(counter: Counter, *states) -> QueueTicket:
    ticket = (
        QueueTicket.objects.select_for_update()
        .filter(counter=counter, state__in=states or AT_COUNTER_STATES)
        .order_by("-called_at")
        .first()
    )
    if ticket is None:
        other = QueueTicket.objects.filter(counter=counter, state__in=AT_COUNTER_STATES).first()
        if other is not None:  # e.g. "start" pressed twice
            raise Conflict(
                _("Number %(code)s is already %(state)s; this button does not apply now.")
                % {"code": other.code, "state": other.get_state_display().lower()},
                code=KioskError.WRONG_TICKET_STATE,
            )
        raise Conflict(_("There is nobody at this counter."), code=KioskError.COUNTER_IDLE)
    return ticket


@transaction.atomic
def ticket_recall(*, counter: Counter, actor, now: dt.datetime | None = None) -> QueueTicket:
    """Call the same number again (shown again on the display)."""
    now = now or timezone.now()
    ticket = _current(counter, TicketState.CALLED)
    ticket.recalls += 1
    ticket.called_at = now
    ticket.save(update_fields=["recalls", "called_at", "updated_at"])
    _event(ticket=ticket, counter=counter, action=CallAction.RECALL, actor=actor, now=now)
    return _fresh(ticket)


@transaction.atomic
def ticket_start(*, counter: Counter, actor, now: dt.datetime | None = None) -> QueueTicket:
    """The called person arrived at the counter: the leg is in progress."""
    now = now or timezone.now()
    ticket = _current(counter, TicketState.CALLED)
    leg_start(leg=ticket.leg, counter=counter, actor=actor)
    ticket.state = TicketState.SERVING
    ticket.serving_at = now
    ticket.save(update_fields=["state", "serving_at", "updated_at"])
    _event(ticket=ticket, counter=counter, action=CallAction.START, actor=actor, now=now)
    return _fresh(ticket)


@transaction.atomic
def ticket_finish(
    *, counter: Counter, actor, completed: bool = True, now: dt.datetime | None = None
) -> QueueTicket:
    """Finish the leg. With a next leg the same number waits again for it; else done.

    The leg is the one source of truth: ``leg_finish`` calls ``ticket_follow_leg`` (through
    ``LEG_HOOKS["finished"]``), which moves the number on, whichever screen finished the leg."""
    now = now or timezone.now()
    ticket = _current(counter, TicketState.SERVING)
    leg_finish(leg=ticket.leg, actor=actor, completed=completed, now=now)
    ticket_follow_leg(leg=ticket.leg, actor=actor, now=now)  # no-op when the hook ran
    return _fresh(ticket)


def ticket_lock_for_leg(*, leg_id: int) -> None:
    """``LEG_HOOKS["lock"]``: lock the queue numbers of a leg (any state, in key order) for the
    rest of the transaction. A path that finishes a leg without holding its number (counter's
    record for a leg in progress) takes it this way before the leg's and the visit's rows, as
    the console's finish does (the lock order of scheduling.locking: number, then visit); the
    ``ticket_follow_leg`` that follows then locks a number it already holds."""
    list(
        QueueTicket.objects.select_for_update()
        .filter(leg_id=leg_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def ticket_follow_leg(*, leg, actor, now: dt.datetime | None = None) -> QueueTicket | None:
    """``LEG_HOOKS["finished"]``: the number serving a leg that is now finished moves on (to
    wait for the visit's next leg, or done). Idempotent; no ticket (a visit served without
    the queue) is fine."""
    now = now or timezone.now()
    ticket = (
        QueueTicket.objects.select_for_update()
        .filter(leg_id=leg.pk, state=TicketState.SERVING)
        .first()
    )
    if ticket is None:
        return None
    counter = ticket.counter
    finished_leg_id = ticket.leg_id
    next_leg = leg_current(ticket.appointment)
    if next_leg is not None:
        ticket.state = TicketState.WAITING
        ticket.leg = next_leg
        ticket.counter = None
        ticket.waiting_since = now
        ticket.called_at = None
        ticket.serving_at = None
    else:
        ticket.state = TicketState.DONE
        ticket.done_at = now
    ticket.save()
    _event(
        ticket=ticket,
        counter=counter,
        action=CallAction.FINISH,
        actor=actor,
        now=now,
        leg_id=finished_leg_id,
    )
    return ticket


@transaction.atomic
def ticket_mark_no_show(*, counter: Counter, actor, now: dt.datetime | None = None) -> QueueTicket:
    """The called person did not come: the visit is a no-show, the number leaves the queue."""
    now = now or timezone.now()
    ticket = _current(counter, TicketState.CALLED)
    appointment_mark_no_show(appointment=ticket.appointment, actor=actor)
    ticket.state = TicketState.NO_SHOW
    ticket.done_at = now
    ticket.save(update_fields=["state", "done_at", "updated_at"])
    _event(ticket=ticket, counter=counter, action=CallAction.NO_SHOW, actor=actor, now=now)
    return _fresh(ticket)


def _last_undoable(counter: Counter) -> CallEvent | None:
    undone = CallEvent.objects.filter(undoes=OuterRef("pk"))
    return (
        CallEvent.objects.select_related("ticket", "leg")
        .filter(counter=counter, action__in=UNDOABLE_ACTIONS)
        .filter(~Exists(undone))
        .order_by("-at", "-pk")
        .first()
    )


@transaction.atomic
def counter_undo(
    *, counter: Counter, actor, reason: str = "", now: dt.datetime | None = None
) -> QueueTicket:
    """Take back the counter's last call, start, finish or no-show (audited)."""
    now = now or timezone.now()
    reason = reason or _("undo at the counter")
    event = _last_undoable(counter)
    if event is None:
        raise Conflict(_("There is nothing to undo."), code=KioskError.NOTHING_TO_UNDO)
    if event.action == CallAction.NO_SHOW:
        # The lock order (scheduling.locking): the location before the number. Undoing a
        # no-show gives the visit its counter time back under its location's lock
        # (appointment_no_show_revert, which takes it again: a no-op), so it is taken first.
        visits = Appointment.objects.filter(pk=event.ticket.appointment_id)
        locations_lock(visits.values_list("location_id", flat=True))
    ticket = QueueTicket.objects.select_for_update().get(pk=event.ticket_id)
    moved_on = Conflict(
        _("Number %(code)s has moved on since; it cannot be undone here.") % {"code": ticket.code},
        code=KioskError.UNDO_TOO_LATE,
    )
    if event.action == CallAction.CALL:
        if ticket.state != TicketState.CALLED or ticket.counter_id != counter.pk:
            raise moved_on
        ticket.state = TicketState.WAITING
        ticket.counter = None
        ticket.called_at = None
    elif event.action == CallAction.START:
        if ticket.state != TicketState.SERVING or ticket.counter_id != counter.pk:
            raise moved_on
        leg_reopen(leg=ticket.leg, actor=actor, reason=reason)
        ticket.state = TicketState.CALLED
        ticket.serving_at = None
    elif event.action == CallAction.FINISH:
        next_untouched = ticket.state == TicketState.WAITING and ticket.leg_id != event.leg_id
        if not (next_untouched or ticket.state == TicketState.DONE):
            raise moved_on
        _ensure_free(counter)
        leg_reopen(leg=event.leg, actor=actor, reason=reason)
        leg_start(leg=event.leg, counter=counter, actor=actor)
        ticket.state = TicketState.SERVING
        ticket.leg = event.leg
        ticket.counter = counter
        ticket.done_at = None
        ticket.serving_at = ticket.serving_at or now
        ticket.called_at = ticket.called_at or event.at
    elif event.action == CallAction.NO_SHOW:
        if ticket.state != TicketState.NO_SHOW:
            raise moved_on
        appointment_no_show_revert(appointment=ticket.appointment, actor=actor, reason=reason)
        ticket.state = TicketState.CALLED
        ticket.counter = counter
        ticket.done_at = None
    ticket.save()
    _event(
        ticket=ticket,
        counter=counter,
        action=CallAction.UNDO,
        actor=actor,
        now=now,
        undoes=event,
        leg_id=event.leg_id,
    )
    audit_log(
        actor=actor,
        action="queue_ticket.undo",
        obj=ticket,
        reason=reason,
        undone=event.action,
        counter=counter.pk,
    )
    return _fresh(ticket)


def queue_day_close(*, before: dt.datetime, now: dt.datetime, actor=None) -> int:
    """DAY_CLOSE_HOOKS: numbers of ended days still waiting, called or held for the reception
    are closed as no-shows, and so are their visits (the person left without being served).
    A number being served is left to its counter."""
    day = timezone.localtime(before).date()
    with transaction.atomic():
        tickets = list(
            QueueTicket.objects.select_for_update()
            .select_related("appointment")
            .filter(
                service_date__lt=day,
                state__in=(TicketState.WAITING, TicketState.CALLED, TicketState.LATE),
            )
            .order_by("pk")
        )
        for ticket in tickets:
            if ticket.appointment.status in OPEN_VISIT_STATUSES:
                appointment_mark_no_show(appointment=ticket.appointment, actor=actor)
        QueueTicket.objects.filter(pk__in=[t.pk for t in tickets]).update(
            state=TicketState.NO_SHOW, done_at=now, counter=None
        )
        if tickets:
            audit_log(
                actor=actor,
                action="queue.day_closed",
                object_type="kiosk.queueticket",
                object_id="*",
                tickets=[t.pk for t in tickets],
                before=before.isoformat(),
            )
    return len(tickets)
