"""Capacity planning: utilisation per location, counter, day and week against hand-computed
figures; the what-if of an extra counter or bus day writes nothing."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from core.roles import Role
from scheduling.constants import LocationKind
from scheduling.models import Counter
from scheduling.selectors.capacity_plan import capacity_plan
from tests import factories as f
from tests.html import inline_scripts

pytestmark = pytest.mark.django_db


@pytest.fixture
def next_monday():
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


@pytest.fixture
def desk(reference):
    # Two counters, Monday-Friday 9-17: 2 x 5 x 480 = 4,800 open counter minutes a week.
    return f.location(name="Breda", counters={"Balie 1": ["brp"], "Balie 2": ["zvw"]})


def _plan_of(plan, loc):
    return next(p for p in plan.locations if p.location.pk == loc.pk)


@override_settings(CAPACITY_WARN_PERCENT=80)
def test_utilisation_per_day_week_and_counter(desk, next_monday):
    brp = f.service("brp").duration_minutes
    for hour in range(9, 17):  # Balie 1 full on Monday: 8 visits of brp minutes, from 9:00
        f.appointment(loc=desk, start=f.aware(next_monday, hour), codes=["brp"])
    booked = min(8 * brp, 480) if brp <= 60 else 480
    plan = _plan_of(capacity_plan(start=next_monday, weeks=8), desk)
    assert len(plan.week_row) == 8
    week = plan.weeks[next_monday]
    assert (week.open_minutes, week.booked_minutes) == (4800, booked)
    monday = plan.days[next_monday]
    assert (monday.open_minutes, monday.booked_minutes) == (960, booked)
    balie1 = dict(plan.counter_rows)["Balie 1"][0]
    assert (balie1.open_minutes, balie1.booked_minutes) == (2400, booked)
    assert balie1.percent == round(booked * 100 / 2400)
    assert plan.days[next_monday].warn == (booked * 100 / 960 >= 80)
    assert plan.weeks[next_monday + dt.timedelta(days=7)].booked_minutes == 0


def test_what_if_extra_counter_and_bus_day_write_nothing(desk, next_monday):
    bus = f.location(
        name="Bus", kind=LocationKind.BUS, counters={"Bus 1": ["brp"], "Bus 2": ["zvw"]}
    )
    counters = Counter.objects.count()
    plan = capacity_plan(
        start=next_monday, add_counter=desk, add_bus_day=(bus, next_monday + dt.timedelta(1), 480)
    )
    # One more counter at the desk: 3 x 5 x 480 = 7,200 a week; a bus day: 2 x 480 = 960.
    assert _plan_of(plan, desk).weeks[next_monday].open_minutes == 7200
    assert dict(_plan_of(plan, desk).counter_rows)["+1"][0].open_minutes == 2400
    assert _plan_of(plan, bus).weeks[next_monday].open_minutes == 960
    assert Counter.objects.count() == counters


def test_page_for_coordinators_only(client, desk):
    client.force_login(f.user(Role.COORDINATOR))
    response = client.get(f"/scheduling/capacity/?add_counter={desk.pk}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Breda" in body and inline_scripts(body) == []
    assert client.get("/scheduling/capacity/?bus=1&bus_date=2025-02-30").status_code == 400
    client.force_login(f.user(Role.EMPLOYER, employer=f.employer()))
    assert client.get("/scheduling/capacity/").status_code == 403
