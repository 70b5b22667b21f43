"""Reads of the queue: the display board, the reception lists and the KPIs."""

import datetime as dt
import math
from collections import defaultdict
from statistics import mean

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from kiosk.constants import (
    AT_COUNTER_STATES,
    OPEN_TICKET_STATES,
    CallAction,
    TicketPriority,
    TicketState,
)
from kiosk.models import CallEvent, QueueTicket, WalkInPolicy
from scheduling.models import Counter, Location, ServiceType

DISPLAY_HISTORY = 8
DISPLAY_LAST_CALLS = 5


def display_board(*, location: Location, now: dt.datetime | None = None) -> dict:
    """What the public screen shows: numbers and counter names only, never a person."""
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    current = [
        {
            "code": t.code,
            "counter": t.counter.name if t.counter else "",
            "state": t.state,
            "called_at": t.called_at,
        }
        for t in QueueTicket.objects.select_related("counter")
        .filter(location=location, service_date=day, state__in=AT_COUNTER_STATES)
        .order_by("-called_at", "-pk")
    ]
    last_call = (
        CallEvent.objects.filter(
            ticket__location=location,
            ticket__service_date=day,
            action__in=(CallAction.CALL, CallAction.RECALL),
        )
        .order_by("-pk")
        .values_list("pk", flat=True)
        .first()
    )
    waiting = (
        QueueTicket.objects.filter(location=location, service_date=day, state=TicketState.WAITING)
        .values("prefix")
        .annotate(n=Count("pk"))
        .order_by("prefix")
    )
    return {
        "location": location.name,
        "now": now,
        "calls": current[: DISPLAY_HISTORY * 2],
        "last_calls": _last_calls(location, day),
        "waiting_by_service": _waiting_by_service(location, day),
        "waiting": {row["prefix"]: row["n"] for row in waiting},
        "last_call_id": last_call or 0,
    }


def _last_calls(location: Location, day) -> list[dict]:
    """The last DISPLAY_LAST_CALLS numbers called (a recall moves a number up), newest first."""
    seen, calls = set(), []
    events = (
        CallEvent.objects.filter(
            ticket__location=location,
            ticket__service_date=day,
            action__in=(CallAction.CALL, CallAction.RECALL),
        )
        .exclude(Exists(CallEvent.objects.filter(undoes=OuterRef("pk"))))
        .select_related("ticket", "counter")
        .order_by("-pk")[: DISPLAY_LAST_CALLS * 4]
    )
    for event in events:
        if event.ticket_id in seen:
            continue
        seen.add(event.ticket_id)
        calls.append({"code": event.ticket.code, "counter": event.counter.name})
        if len(calls) == DISPLAY_LAST_CALLS:
            break
    return calls


def _waiting_by_service(location: Location, day) -> list[dict]:
    """How many people wait for each service (their current leg), by the service's name."""
    rows = (
        QueueTicket.objects.filter(location=location, service_date=day, state=TicketState.WAITING)
        .values("leg__service")
        .annotate(n=Count("pk"))
    )
    counts = {row["leg__service"]: row["n"] for row in rows}
    services = ServiceType.objects.filter(pk__in=counts).order_by("sort_order", "pk")
    return [{"service": s.localized_name(), "waiting": counts[s.pk]} for s in services]


def reception_lists(
    *, location: Location, service_id: int | None = None, now: dt.datetime | None = None
) -> dict[str, list[dict]]:
    """Waiting, called and serving tickets of today with wait times (no names), and the late
    arrivals whose numbers wait for the reception's decision (``late``)."""
    now = now or timezone.now()
    day = timezone.localtime(now).date()
    qs = (
        QueueTicket.objects.select_related("leg__service", "counter")
        .filter(
            location=location, service_date=day, state__in=(*OPEN_TICKET_STATES, TicketState.LATE)
        )
        .select_related("appointment", "location")
    )
    if service_id:
        qs = qs.filter(leg__service_id=service_id)
    lists: dict[str, list[dict]] = {s: [] for s in (*OPEN_TICKET_STATES, TicketState.LATE)}
    for ticket in qs.order_by("waiting_since", "pk"):
        since = {
            TicketState.WAITING: ticket.waiting_since,
            TicketState.CALLED: ticket.called_at,
            TicketState.SERVING: ticket.serving_at,
        }.get(ticket.state) or ticket.waiting_since
        lists[ticket.state].append(
            {
                "ticket": ticket,
                "code": ticket.code,
                "service": ticket.leg.service.localized_name() if ticket.leg else "",
                "service_id": ticket.leg.service_id if ticket.leg else None,
                "counter": ticket.counter.name if ticket.counter else "",
                "walk_in": ticket.is_walk_in,
                "leg_start": ticket.leg.start if ticket.leg else None,
                "minutes": max(int((now - since).total_seconds() // 60), 0),
                "booked_start": ticket.appointment.start,
                "minutes_late": _minutes_late(ticket),
            }
        )
    return lists


def _minutes_late(ticket: QueueTicket) -> int | None:
    start = ticket.appointment.start
    if ticket.state != TicketState.LATE or start is None:
        return None
    return max(int((ticket.issued_at - start).total_seconds() // 60), 0)


def _p90(values: list[float]) -> float:
    """Nearest-rank 90th percentile."""
    ordered = sorted(values)
    return ordered[max(math.ceil(0.9 * len(ordered)) - 1, 0)]


def _stats(values: list[float]) -> dict:
    if not values:
        return {"count": 0, "avg_minutes": None, "p90_minutes": None}
    minutes = [v / 60 for v in values]
    return {
        "count": len(values),
        "avg_minutes": round(mean(minutes), 1),
        "p90_minutes": round(_p90(minutes), 1),
    }


def queue_kpis(*, location: Location, day: dt.date) -> dict:
    """Per service: average and p90 waiting and service time; no-show rate; served per
    counter. Undone calls do not count."""
    undone = CallEvent.objects.filter(undoes=OuterRef("pk"))
    # Calls (their waiting time) and starts/finishes (service time) in one read, in order.
    events = (
        CallEvent.objects.filter(
            ticket__location=location,
            ticket__service_date=day,
            action__in=(CallAction.CALL, CallAction.START, CallAction.FINISH),
        )
        .filter(~Exists(undone))
        .order_by("at", "pk")
        .values_list(
            "leg_id",
            "leg__service_id",
            "leg__service__name",
            "action",
            "at",
            "counter_id",
            "wait_seconds",
        )
    )
    waits: dict[int, list[float]] = defaultdict(list)
    names: dict[int, str] = {}
    started: dict[int, dt.datetime] = {}
    services: dict[int, list[float]] = defaultdict(list)
    served: dict[int, int] = defaultdict(int)
    for leg_id, service_id, name, action, at, counter_id, seconds in events:
        names[service_id] = name
        if action == CallAction.CALL:
            if seconds is not None:
                waits[service_id].append(seconds)
        elif action == CallAction.START:
            started[leg_id] = at
        elif leg_id in started:
            services[service_id].append((at - started.pop(leg_id)).total_seconds())
            served[counter_id] += 1
    tickets = QueueTicket.objects.filter(location=location, service_date=day).aggregate(
        total=Count("pk"), no_show=Count("pk", filter=Q(state=TicketState.NO_SHOW))
    )
    counters = Counter.objects.filter(location=location).order_by("name")
    return {
        "day": day,
        "per_service": [
            {
                "service_id": sid,
                "service": names[sid],
                "waiting": _stats(waits.get(sid, [])),
                "service_time": _stats(services.get(sid, [])),
            }
            for sid in sorted(names, key=lambda s: names[s])
        ],
        "tickets": tickets["total"],
        "no_shows": tickets["no_show"],
        "no_show_rate": (
            round(tickets["no_show"] / tickets["total"], 3) if tickets["total"] else None
        ),
        "served_per_counter": [
            {"counter_id": c.pk, "counter": c.name, "served": served.get(c.pk, 0)} for c in counters
        ],
    }


def recent_walk_ins(*, location: Location, day: dt.date, limit: int = 5) -> list[QueueTicket]:
    """The walk-in numbers issued last at ``location`` on ``day`` (newest first), for the
    reception console's "print the slip again" links. Numbers and services only."""
    return list(
        QueueTicket.objects.filter(
            location=location, service_date=day, priority=TicketPriority.WALK_IN
        )
        .select_related("leg__service")
        .order_by("-issued_at", "-pk")[:limit]
    )


def walk_in_policies(location: Location) -> list[WalkInPolicy]:
    """The location's active walk-in policies, each with its service (the offered walk-ins
    and their daily caps)."""
    return list(
        WalkInPolicy.objects.filter(location=location, is_active=True).select_related("service")
    )


def walk_in_capacity(
    *, location: Location, day: dt.date, policies: list[WalkInPolicy] | None = None
) -> dict[int, int]:
    """Per service id with an active walk-in policy: walk-in places left today (computed).
    ``policies``: the location's active policies when the caller has read them already."""
    if policies is None:
        policies = list(WalkInPolicy.objects.filter(location=location, is_active=True))
    caps = {p.service_id: p.daily_cap for p in policies}
    if not caps:
        return {}
    used: dict[int, int] = {}
    rows = QueueTicket.objects.filter(
        location=location, service_date=day, priority=TicketPriority.WALK_IN
    ).values_list("appointment__legs__service_id", flat=True)
    for service_id in rows:
        used[service_id] = used.get(service_id, 0) + 1
    return {sid: max(cap - used.get(sid, 0), 0) for sid, cap in caps.items()}
