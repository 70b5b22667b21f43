"""The seam between group bookings and the scheduling engine.

Group bookings need three things from the engine: the package rule (which legs a worker
needs), an in-memory planner for many chains at once, and an all-or-nothing writer. This
module is the only place ``group_booking`` talks to them, so the engine can change behind it.

It carries a compact planner of its own: free intervals per counter per day are read in a
few queries (opening hours, closures, bus visit hours, occupying legs) and chains are placed
greedily in memory, each leg on the earliest free capable counter, so parallel counters fill
up side by side (chains staggered). The writer re-checks every leg inside the transaction
after taking row locks on the counters (sorted) with a bounded wait.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from scheduling.constants import (
    ACTIVE_APPOINTMENT_STATUSES,
    BRP_MIN_STAY_MONTHS,
    OCCUPYING_LEG_STATES,
    AppointmentStatus,
    LocationKind,
    ServiceCategory,
)
from scheduling.exceptions import Busy, Conflict, ValidationFailed
from scheduling.models import (
    Appointment,
    BusVisit,
    Client,
    Closure,
    Counter,
    Leg,
    Location,
    ServiceType,
)

AMS = ZoneInfo("Europe/Amsterdam")


@dataclass
class PlannedLeg:
    service: ServiceType
    counter: Counter
    start: dt.datetime
    end: dt.datetime


@dataclass
class PlannedChain:
    key: int
    location: Location
    bus_visit: BusVisit | None
    legs: list[PlannedLeg]

    @property
    def start(self) -> dt.datetime:
        return self.legs[0].start

    @property
    def end(self) -> dt.datetime:
        return self.legs[-1].end


@dataclass
class PlanRequest:
    """One worker to place: ``key`` identifies him in errors (his roster row)."""

    key: int
    client: Client
    services: list[ServiceType] = field(default_factory=list)


class PackageRefused(ValidationFailed):
    code = "package_refused"


class NoRoom(ValidationFailed):
    code = "no_room"


# --- package rule -------------------------------------------------------------------------


def _services_by_category() -> dict[str, list[ServiceType]]:
    out = defaultdict(list)
    for svc in ServiceType.objects.filter(is_active=True).order_by("sort_order", "code"):
        out[svc.category].append(svc)
    return out


def package_for(
    *, client: Client, location: Location, catalog: dict | None = None
) -> list[ServiceType]:
    """The legs a worker needs (registration, insurance intake, IND/permit referral)."""
    catalog = catalog if catalog is not None else _services_by_category()

    def first(category):
        items = catalog.get(category) or []
        if not items:
            raise PackageRefused(
                _("No active service for %(category)s.") % {"category": category},
                details={"rule": "service_missing", "category": str(category)},
            )
        return items[0]

    legs = []
    if client.expected_stay_months >= BRP_MIN_STAY_MONTHS or client.temporary_protection:
        legs.append(first(ServiceCategory.REGISTRATION_BRP))
    else:
        if not location.is_rni_desk:
            raise PackageRefused(
                _(
                    "A stay under 4 months needs RNI registration, which %(location)s does not offer."
                )
                % {"location": location.name},
                details={"rule": "rni_desk_only"},
            )
        if not client.is_eu and not location.rni_non_eu_allowed:
            raise PackageRefused(
                _("%(location)s does not register non-EU nationals in the RNI.")
                % {"location": location.name},
                details={"rule": "rni_non_eu_not_allowed"},
            )
        legs.append(first(ServiceCategory.REGISTRATION_RNI))
    if client.works_under_dutch_social_security:
        legs.append(first(ServiceCategory.HEALTH_INSURANCE))
    if not client.is_eu:
        legs.append(first(ServiceCategory.IND_REFERRAL))
        if not client.temporary_protection:
            legs.append(first(ServiceCategory.WORK_PERMIT))
    return sorted(legs, key=lambda s: (s.sort_order, s.code))


def packages_for(*, clients: list[Client], location: Location) -> list[list[ServiceType]]:
    catalog = _services_by_category()
    return [package_for(client=c, location=location, catalog=catalog) for c in clients]


# --- planner ------------------------------------------------------------------------------


@dataclass
class _Day:
    date: dt.date
    opens: dt.datetime
    closes: dt.datetime
    counters: list[Counter]
    bus_visit: BusVisit | None = None


def _days(*, location: Location, bus_visit: BusVisit | None, date_from, date_to) -> list[_Day]:
    counters = list(location.counters.filter(is_active=True).prefetch_related("services"))
    if bus_visit is not None:
        on_board = {c.pk for c in bus_visit.counters.all()}
        return [
            _Day(
                date=bus_visit.date,
                opens=dt.datetime.combine(bus_visit.date, bus_visit.opens, AMS),
                closes=dt.datetime.combine(bus_visit.date, bus_visit.closes, AMS),
                counters=[c for c in counters if c.pk in on_board],
                bus_visit=bus_visit,
            )
        ]
    hours = defaultdict(list)
    for oh in location.opening_hours.all():
        hours[oh.weekday].append(oh)
    closures = list(
        Closure.objects.filter(
            location=location, confirmed=True, date_from__lte=date_to, date_to__gte=date_from
        )
    )
    days = []
    day = date_from
    while day <= date_to:
        closed = any(c.date_from <= day <= c.date_to for c in closures)
        if not closed:
            for oh in sorted(hours.get(day.weekday(), []), key=lambda o: o.opens):
                days.append(
                    _Day(
                        date=day,
                        opens=dt.datetime.combine(day, oh.opens, AMS),
                        closes=dt.datetime.combine(day, oh.closes, AMS),
                        counters=counters,
                    )
                )
        day += dt.timedelta(days=1)
    return days


def _busy(counter_ids, start, end, exclude_appointment_ids=()) -> dict[int, list[tuple]]:
    busy = defaultdict(list)
    qs = (
        Leg.objects.filter(
            counter_id__in=counter_ids,
            state__in=OCCUPYING_LEG_STATES,
            appointment__status__in=ACTIVE_APPOINTMENT_STATUSES,
            start__lt=end,
            end__gt=start,
        )
        .exclude(appointment_id__in=list(exclude_appointment_ids))
        .values_list("counter_id", "start", "end")
    )
    for counter_id, s, e in qs:
        busy[counter_id].append((s, e))
    for intervals in busy.values():
        intervals.sort()
    return busy


def _earliest_fit(intervals, ready, duration, closes):
    """Earliest start >= ready where [start, start+duration) avoids ``intervals``."""
    start = ready
    for s, e in intervals:
        if e <= start:
            continue
        if s >= start + duration:
            break
        start = max(start, e)
    return start if start + duration <= closes else None


def _insert(intervals, item):
    intervals.append(item)
    intervals.sort()


def chains_plan(
    *,
    requests: list[PlanRequest],
    location: Location,
    date_from: dt.date,
    date_to: dt.date,
    bus_visit: BusVisit | None = None,
    not_before: dt.datetime | None = None,
    exclude_appointment_ids=(),
) -> list[PlannedChain]:
    """Place every request or raise ``NoRoom`` naming the first worker, leg and rule that failed."""
    days = _days(location=location, bus_visit=bus_visit, date_from=date_from, date_to=date_to)
    if not days:
        raise NoRoom(
            _("%(location)s is not open on any day from %(from)s to %(to)s.")
            % {"location": location.name, "from": date_from, "to": date_to},
            details={"rule": "closed", "worker": requests[0].key if requests else None},
        )
    all_counters = {c.pk: c for d in days for c in d.counters}
    busy = _busy(all_counters, days[0].opens, days[-1].closes, exclude_appointment_ids)
    capable = {c.pk: {s.pk for s in c.services.all()} for c in all_counters.values()}
    buffer = dt.timedelta(minutes=location.transfer_buffer_minutes)
    max_wait = dt.timedelta(minutes=location.max_wait_minutes)
    step = dt.timedelta(minutes=location.slot_step_minutes or 15)
    # Per day, the earliest grid start that is still worth trying (chains are placed in order).
    cursor = {id(d): d.opens for d in days}
    chains = []
    for req in requests:
        durations = [dt.timedelta(minutes=s.duration_minutes) for s in req.services]
        for position, svc in enumerate(req.services, start=1):
            if not any(svc.pk in capable[c.pk] for d in days for c in d.counters):
                raise NoRoom(
                    _("Worker in row %(row)s: no counter at %(location)s offers %(service)s.")
                    % {"row": req.key, "location": location.name, "service": svc.localized_name()},
                    details={
                        "worker": req.key,
                        "leg": position,
                        "service": svc.code,
                        "rule": "service_not_offered",
                    },
                )
        placed = None
        furthest = (0, None)  # (leg position reached, rule)
        for day in days:
            t = cursor[id(day)]
            if not_before and t < not_before:
                # Round up to the grid from opening time.
                gap = (not_before - day.opens) // step + (
                    1 if (not_before - day.opens) % step else 0
                )
                t = day.opens + step * max(gap, 0)
            first_ok = None
            while t + sum(durations, dt.timedelta()) <= day.closes:
                legs, ready, ok = [], t, True
                for position, (svc, dur) in enumerate(zip(req.services, durations, strict=True), 1):
                    best = None
                    for c in day.counters:
                        if svc.pk not in capable[c.pk]:
                            continue
                        s = _earliest_fit(busy[c.pk], ready, dur, day.closes)
                        if s is None:
                            continue
                        if position == 1 and s != t:
                            continue
                        if best is None or s < best[0]:
                            best = (s, c)
                    limit = t if position == 1 else ready + max_wait
                    if best is None or best[0] > limit:
                        rule = "capacity" if position == 1 else "max_wait"
                        if position > furthest[0]:
                            furthest = (position, rule)
                        ok = False
                        break
                    s, c = best
                    legs.append(PlannedLeg(service=svc, counter=c, start=s, end=s + dur))
                    ready = s + dur + buffer
                if ok:
                    placed = legs
                    break
                if first_ok is None and not legs:
                    first_ok = False
                t += step
            if placed:
                for leg in placed:
                    _insert(busy[leg.counter.pk], (leg.start, leg.end))
                chains.append(
                    PlannedChain(
                        key=req.key, location=location, bus_visit=day.bus_visit, legs=placed
                    )
                )
                break
        if not placed:
            position, rule = furthest
            position = position or 1
            svc = req.services[position - 1] if req.services else None
            if rule == "max_wait":
                message = _(
                    "Worker in row %(row)s: no place for leg %(leg)d (%(service)s) within "
                    "%(wait)d minutes after the previous leg, on any day from %(from)s to %(to)s."
                )
            else:
                message = _(
                    "Worker in row %(row)s: no free time for leg %(leg)d (%(service)s) "
                    "from %(from)s to %(to)s."
                )
            raise NoRoom(
                message
                % {
                    "row": req.key,
                    "leg": position,
                    "service": svc.localized_name() if svc else "",
                    "wait": location.max_wait_minutes,
                    "from": date_from,
                    "to": date_to,
                },
                details={
                    "worker": req.key,
                    "leg": position,
                    "service": svc.code if svc else "",
                    "rule": rule or "capacity",
                },
            )
    return chains


# --- writer -------------------------------------------------------------------------------


def _lock_counters(counter_ids) -> None:
    """Serialise writers on these counters: row locks in sorted order, bounded wait -> Busy.
    On SQLite the IMMEDIATE transaction already serialises writers."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL lock_timeout = %s", [f"{settings.LOCK_TIMEOUT_S * 1000}ms"])
    try:
        list(
            Counter.objects.select_for_update()
            .filter(pk__in=sorted(counter_ids))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    except DatabaseError as exc:
        raise Busy() from exc


def appointments_book_many(
    *,
    chains: list[PlannedChain],
    clients: dict[int, Client],
    actor,
    group_booking=None,
    status: str = AppointmentStatus.BOOKED,
    exclude_appointment_ids=(),
) -> list[Appointment]:
    """Write every chain or nothing. Re-checks each leg against the legs now in the database."""
    if not chains:
        return []
    with transaction.atomic():
        counter_ids = {leg.counter.pk for ch in chains for leg in ch.legs}
        _lock_counters(counter_ids)
        start = min(ch.start for ch in chains)
        end = max(ch.end for ch in chains)
        busy = _busy(counter_ids, start, end, exclude_appointment_ids)
        for ch in chains:
            for leg in ch.legs:
                if any(s < leg.end and e > leg.start for s, e in busy[leg.counter.pk]):
                    raise Conflict(
                        _("Someone else just booked part of this plan. Please plan again."),
                        code="slot_taken",
                        details={"worker": ch.key},
                    )
                _insert(busy[leg.counter.pk], (leg.start, leg.end))
        appointments = [
            Appointment(
                client=clients[ch.key],
                location=ch.location,
                bus_visit=ch.bus_visit,
                group_booking=group_booking,
                status=status,
                start=ch.start,
                end=ch.end,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            for ch in chains
        ]
        Appointment.objects.bulk_create(appointments)
        if any(a.pk is None for a in appointments):  # backends without RETURNING
            codes = [a.booking_code for a in appointments]
            ids = dict(
                Appointment.objects.filter(booking_code__in=codes).values_list("booking_code", "pk")
            )
            for a in appointments:
                a.pk = ids[a.booking_code]
        Leg.objects.bulk_create(
            Leg(
                appointment=appt,
                position=i,
                service=leg.service,
                counter=leg.counter,
                start=leg.start,
                end=leg.end,
            )
            for appt, ch in zip(appointments, chains, strict=True)
            for i, leg in enumerate(ch.legs, start=1)
        )
    return appointments


def locations_for_region(region) -> list[Location]:
    return list(
        Location.objects.filter(Q(region=region) | Q(region__parent=region))
        .filter(kind=LocationKind.DESK, is_active=True)
        .order_by("name")
    )
