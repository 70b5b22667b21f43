"""The day planner of one location: counters as columns, legs as blocks."""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from scheduling.constants import LegState, LocationKind
from scheduling.models import BusVisit, Counter, Leg, Location, OpeningHours, ServiceType
from scheduling.selectors.availability import AMS

PIXELS_PER_MINUTE = 2


@dataclass
class PlannerBlock:
    """One leg as the planner draws it: everything the template shows, worked out once here
    (a busy desk has hundreds of blocks a day; the template only prints)."""

    state: str
    top: int
    height: int
    starts: str  # "H:i", local time
    ends: str
    service_code: str
    service_name: str
    booking_code: str
    last_name: str


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
        .order_by("start")
        .values_list(
            "counter_id",
            "state",
            "start",
            "end",
            "service_id",
            "appointment__booking_code",
            "appointment__client__last_name",
        )
    )
    counters = list(
        Counter.objects.filter(location=location, is_active=True)
        .prefetch_related("services")
        .order_by("name")
    )
    columns = {counter.pk: PlannerColumn(counter=counter) for counter in counters}
    legs = list(legs)
    services = {
        service.pk: (service.code, service.localized_name())
        for service in ServiceType.objects.filter(pk__in={leg[4] for leg in legs})
    }
    for counter_id, state, start, end, service_id, code, last_name in legs:
        column = columns.get(counter_id)
        if column is None:  # an inactive counter's leg (not shown, as before)
            continue
        top = int((start - day_start).total_seconds() // 60) * PIXELS_PER_MINUTE
        height = int((end - start).total_seconds() // 60) * PIXELS_PER_MINUTE
        column.blocks.append(
            PlannerBlock(
                state=state,
                top=max(top, 0),
                height=max(height, 16),
                starts=timezone.localtime(start).strftime("%H:%M"),
                ends=timezone.localtime(end).strftime("%H:%M"),
                service_code=services[service_id][0],
                service_name=services[service_id][1],
                booking_code=code,
                last_name=last_name,
            )
        )
    columns = list(columns.values())
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
