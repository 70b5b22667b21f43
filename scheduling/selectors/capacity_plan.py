"""Capacity planning (coordinators): utilisation per location and counter, per day and ISO
week, for the coming weeks, with warnings and a what-if that writes nothing.

Utilisation = booked / open counter minutes (selectors.capacity). What-if:
- ``add_counter``: one more counter at a desk, open whenever the desk is (every open day of
  the period): open minutes grow by one counter's, booked minutes stay;
- ``add_bus_day``: one more bus day (a date and hours) with the bus's counters on board.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings

from scheduling.constants import LocationKind
from scheduling.models import Counter, Location
from scheduling.selectors.capacity import counter_days, iso_week_days


@dataclass
class Utilisation:
    open_minutes: int = 0
    booked_minutes: int = 0

    @property
    def percent(self) -> int | None:
        if not self.open_minutes:
            return None
        return round(self.booked_minutes * 100 / self.open_minutes)

    @property
    def warn(self) -> bool:
        return self.percent is not None and self.percent >= settings.CAPACITY_WARN_PERCENT

    def add(self, open_minutes: int, booked_minutes: int) -> None:
        self.open_minutes += open_minutes
        self.booked_minutes += booked_minutes


@dataclass
class LocationPlan:
    location: Location
    weeks: dict[dt.date, Utilisation] = field(default_factory=dict)  # by Monday
    days: dict[dt.date, Utilisation] = field(default_factory=dict)
    counters: dict[str, dict[dt.date, Utilisation]] = field(default_factory=dict)
    # For the page: one Utilisation per week in order, the location's and each counter's.
    week_row: list[Utilisation] = field(default_factory=list)
    counter_rows: list[tuple[str, list[Utilisation]]] = field(default_factory=list)


@dataclass
class CapacityPlan:
    mondays: list[dt.date]
    locations: list[LocationPlan]


def capacity_plan(
    *,
    start: dt.date,
    weeks: int = 8,
    add_counter: Location | None = None,
    add_bus_day: tuple[Location, dt.date, int] | None = None,
) -> CapacityPlan:
    """``weeks`` ISO weeks from the one holding ``start``. ``add_bus_day`` =
    (bus, date, open minutes)."""
    first = iso_week_days(start)[0]
    last = first + dt.timedelta(days=7 * weeks - 1)
    mondays = [first + dt.timedelta(days=7 * n) for n in range(weeks)]
    locations = {
        loc.pk: LocationPlan(loc)
        for loc in Location.objects.filter(is_active=True).order_by("kind", "name")
    }
    names = dict(Counter.objects.filter(location__in=locations).values_list("pk", "name"))
    extra_counter = {}  # (location, day) -> one counter's open minutes that day

    def record(plan: LocationPlan, counter: str, day: dt.date, opened: int, booked: int):
        monday = iso_week_days(day)[0]
        plan.weeks.setdefault(monday, Utilisation()).add(opened, booked)
        plan.days.setdefault(day, Utilisation()).add(opened, booked)
        plan.counters.setdefault(counter, {}).setdefault(monday, Utilisation()).add(opened, booked)

    for d in counter_days(date_from=first, date_to=last, locations=list(locations)):
        record(
            locations[d.location_id], names[d.counter_id], d.day, d.open_minutes, d.booked_minutes
        )
        extra_counter[d.location_id, d.day] = d.open_minutes
    if add_counter is not None and add_counter.pk in locations:
        for (location_id, day), opened in sorted(extra_counter.items()):
            if location_id == add_counter.pk:
                record(locations[location_id], "+1", day, opened, 0)
    if add_bus_day is not None and add_bus_day[0].pk in locations:
        bus, day, minutes = add_bus_day
        if bus.kind == LocationKind.BUS and first <= day <= last:
            for counter in Counter.objects.filter(location=bus, is_active=True):
                record(locations[bus.pk], counter.name, day, minutes, 0)
    for plan in locations.values():
        plan.days = dict(sorted(plan.days.items()))
        plan.week_row = [plan.weeks.get(m, Utilisation()) for m in mondays]
        plan.counter_rows = [
            (name, [weeks.get(m, Utilisation()) for m in mondays])
            for name, weeks in sorted(plan.counters.items(), key=lambda kv: kv[0] == "+1")
        ]
    return CapacityPlan(mondays=mondays, locations=list(locations.values()))
