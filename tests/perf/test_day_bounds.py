"""The local day as a half-open range of aware datetimes (core.dates.day_bounds), and "Today's
visits" built on it: only today's visits, at 00:30 and at 23:59 alike."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.dates import day_bounds, local_day_q
from core.roles import Role
from scheduling.constants import AppointmentSource
from tests import factories as f

AMS = ZoneInfo("Europe/Amsterdam")


def test_an_ordinary_day_is_24_hours_from_local_midnight():
    start, end = day_bounds(dt.date(2026, 6, 15))
    assert start == dt.datetime(2026, 6, 15, tzinfo=AMS)
    assert start.utcoffset() == dt.timedelta(hours=2)
    assert end - start == dt.timedelta(hours=24)


def test_the_spring_change_day_is_23_hours_and_the_autumn_one_25():
    spring_start, spring_end = day_bounds(dt.date(2026, 3, 29))
    assert spring_start.astimezone(dt.UTC) == dt.datetime(2026, 3, 28, 23, tzinfo=dt.UTC)
    assert spring_end.astimezone(dt.UTC) == dt.datetime(2026, 3, 29, 22, tzinfo=dt.UTC)
    autumn_start, autumn_end = day_bounds(dt.date(2026, 10, 25))
    assert autumn_start.astimezone(dt.UTC) == dt.datetime(2026, 10, 24, 22, tzinfo=dt.UTC)
    assert autumn_end.astimezone(dt.UTC) == dt.datetime(2026, 10, 25, 23, tzinfo=dt.UTC)


def test_consecutive_days_meet_without_gap_or_overlap_across_the_changes():
    day = dt.date(2026, 3, 27)
    for _ in range(220):
        assert day_bounds(day)[1] == day_bounds(day + dt.timedelta(days=1))[0]
        day += dt.timedelta(days=1)


def test_local_day_q_is_a_half_open_range():
    q = local_day_q("start", dt.date(2026, 3, 29))
    start, end = day_bounds(dt.date(2026, 3, 29))
    assert dict(q.children) == {"start__gte": start, "start__lt": end}


@pytest.mark.django_db
@pytest.mark.parametrize("clock", [dt.time(0, 30), dt.time(23, 59)])
def test_todays_visits_shows_only_todays_visits(client, reference, clock):
    """Visits just before and after midnight (local) belong to their own local day; a
    walk-in created today is listed, one created yesterday is not."""
    day = dt.date(2026, 10, 26)  # the Monday after the autumn DST change
    desk = f.location()
    officer = f.user(Role.OFFICER, location=desk)
    with time_machine.travel(dt.datetime.combine(day - dt.timedelta(days=1), dt.time(23, 50), AMS)):
        yesterday_walk_in = f.appointment(loc=desk, start=f.aware(day, 9), codes=["welcome"])
        yesterday_walk_in.__class__.objects.filter(pk=yesterday_walk_in.pk).update(
            start=None, end=None, source=AppointmentSource.WALK_IN
        )
    late_yesterday = f.appointment(
        loc=desk,
        start=dt.datetime.combine(day - dt.timedelta(days=1), dt.time(23, 45), AMS),
        codes=["welcome"],
    )
    early_today = f.appointment(
        loc=desk, start=dt.datetime.combine(day, dt.time(0, 10), AMS), codes=["welcome"]
    )
    late_today = f.appointment(
        loc=desk, start=dt.datetime.combine(day, dt.time(23, 40), AMS), codes=["welcome"]
    )
    early_tomorrow = f.appointment(
        loc=desk,
        start=dt.datetime.combine(day + dt.timedelta(days=1), dt.time(0, 5), AMS),
        codes=["welcome"],
    )
    with time_machine.travel(dt.datetime.combine(day, dt.time(8), AMS)):
        walk_in_today = f.appointment(loc=desk, start=f.aware(day, 9), codes=["welcome"])
        walk_in_today.__class__.objects.filter(pk=walk_in_today.pk).update(
            start=None, end=None, source=AppointmentSource.WALK_IN
        )
    client.force_login(officer)
    with time_machine.travel(dt.datetime.combine(day, clock, AMS)):
        response = client.get("/counter/visits/")
    assert response.status_code == 200
    listed = {v.pk for v in response.context["visits"]}
    assert listed == {early_today.pk, late_today.pk, walk_in_today.pk}
    for other in (late_yesterday, early_tomorrow, yesterday_walk_in):
        assert other.booking_code.encode() not in response.content
