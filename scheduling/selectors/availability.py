"""Availability: where and when a complete chain of legs fits.

How it works
------------
1. ``schedule_load`` reads, in a fixed number of queries whatever the number of bookings,
   the locations, their active counters and what each can do, opening hours, confirmed
   closures, bus visits (with the counters on board) and the occupying legs in the date range
   (``Leg.state`` in ``OCCUPYING_LEG_STATES``, an index-only scan of
   ``(counter, start, end, state, appointment)``). Everything else happens in memory.

   The leg state alone decides whether a leg occupies its counter, exactly as in the
   PostgreSQL exclusion constraint: every service that ends a visit early
   (``appointment_cancel``, ``appointment_mark_no_show``) cancels its open legs in the same
   transaction, so legs of cancelled visits never hold time (a test checks this). Joining the
   appointment table here would cost a scan of every appointment ever booked.
2. A ``Place`` is one location on one day (for the bus: one bus visit). Its windows are the
   opening periods of that day as aware datetimes in Europe/Amsterdam (built per day with
   zoneinfo, so daylight-saving days are right), or the bus visit's hours; a confirmed
   closure removes the day. Each counter's free time = windows minus its occupying legs.
   Times are held as integer epoch seconds.
3. For a chain of services with durations d1..dk (longer for interpreter-needed clients,
   ``INTERPRETER_DURATION_FACTOR``), the set of feasible start times of leg i is a union of
   intervals: F_i = for each counter able to do service i, [a, c - d_i] over its free
   intervals [a, c). Leg i+1 starts between ``transfer_buffer_minutes`` and
   ``transfer_buffer_minutes + max_wait_minutes`` after leg i ends. Propagating forwards
   (S_{i+1} = (S_i + d_i + [buffer, buffer + wait]) ∩ F_{i+1}) and then backwards gives,
   exactly, every first-leg start from which a complete chain exists. Offered start times are
   the points of the location's grid (``slot_step_minutes`` from opening) in that set, never
   in the past; a chain never runs past closing time because F_i only holds starts whose leg
   ends inside a free interval.
4. A concrete chain for a start time is built leg by leg (earliest feasible start, on the
   counter whose free interval fits tightest), and groups are placed one chain after the other
   on a copy of the free intervals, so counter time is never used twice.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import BigIntegerField, Func, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import CoreError
from core.exceptions import ValidationFailed
from scheduling.availability_cache import cache_enabled, schedule_places_cached
from scheduling.constants import OCCUPYING_LEG_STATES, LocationKind
from scheduling.errors import SchedulingError
from scheduling.models import (
    BusVisit,
    Closure,
    Counter,
    Leg,
    Location,
    OpeningHours,
    Region,
    ServiceType,
)

AMS = ZoneInfo(settings.TIME_ZONE)
# Longest leg we expect; legs starting this long before the range can still reach into it.
_MAX_LEG_SECONDS = 12 * 3600

Interval = tuple[int, int]


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class PlannedLeg:
    service: ServiceType
    counter_id: int
    start: dt.datetime
    end: dt.datetime


@dataclass
class PlannedChain:
    client_key: Any
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
class AvailabilityDay:
    """Start times at one location (or bus visit) on one day."""

    location: Location
    bus_visit: BusVisit | None
    date: dt.date
    starts: list[dt.datetime]


@dataclass(frozen=True)
class ChainRequest:
    """One chain to place: who it is for (any key), the services in visit order, interpreter."""

    client_key: Any
    services: Sequence[ServiceType]
    interpreter_needed: bool = False


# --------------------------------------------------------------------------- interval maths


def _merge(intervals: list[Interval]) -> list[Interval]:
    """Union of closed intervals, sorted and disjoint."""
    if not intervals:
        return []
    intervals = sorted(intervals)
    out = [intervals[0]]
    for lo, hi in intervals[1:]:
        last_lo, last_hi = out[-1]
        if lo <= last_hi:
            if hi > last_hi:
                out[-1] = (last_lo, hi)
        else:
            out.append((lo, hi))
    return out


def _intersect(a: list[Interval], b: list[Interval]) -> list[Interval]:
    """Intersection of two sorted, disjoint lists of closed intervals."""
    out = []
    i = j = 0
    while i < len(a) and j < len(b):
        lo = max(a[i][0], b[j][0])
        hi = min(a[i][1], b[j][1])
        if lo <= hi:
            out.append((lo, hi))
        if a[i][1] < b[j][1]:
            i += 1
        else:
            j += 1
    return out


def _shift(a: list[Interval], lo_add: int, hi_add: int) -> list[Interval]:
    """{x + k : x in a, lo_add <= k <= hi_add}, merged."""
    return _merge([(lo + lo_add, hi + hi_add) for lo, hi in a])


def _subtract(free: list[Interval], busy_lo: list[int], busy_hi: list[int]) -> list[Interval]:
    """Half-open free intervals [a, c) minus merged half-open busy intervals."""
    out = []
    for a, c in free:
        i = bisect_right(busy_hi, a)  # first busy interval ending after a
        cursor = a
        while i < len(busy_lo) and busy_lo[i] < c:
            if busy_lo[i] > cursor:
                out.append((cursor, busy_lo[i]))
            cursor = max(cursor, busy_hi[i])
            i += 1
        if cursor < c:
            out.append((cursor, c))
    return out


def _remove(free: list[Interval], lo: int, hi: int) -> list[Interval]:
    return _subtract(free, [lo], [hi])


# --------------------------------------------------------------------------- loading


class Epoch(Func):
    """Seconds since 1970 of a datetime column, computed by the database.

    Reading thousands of legs as integers skips Python's datetime parsing, the main cost of
    a search over weeks of bookings.
    """

    output_field = BigIntegerField()

    def as_sqlite(self, compiler, connection, **extra):
        # Django stores aware datetimes on SQLite as UTC text. unixepoch() (SQLite 3.38+) is
        # the faster spelling of strftime('%s').
        import sqlite3

        if sqlite3.sqlite_version_info >= (3, 38):
            template = "unixepoch(%(expressions)s)"
        else:
            template = "CAST(strftime('%%%%s', %(expressions)s) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="CAST(EXTRACT(EPOCH FROM %(expressions)s) AS BIGINT)"
        )

    def as_sql(self, compiler, connection, template=None, **extra):
        if template is None:
            raise NotImplementedError("Epoch() supports SQLite and PostgreSQL.")
        return super().as_sql(compiler, connection, template=template, **extra)


def _ts(value: dt.datetime) -> int:
    return int(value.timestamp())


def _dt(ts: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(ts, tz=AMS)


def _local(day: dt.date, time: dt.time) -> int:
    return _ts(dt.datetime.combine(day, time, tzinfo=AMS))


def _busy_spans(legs) -> list[tuple[int, str]]:
    """One row per counter: its legs as "start end start end ..." epoch seconds.

    Thousands of legs come back as a few strings (one query), which skips the per-row and
    per-datetime cost of the database driver and the ORM; Python splits them in C.
    """
    inner = legs.annotate(start_s=Epoch("start"), end_s=Epoch("end")).values_list(
        "counter_id", "start_s", "end_s"
    )
    sql, params = inner.query.sql_with_params()
    if connection.vendor == "postgresql":
        spans = "string_agg(CAST(start_s AS TEXT) || ' ' || CAST(end_s AS TEXT), ' ')"
    else:
        spans = "group_concat(start_s || ' ' || end_s, ' ')"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT counter_id, {spans} FROM ({sql}) legs GROUP BY counter_id",  # noqa: S608
            params,
        )
        return cursor.fetchall()


@dataclass
class Place:
    """One location on one day (the bus: one visit), with each counter's free time."""

    location: Location
    bus_visit: BusVisit | None
    day: dt.date
    windows: list[Interval]
    capabilities: dict[int, frozenset[int]]
    free: dict[int, list[Interval]] = field(default_factory=dict)

    @property
    def key(self) -> tuple[int, int | None, dt.date]:
        return (self.location.pk, self.bus_visit.pk if self.bus_visit else None, self.day)

    def offers(self, service_ids: Iterable[int]) -> bool:
        offered = set().union(*self.capabilities.values()) if self.capabilities else set()
        return set(service_ids) <= offered

    def copy(self) -> Place:
        clone = copy.copy(self)
        clone.free = {k: list(v) for k, v in self.free.items()}
        return clone


@dataclass
class Schedule:
    places: list[Place]
    locations: dict[int, Location]
    # Days that exist but are closed (confirmed closure or no opening hours), per location.
    closed: set[tuple[int, dt.date]]


def _days(date_from: dt.date, date_to: dt.date) -> list[dt.date]:
    return [date_from + dt.timedelta(days=n) for n in range((date_to - date_from).days + 1)]


def schedule_load(
    *,
    date_from: dt.date,
    date_to: dt.date,
    locations: Iterable[Location | int] | None = None,
    region: Region | None = None,
    bus_visits: Iterable[BusVisit | int] | None = None,
    exclude_appointment_ids: Iterable[int] = (),
    with_bookings: bool = True,
) -> Schedule:
    """Read everything availability needs for the range, in a fixed number of queries (one
    per step below, in this order), then build the places in memory."""
    locs = _locations_load(locations=locations, region=region)
    desk_ids = [pk for pk, loc in locs.items() if loc.kind == LocationKind.DESK]
    bus_ids = [pk for pk, loc in locs.items() if loc.kind == LocationKind.BUS]
    counters = _counters_load(location_ids=list(locs))
    hours = _opening_hours_load(location_ids=desk_ids)
    closed = _closures_load(location_ids=list(locs), date_from=date_from, date_to=date_to)
    visits, visit_counters = _bus_visits_load(
        location_ids=bus_ids, date_from=date_from, date_to=date_to, bus_visits=bus_visits
    )
    if with_bookings and counters.capabilities:
        counters.busy = _busy_load(
            counter_ids=list(counters.capabilities),
            date_from=date_from,
            date_to=date_to,
            exclude_appointment_ids=list(exclude_appointment_ids),
        )
    places = _desk_places(
        locs=locs,
        desk_ids=desk_ids,
        counters=counters,
        hours=hours,
        closed=closed,
        date_from=date_from,
        date_to=date_to,
    )
    places += _bus_places(
        locs=locs, visits=visits, visit_counters=visit_counters, counters=counters, closed=closed
    )
    places.sort(key=lambda p: (p.day, p.windows[0][0], p.location.kind, p.location.name))
    return Schedule(places=places, locations=locs, closed=closed)


@dataclass
class _Counters:
    """The active counters of the loaded locations: what each can do, where it stands, and
    its occupied time as merged, sorted (starts, ends) epoch seconds."""

    capabilities: dict[int, set[int]] = field(default_factory=dict)
    location_of: dict[int, int] = field(default_factory=dict)
    busy: dict[int, tuple[list[int], list[int]]] = field(default_factory=dict)

    def at(self, location_id: int) -> list[int]:
        return [cid for cid, lid in self.location_of.items() if lid == location_id]

    def place(self, location, visit, day, windows, counter_ids) -> Place:
        """A place whose counters' free time is the windows minus their occupied time."""
        caps = {cid: frozenset(self.capabilities[cid]) for cid in sorted(counter_ids)}
        free = {}
        for cid in caps:
            lo, hi = self.busy.get(cid, ([], []))
            free[cid] = _subtract(windows, lo, hi) if lo else list(windows)
        return Place(location, visit, day, windows, caps, free)


def _locations_load(*, locations, region) -> dict[int, Location]:
    loc_qs = Location.objects.filter(is_active=True).select_related("municipality")
    if locations is not None:
        loc_qs = loc_qs.filter(pk__in=[getattr(x, "pk", x) for x in locations])
    if region is not None:
        loc_qs = loc_qs.filter(Q(region=region) | Q(region__parent=region))
    return {loc.pk: loc for loc in loc_qs}


def _counters_load(*, location_ids: list[int]) -> _Counters:
    counters = _Counters()
    for counter_id, location_id, service_id in Counter.services.through.objects.filter(
        counter__location__in=location_ids, counter__is_active=True
    ).values_list("counter_id", "counter__location_id", "servicetype_id"):
        counters.capabilities.setdefault(counter_id, set()).add(service_id)
        counters.location_of[counter_id] = location_id
    return counters


def _opening_hours_load(*, location_ids: list[int]) -> dict[tuple[int, int], list]:
    """Opening periods per (location, weekday)."""
    hours: dict[tuple[int, int], list[tuple[dt.time, dt.time]]] = {}
    for location_id, weekday, opens, closes in OpeningHours.objects.filter(
        location__in=location_ids
    ).values_list("location_id", "weekday", "opens", "closes"):
        hours.setdefault((location_id, weekday), []).append((opens, closes))
    return hours


def _closures_load(
    *, location_ids: list[int], date_from: dt.date, date_to: dt.date
) -> set[tuple[int, dt.date]]:
    """(location, day) of every confirmed closure in the range."""
    closed: set[tuple[int, dt.date]] = set()
    for location_id, c_from, c_to in Closure.objects.filter(
        location__in=location_ids,
        confirmed=True,
        date_from__lte=date_to,
        date_to__gte=date_from,
    ).values_list("location_id", "date_from", "date_to"):
        for day in _days(max(c_from, date_from), min(c_to, date_to)):
            closed.add((location_id, day))
    return closed


def _bus_visits_load(
    *, location_ids: list[int], date_from: dt.date, date_to: dt.date, bus_visits
) -> tuple[list[BusVisit], dict[int, set[int]]]:
    """The bus visits in the range and the counters on board of each."""
    visit_qs = BusVisit.objects.filter(
        location__in=location_ids, date__gte=date_from, date__lte=date_to
    ).order_by("date", "opens", "pk")
    if bus_visits is not None:
        visit_qs = visit_qs.filter(pk__in=[getattr(x, "pk", x) for x in bus_visits])
    visits = list(visit_qs)
    visit_counters: dict[int, set[int]] = {}
    for visit_id, counter_id in BusVisit.counters.through.objects.filter(
        busvisit__location__in=location_ids,
        busvisit__date__gte=date_from,
        busvisit__date__lte=date_to,
    ).values_list("busvisit_id", "counter_id"):
        visit_counters.setdefault(visit_id, set()).add(counter_id)
    return visits, visit_counters


def _busy_load(
    *, counter_ids: list[int], date_from: dt.date, date_to: dt.date, exclude_appointment_ids
) -> dict[int, tuple[list[int], list[int]]]:
    """Each counter's occupying legs in the range, merged: (starts, ends) in epoch seconds."""
    range_lo = _local(date_from, dt.time.min)
    range_hi = _local(date_to + dt.timedelta(days=1), dt.time.min)
    legs = Leg.objects.filter(
        counter_id__in=counter_ids,
        start__gte=_dt(range_lo - _MAX_LEG_SECONDS),
        start__lt=_dt(range_hi),
        end__gt=_dt(range_lo),
        state__in=OCCUPYING_LEG_STATES,
    ).order_by()
    if exclude_appointment_ids:
        legs = legs.exclude(appointment_id__in=exclude_appointment_ids)
    busy: dict[int, tuple[list[int], list[int]]] = {}
    for counter_id, spans in _busy_spans(legs):
        numbers = list(map(int, spans.split()))
        merged = _merge(list(zip(numbers[0::2], numbers[1::2], strict=True)))
        busy[counter_id] = ([lo for lo, _ in merged], [hi for _, hi in merged])
    return busy


def _desk_places(
    *, locs, desk_ids, counters: _Counters, hours, closed: set, date_from, date_to
) -> list[Place]:
    """One place per desk and open day; a day without opening hours is added to ``closed``."""
    counters_of = {location_id: counters.at(location_id) for location_id in desk_ids}
    places = []
    for day in _days(date_from, date_to):
        for location_id in desk_ids:
            periods = hours.get((location_id, day.weekday()), [])
            if not periods or (location_id, day) in closed:
                closed.add((location_id, day))
                continue
            windows = sorted((_local(day, o), _local(day, c)) for o, c in periods)
            places.append(
                counters.place(locs[location_id], None, day, windows, counters_of[location_id])
            )
    return places


def _bus_places(*, locs, visits, visit_counters, counters: _Counters, closed: set) -> list[Place]:
    """One place per bus visit not on a closed day, with the bus's counters on board."""
    places = []
    for visit in visits:
        if (visit.location_id, visit.date) in closed:
            continue
        counter_ids = [
            cid
            for cid in visit_counters.get(visit.pk, ())
            if cid in counters.capabilities and counters.location_of[cid] == visit.location_id
        ]
        windows = [(_local(visit.date, visit.opens), _local(visit.date, visit.closes))]
        places.append(
            counters.place(locs[visit.location_id], visit, visit.date, windows, counter_ids)
        )
    return places


# --------------------------------------------------------------------------- chains


def interpreter_factor() -> float:
    return float(settings.INTERPRETER_DURATION_FACTOR)


def leg_minutes(service: ServiceType, *, interpreter_needed: bool = False) -> int:
    """Planned length of a leg in minutes (longer when an interpreter is needed)."""
    if not interpreter_needed:
        return service.duration_minutes
    return math.ceil(service.duration_minutes * interpreter_factor() - 1e-9)


@dataclass(frozen=True)
class _Spec:
    service_ids: tuple[int, ...]
    durations: tuple[int, ...]  # seconds

    @classmethod
    def of(cls, services: Sequence[ServiceType], interpreter_needed: bool) -> _Spec:
        return cls(
            tuple(s.pk for s in services),
            tuple(leg_minutes(s, interpreter_needed=interpreter_needed) * 60 for s in services),
        )


def _feasible_starts(place: Place, service_id: int, duration: int) -> list[Interval]:
    out = []
    for cid, caps in place.capabilities.items():
        if service_id in caps:
            for a, c in place.free[cid]:
                if c - a >= duration:
                    out.append((a, c - duration))
    return _merge(out)


def _chain_sets(
    place: Place, spec: _Spec, first: list[Interval]
) -> tuple[list[list[Interval]] | None, int]:
    """Backward-filtered feasible start sets per leg, or (None, index of the leg that failed)."""
    loc = place.location
    buffer = loc.transfer_buffer_minutes * 60
    wait = loc.max_wait_minutes * 60
    forward: list[list[Interval]] = []
    current = _intersect(_feasible_starts(place, spec.service_ids[0], spec.durations[0]), first)
    if not current:
        return None, 0
    forward.append(current)
    for i in range(1, len(spec.service_ids)):
        reach = _shift(
            current, spec.durations[i - 1] + buffer, spec.durations[i - 1] + buffer + wait
        )
        current = _intersect(reach, _feasible_starts(place, spec.service_ids[i], spec.durations[i]))
        if not current:
            return None, i
        forward.append(current)
    backward = [forward[-1]]
    for i in range(len(forward) - 2, -1, -1):
        d = spec.durations[i]
        back = _shift(backward[0], -(d + buffer + wait), -(d + buffer))
        backward.insert(0, _intersect(forward[i], back))
    return backward, -1


def _grid_points(place: Place, sets: list[Interval], not_before: int) -> list[int]:
    step = place.location.slot_step_minutes * 60
    points = []
    for w_lo, w_hi in place.windows:
        for lo, hi in sets:
            lo = max(lo, w_lo, not_before)
            hi = min(hi, w_hi)
            if lo > hi:
                continue
            t = w_lo + math.ceil((lo - w_lo) / step) * step
            while t <= hi:
                points.append(t)
                t += step
    return sorted(set(points))


def _build_chain(
    place: Place, spec: _Spec, sets: list[list[Interval]], start: int
) -> list[tuple[int, int, int, int]]:
    """Concrete legs (service id, counter id, start, end) for a start in sets[0]."""
    loc = place.location
    buffer = loc.transfer_buffer_minutes * 60
    wait = loc.max_wait_minutes * 60
    legs = []
    x = start
    for i, service_id in enumerate(spec.service_ids):
        d = spec.durations[i]
        if i > 0:
            prev_end = legs[-1][3]
            window = _intersect(sets[i], [(prev_end + buffer, prev_end + buffer + wait)])
            x = window[0][0]
        best = None
        for cid, caps in place.capabilities.items():
            if service_id not in caps:
                continue
            for a, c in place.free[cid]:
                if a <= x and x + d <= c:
                    if best is None or a > best[0]:
                        best = (a, cid)
                    break
        if best is None:  # cannot happen when sets come from _chain_sets on this place
            raise AssertionError("chain sets out of date")
        legs.append((service_id, best[1], x, x + d))
    return legs


def _occupy(place: Place, legs: list[tuple[int, int, int, int]]) -> None:
    for _service_id, cid, lo, hi in legs:
        place.free[cid] = _remove(place.free[cid], lo, hi)


def _to_planned(
    place: Place, key, services: Sequence[ServiceType], legs: list[tuple[int, int, int, int]]
) -> PlannedChain:
    return PlannedChain(
        client_key=key,
        location=place.location,
        bus_visit=place.bus_visit,
        legs=[
            PlannedLeg(service=s, counter_id=cid, start=_dt(lo), end=_dt(hi))
            for s, (_sid, cid, lo, hi) in zip(services, legs, strict=True)
        ],
    )


def place_chain_at(
    place: Place,
    services: Sequence[ServiceType],
    start: dt.datetime,
    *,
    interpreter_needed: bool = False,
) -> tuple[list | None, int]:
    """The chain starting exactly at ``start`` on this place, occupying it; or (None, leg)."""
    spec = _Spec.of(services, interpreter_needed)
    t = _ts(start)
    sets, failed = _chain_sets(place, spec, [(t, t)])
    if sets is None:
        return None, failed
    legs = _build_chain(place, spec, sets, t)
    _occupy(place, legs)
    return legs, -1


def _place_earliest(
    place: Place, spec: _Spec, lo: int, hi: int | None = None, *, on_grid: bool = True
):
    """Earliest start in [lo, hi] with a complete chain; occupies it. (legs|None, leg)."""
    far = hi if hi is not None else place.windows[-1][1]
    sets, failed = _chain_sets(place, spec, [(lo, far)])
    if sets is None:
        return None, failed
    if on_grid:
        points = [p for p in _grid_points(place, sets[0], lo) if p <= far]
        if not points:
            return None, 0
        first = points[0]
    else:
        first = sets[0][0][0]
    legs = _build_chain(place, spec, sets, first)
    _occupy(place, legs)
    return legs, -1


# --------------------------------------------------------------------------- public API


def _check_range(date_from: dt.date, date_to: dt.date) -> None:
    if date_to < date_from:
        raise ValidationFailed(
            _("The end date lies before the start date."), code=CoreError.RANGE_INVALID
        )
    if (date_to - date_from).days + 1 > settings.AVAILABILITY_MAX_DAYS:
        raise ValidationFailed(
            _("Search at most %(days)s days at once.") % {"days": settings.AVAILABILITY_MAX_DAYS},
            code=CoreError.RANGE_TOO_LONG,
        )


def availability_search(
    *,
    services: Sequence[ServiceType],
    locations: Iterable[Location | int] | None = None,
    date_from: dt.date,
    date_to: dt.date,
    group_size: int = 1,
    interpreter_needed: bool = False,
    now: dt.datetime | None = None,
    region: Region | None = None,
    bus_visits: Iterable[BusVisit | int] | None = None,
) -> list[AvailabilityDay]:
    """Start times at which ``group_size`` complete chains of ``services`` (in this order) fit.

    ``locations`` defaults to every active desk and the bus (all its visits in the range).
    For a group, a start time is offered when all N chains fit with their first legs between
    that time and ``max_wait_minutes`` later, spread over parallel counters.
    """
    if not services:
        raise ValidationFailed(
            _("Choose at least one service."), code=SchedulingError.EMPTY_PACKAGE
        )
    if group_size < 1:
        raise ValidationFailed(
            _("The group needs at least one person."), code=SchedulingError.INVALID_GROUP
        )
    _check_range(date_from, date_to)
    now_ts = _ts(now or timezone.now())
    spec = _Spec.of(services, interpreter_needed)
    result = []
    for place in _search_places(
        locations=locations,
        region=region,
        bus_visits=bus_visits,
        date_from=date_from,
        date_to=date_to,
    ):
        if place.windows[-1][1] <= now_ts or not place.offers(spec.service_ids):
            continue
        sets, _failed = _chain_sets(place, spec, [(now_ts, place.windows[-1][1])])
        if sets is None:
            continue
        points = _grid_points(place, sets[0], now_ts)
        if group_size > 1:
            points = [t for t in points if _group_fits(place, spec, t, group_size)]
        if points:
            result.append(
                AvailabilityDay(
                    location=place.location,
                    bus_visit=place.bus_visit,
                    date=place.day,
                    starts=[_dt(t) for t in points],
                )
            )
    return result


def _search_places(*, locations, region, bus_visits, date_from, date_to) -> list[Place]:
    """The places a search looks at: for named locations from the short-lived shared cache
    (``scheduling.availability_cache``; bookings never read it), otherwise loaded."""
    if locations is not None and region is None and bus_visits is None and cache_enabled():
        places = schedule_places_cached(
            location_ids=sorted({getattr(x, "pk", x) for x in locations}),
            date_from=date_from,
            date_to=date_to,
            load=lambda ids, lo, hi: schedule_load(date_from=lo, date_to=hi, locations=ids).places,
        )
        places.sort(key=lambda p: (p.day, p.windows[0][0], p.location.kind, p.location.name))
        return places
    return schedule_load(
        date_from=date_from,
        date_to=date_to,
        locations=locations,
        region=region,
        bus_visits=bus_visits,
    ).places


def _group_fits(place: Place, spec: _Spec, start: int, size: int) -> bool:
    trial = place.copy()
    latest = start + place.location.max_wait_minutes * 60
    for _n in range(size):
        legs, _failed = _place_earliest(trial, spec, start, latest, on_grid=False)
        if legs is None:
            return False
    return True


def chains_plan(
    *,
    requests: Sequence[ChainRequest | tuple],
    locations: Iterable[Location | int] | None = None,
    bus_visit: BusVisit | None = None,
    date_from: dt.date,
    date_to: dt.date,
    now: dt.datetime | None = None,
    not_before: dt.datetime | None = None,
    together: bool = True,
    on_grid: bool = True,
) -> list[PlannedChain]:
    """Place N chains (each with its own services) at once without using counter time twice.

    Requests are placed in the given order, each at the earliest grid start that still fits.
    ``together=True`` keeps all chains at one location (or bus visit) on one day: the first
    place, in time order, where all fit. ``together=False`` places each chain at the earliest
    place where it fits. ``on_grid=False`` lets first legs start at any minute (tighter
    packing for groups); by default they start on the location's grid. Raises
    ``ValidationFailed`` (code ``chains_do_not_fit``) naming the request and the leg that could
    not be placed.
    """
    reqs = _requests_check(requests)
    _check_range(date_from, date_to)
    lo = _ts(now or timezone.now())
    if not_before is not None:
        lo = max(lo, _ts(not_before))
    if bus_visit is not None:
        schedule = schedule_load(
            date_from=date_from,
            date_to=date_to,
            locations=[bus_visit.location_id],
            bus_visits=[bus_visit],
        )
    else:
        schedule = schedule_load(date_from=date_from, date_to=date_to, locations=locations)
    specs = [_Spec.of(r.services, r.interpreter_needed) for r in reqs]
    places = [p for p in schedule.places if p.windows[-1][1] > lo]
    plan = _plan_together if together else _plan_each
    planned, worst = plan(places, reqs, specs, lo=lo, on_grid=on_grid)
    if planned is None:
        raise _chains_do_not_fit(reqs, worst)
    return planned


def _requests_check(requests: Sequence[ChainRequest | tuple]) -> list[ChainRequest]:
    reqs = [r if isinstance(r, ChainRequest) else ChainRequest(*r) for r in requests]
    if not reqs:
        raise ValidationFailed(_("Nobody to plan."), code=SchedulingError.INVALID_GROUP)
    for r in reqs:
        if not r.services:
            raise ValidationFailed(
                _("Choose at least one service."), code=SchedulingError.EMPTY_PACKAGE
            )
    return reqs


# (placed count, request index, leg index) of the request that got furthest before failing.
_Failure = tuple[int, int, int]


def _plan_together(
    places: list[Place], reqs: list[ChainRequest], specs: list[_Spec], *, lo: int, on_grid: bool
) -> tuple[list[PlannedChain] | None, _Failure]:
    """All chains at the first place (in time order) where all of them fit."""
    worst: _Failure = (-1, 0, 0)
    for base in places:
        trial = base.copy()
        planned = []
        for index, (req, spec) in enumerate(zip(reqs, specs, strict=True)):
            legs, failed = _place_earliest(trial, spec, lo, on_grid=on_grid)
            if legs is None:
                worst = max(worst, (index, index, max(failed, 0)))
                break
            planned.append(_to_planned(trial, req.client_key, req.services, legs))
        else:
            return planned, worst
    return None, worst


def _plan_each(
    places: list[Place], reqs: list[ChainRequest], specs: list[_Spec], *, lo: int, on_grid: bool
) -> tuple[list[PlannedChain] | None, _Failure]:
    """Each chain, in order, at the earliest place where it still fits."""
    work = [p.copy() for p in places]
    planned = []
    for index, (req, spec) in enumerate(zip(reqs, specs, strict=True)):
        best_fail = 0
        for place in work:
            legs, failed = _place_earliest(place, spec, lo, on_grid=on_grid)
            if legs is not None:
                planned.append(_to_planned(place, req.client_key, req.services, legs))
                break
            best_fail = max(best_fail, failed)
        else:
            return None, (index, index, best_fail)
    return planned, (-1, 0, 0)


def _chains_do_not_fit(reqs: list[ChainRequest], worst: _Failure) -> ValidationFailed:
    _placed, req_index, leg_index = worst
    if req_index < 0:
        req_index, leg_index = 0, 0
    req = reqs[req_index]
    service = req.services[min(leg_index, len(req.services) - 1)]
    return ValidationFailed(
        _(
            "Not everyone fits: no room for %(who)s (%(service)s) in the chosen period. "
            "Choose other dates or another location."
        )
        % {"who": req.client_key, "service": service.localized_name()},
        code=SchedulingError.CHAINS_DO_NOT_FIT,
        details={
            "request": str(req.client_key),
            "request_index": req_index,
            "leg": leg_index,
            "service": service.code,
        },
    )
