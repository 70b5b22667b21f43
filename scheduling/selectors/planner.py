"""The day planner of one location: counters as columns, legs as blocks."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch

from scheduling.constants import LegState, LocationKind
from scheduling.models import BusVisit, Counter, Leg, Location, OpeningHours
from scheduling.selectors.availability import AMS

PIXELS_PER_MINUTE = 2


@dataclass
class PlannerBlock:
    leg: Leg
    top: int
    height: int


@dataclass
class PlannerColumn:
    counter: Counter
    blocks: list[PlannerBlock] = field(default_factory=list)


@dataclass
class DayPlan:
    location: Location
    day: dt.date
    opens: dt.datetime
    closes: dt.datetime
    columns: list[PlannerColumn]
    hours: list[tuple[dt.datetime, int]]
    height: int
    bus_visits: list[BusVisit]


def day_plan(*, location: Location, day: dt.date) -> DayPlan:
    """Legs of the day per counter (cancelled legs left out), positioned in pixels."""
    if location.kind == LocationKind.BUS:
        visits = list(BusVisit.objects.filter(location=location, date=day))
        periods = [(v.opens, v.closes) for v in visits]
    else:
        visits = []
        periods = list(
            OpeningHours.objects.filter(location=location, weekday=day.weekday()).values_list(
                "opens", "closes"
            )
        )
    start_time = min((p[0] for p in periods), default=dt.time(9))
    end_time = max((p[1] for p in periods), default=dt.time(17))
    day_start = dt.datetime.combine(day, start_time, tzinfo=AMS)
    day_end = dt.datetime.combine(day, end_time, tzinfo=AMS)
    # Legs overlapping the opening hours. No leg lasts a day, so those start after the day
    # before: that lower bound lets the index on start read the day, not all history.
    legs = (
        Leg.objects.filter(
            counter__location=location,
            start__gte=day_start - dt.timedelta(days=1),
            start__lt=day_end,
            end__gt=day_start,
        )
        .exclude(state=LegState.CANCELLED)
        .select_related("service", "appointment", "appointment__client")
        .order_by("start")
    )
    counters = list(
        Counter.objects.filter(location=location, is_active=True)
        .prefetch_related(Prefetch("legs", queryset=legs, to_attr="day_legs"), "services")
        .order_by("name")
    )
    columns = []
    for counter in counters:
        column = PlannerColumn(counter=counter)
        for leg in counter.day_legs:
            top = int((leg.start - day_start).total_seconds() // 60) * PIXELS_PER_MINUTE
            height = int((leg.end - leg.start).total_seconds() // 60) * PIXELS_PER_MINUTE
            column.blocks.append(PlannerBlock(leg=leg, top=max(top, 0), height=max(height, 16)))
        columns.append(column)
    hours = []
    cursor = day_start.replace(minute=0)
    while cursor < day_end:
        if cursor >= day_start:
            hours.append(
                (cursor, int((cursor - day_start).total_seconds() // 60) * PIXELS_PER_MINUTE)
            )
        cursor += dt.timedelta(hours=1)
    height = int((day_end - day_start).total_seconds() // 60) * PIXELS_PER_MINUTE
    return DayPlan(location, day, day_start, day_end, columns, hours, height, visits)
