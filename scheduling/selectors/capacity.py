"""Capacity: open and booked counter minutes per location, counter and day (reads only).

Open minutes of a counter on a day = the place's opening windows (desk opening hours, or a
bus visit's hours) while the counter is active; booked minutes = the part of them its
occupying legs take. Both come from ``availability.schedule_load`` (one way to know when a
counter is open and busy), so the planner, the fair-share rule and the capacity page agree.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Sum

from core.dates import days_bounds
from core.stats import SecondsBetween
from scheduling.constants import ACTIVE_APPOINTMENT_STATUSES, OCCUPYING_LEG_STATES
from scheduling.models import Leg, Location
from scheduling.selectors.availability import schedule_load


@dataclass(frozen=True)
class CounterDay:
    location_id: int
    counter_id: int
    day: dt.date
    open_minutes: int
    booked_minutes: int


def _length(intervals) -> int:
    return sum(hi - lo for lo, hi in intervals) // 60


def counter_days(
    *,
    date_from: dt.date,
    date_to: dt.date,
    locations: list[Location] | None = None,
    with_bookings: bool = True,
) -> list[CounterDay]:
    """Every active counter's open and booked minutes on every open day in the range."""
    schedule = schedule_load(
        date_from=date_from, date_to=date_to, locations=locations, with_bookings=with_bookings
    )
    out = []
    for place in schedule.places:
        opened = _length(place.windows)
        for counter_id in place.capabilities:
            free = _length(place.free.get(counter_id, place.windows))
            out.append(CounterDay(place.location.pk, counter_id, place.day, opened, opened - free))
    return out


def iso_week_days(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday and Sunday of ``day``'s ISO week."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)


def location_open_minutes(*, location: Location, date_from: dt.date, date_to: dt.date) -> int:
    """Open counter minutes at ``location`` in the days (the week's capacity)."""
    days = counter_days(
        date_from=date_from, date_to=date_to, locations=[location], with_bookings=False
    )
    return sum(d.open_minutes for d in days)


def employer_booked_minutes(
    *, employer_id: int, location: Location, date_from: dt.date, date_to: dt.date
) -> int:
    """Counter minutes the employer's group bookings (held or booked) take at the location
    in the days."""
    start, end = days_bounds(date_from, date_to)
    seconds = Leg.objects.filter(
        appointment__group_booking__employer_id=employer_id,
        appointment__status__in=ACTIVE_APPOINTMENT_STATUSES,
        appointment__location=location,
        state__in=OCCUPYING_LEG_STATES,
        start__gte=start,
        start__lt=end,
    ).aggregate(s=Sum(SecondsBetween("start", "end")))["s"]
    return round((seconds or 0) / 60)
