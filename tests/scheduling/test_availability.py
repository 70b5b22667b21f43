import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.exceptions import ValidationFailed
from scheduling.constants import AppointmentStatus, LocationKind
from scheduling.models import Closure
from scheduling.selectors.availability import (
    ChainRequest,
    availability_search,
    chains_plan,
    leg_minutes,
)
from tests import factories
from tests.factories import aware

pytestmark = pytest.mark.django_db


def svc(*codes):
    return [factories.service(c) for c in codes]


@pytest.fixture
def desk(reference):
    return factories.location(
        counters={"Balie 1": ["brp", "rni"], "Balie 2": ["zvw"], "Balie 3": ["ind", "twv"]},
    )


def starts_on(result, day, location=None):
    out = []
    for entry in result:
        if entry.date == day and (location is None or entry.location == location):
            out.extend(entry.starts)
    return out


def test_empty_desk_offers_every_grid_time_whose_chain_ends_before_closing(desk, next_monday):
    result = availability_search(
        services=svc("brp", "zvw", "ind"),
        locations=[desk],
        date_from=next_monday,
        date_to=next_monday,
    )
    starts = starts_on(result, next_monday)
    assert starts[0] == aware(next_monday, 9)
    # brp 20 + 5 + zvw 15 + 5 + ind 15 = 60 minutes: last start at 16:00 on a 15-minute grid.
    assert starts[-1] == aware(next_monday, 16)
    assert len(starts) == 29
    assert all(s.minute % 15 == 0 for s in starts)


def test_booked_leg_removes_the_starts_it_blocks(desk, next_monday):
    # BRP on the only BRP counter 10:00-10:20 (and zvw after it).
    factories.appointment(loc=desk, start=aware(next_monday, 10), codes=["brp"])
    result = availability_search(
        services=svc("brp"), locations=[desk], date_from=next_monday, date_to=next_monday
    )
    starts = starts_on(result, next_monday)
    assert aware(next_monday, 9, 30) in starts  # 9:30-9:50 still free
    assert aware(next_monday, 9, 45) not in starts  # would run into 10:00
    assert aware(next_monday, 10) not in starts
    assert aware(next_monday, 10, 15) not in starts
    assert aware(next_monday, 10, 30) in starts


def test_cancelled_appointments_do_not_occupy(desk, next_monday):
    factories.appointment(
        loc=desk, start=aware(next_monday, 10), codes=["brp"], status=AppointmentStatus.CANCELLED
    )
    result = availability_search(
        services=svc("brp"), locations=[desk], date_from=next_monday, date_to=next_monday
    )
    assert aware(next_monday, 10) in starts_on(result, next_monday)


def test_wait_between_legs_is_bounded(reference, next_monday):
    desk = factories.location(
        counters={"A": ["brp"], "B": ["zvw"]}, max_wait_minutes=10, transfer_buffer_minutes=5
    )
    # Block zvw from 9:25 to 11:00: after a 9:00 BRP (ends 9:20) the next zvw is far too late.
    factories.appointment(loc=desk, start=aware(next_monday, 9, 25), codes=["zvw"] * 1)
    for hour in (9, 10):
        minute = 40 if hour == 9 else 0
        factories.appointment(loc=desk, start=aware(next_monday, hour, minute), codes=["zvw"])
    factories.appointment(loc=desk, start=aware(next_monday, 10, 15), codes=["zvw"])
    factories.appointment(loc=desk, start=aware(next_monday, 10, 30), codes=["zvw"])
    factories.appointment(loc=desk, start=aware(next_monday, 10, 45), codes=["zvw"])
    result = availability_search(
        services=svc("brp", "zvw"), locations=[desk], date_from=next_monday, date_to=next_monday
    )
    starts = starts_on(result, next_monday)
    # zvw is free again from 11:00; with buffer 5 + wait 10 a BRP must end 10:45..10:55.
    assert aware(next_monday, 9) not in starts
    assert starts[0] == aware(next_monday, 10, 30)  # 10:30-10:50, zvw 11:00 (wait 5)


def test_leg_on_any_able_counter_and_no_chain_past_closing(reference, next_monday):
    desk = factories.location(counters={"A": ["brp"], "B": ["brp"]}, hours=(9, 10))
    factories.appointment(loc=desk, start=aware(next_monday, 9), codes=["brp"])
    result = availability_search(
        services=svc("brp"), locations=[desk], date_from=next_monday, date_to=next_monday
    )
    starts = starts_on(result, next_monday)
    # Counter B is free: 9:00 is still offered. 9:45 would end 10:05: never offered.
    assert starts == [aware(next_monday, 9), aware(next_monday, 9, 15), aware(next_monday, 9, 30)]


def test_closures_only_when_confirmed(desk, next_monday):
    Closure.objects.create(
        location=desk, date_from=next_monday, date_to=next_monday, reason="x", confirmed=False
    )
    kwargs = dict(services=svc("brp"), locations=[desk], date_from=next_monday, date_to=next_monday)
    assert starts_on(availability_search(**kwargs), next_monday)
    Closure.objects.update(confirmed=True)
    assert availability_search(**kwargs) == []


def test_weekend_closed_and_no_past_times(desk, next_monday):
    saturday = next_monday - dt.timedelta(days=2)
    result = availability_search(
        services=svc("brp"),
        locations=[desk],
        date_from=saturday,
        date_to=next_monday,
        now=aware(next_monday, 12, 5),
    )
    assert [e.date for e in result] == [next_monday]
    assert result[0].starts[0] == aware(next_monday, 12, 15)


def test_interpreter_makes_legs_longer(desk, next_monday, settings):
    settings.INTERPRETER_DURATION_FACTOR = 1.5
    brp = factories.service("brp")
    assert leg_minutes(brp, interpreter_needed=True) == 30
    kwargs = dict(services=[brp], locations=[desk], date_from=next_monday, date_to=next_monday)
    plain = starts_on(availability_search(**kwargs), next_monday)
    longer = starts_on(availability_search(**kwargs, interpreter_needed=True), next_monday)
    assert plain[-1] == aware(next_monday, 16, 30)  # 16:30-16:50
    assert longer[-1] == aware(next_monday, 16, 30)  # 16:30-17:00
    settings.INTERPRETER_DURATION_FACTOR = 2
    longest = starts_on(availability_search(**kwargs, interpreter_needed=True), next_monday)
    assert longest[-1] == aware(next_monday, 16, 15)  # 40 minutes


def test_location_without_the_service_is_left_out(reference, next_monday):
    brp_only = factories.location(counters={"A": ["brp"]})
    full = factories.location()
    result = availability_search(
        services=svc("brp", "ind"), date_from=next_monday, date_to=next_monday
    )
    assert {e.location for e in result} == {full}
    assert brp_only not in {e.location for e in result}


def _sunday_desk(hours):
    return factories.location(counters={"A": ["brp"]}, hours=hours, weekdays=range(7))


@pytest.mark.parametrize(
    "day,offset_before,offset_after",
    [(dt.date(2031, 3, 30), 1, 2), (dt.date(2031, 10, 26), 2, 1)],
)
def test_daylight_saving_sundays(reference, day, offset_before, offset_after):
    assert day.weekday() == 6
    desk = _sunday_desk((0, 6))
    now = aware(day, 0) - dt.timedelta(days=1)
    result = availability_search(
        services=svc("brp"), locations=[desk], date_from=day, date_to=day, now=now
    )
    starts = starts_on(result, day)
    assert starts[0].utcoffset() == dt.timedelta(hours=offset_before)
    assert starts[-1].utcoffset() == dt.timedelta(hours=offset_after)
    # 00:00 to 06:00 local is 5 hours of real time in March and 7 in October.
    real_hours = 5 if offset_after > offset_before else 7
    assert len(starts) == real_hours * 4 - 1  # a 20-minute leg, 15-minute grid
    assert starts[-1].hour == 5 and starts[-1].minute == 30  # ends 05:50 local, before 06:00
    assert (starts[1] - starts[0]) == dt.timedelta(minutes=15)


def test_daylight_saving_day_office_hours_are_local(reference):
    day = dt.date(2031, 3, 30)
    desk = _sunday_desk((9, 17))
    result = availability_search(
        services=svc("brp"),
        locations=[desk],
        date_from=day,
        date_to=day,
        now=aware(day, 0) - dt.timedelta(days=1),
    )
    starts = starts_on(result, day)
    assert starts[0] == dt.datetime(2031, 3, 30, 7, 0, tzinfo=dt.UTC)
    assert starts[-1] == aware(day, 16, 30)


def test_the_bus_offers_only_on_visit_days_with_its_counters(reference, next_monday):
    bus = factories.location(
        kind=LocationKind.BUS, counters={"Bus 1": ["brp"], "Bus 2": ["zvw"]}, is_rni_desk=False
    )
    visit = factories.bus_visit(bus=bus, date=next_monday + dt.timedelta(days=1), hours=(10, 12))
    result = availability_search(
        services=svc("brp", "zvw"),
        locations=[bus],
        date_from=next_monday,
        date_to=next_monday + dt.timedelta(days=2),
    )
    assert len(result) == 1
    assert result[0].bus_visit == visit
    assert result[0].starts[0] == aware(visit.date, 10)
    assert result[0].starts[-1] == aware(visit.date, 11, 15)  # 11:15-11:35, 11:40-11:55
    visit.counters.set(bus.counters.filter(name="Bus 1"))
    assert (
        availability_search(
            services=svc("brp", "zvw"), locations=[bus], date_from=visit.date, date_to=visit.date
        )
        == []
    )


def test_group_size_needs_parallel_room(reference, next_monday):
    desk = factories.location(
        counters={"A": ["brp"], "B": ["brp"]}, hours=(9, 10), max_wait_minutes=0
    )
    kwargs = dict(services=svc("brp"), locations=[desk], date_from=next_monday, date_to=next_monday)
    assert starts_on(availability_search(**kwargs, group_size=2), next_monday) == [
        aware(next_monday, 9),
        aware(next_monday, 9, 15),
        aware(next_monday, 9, 30),
    ]
    assert availability_search(**kwargs, group_size=3) == []


def test_query_count_is_constant_whatever_the_bookings(reference, next_monday):
    desk = factories.location()
    bus = factories.location(kind=LocationKind.BUS, counters={"Bus 1": ["brp", "zvw", "ind"]})
    factories.bus_visit(bus=bus, date=next_monday)
    kwargs = dict(
        services=svc("brp", "zvw", "ind"),
        date_from=next_monday,
        date_to=next_monday + dt.timedelta(days=6),
    )
    factories.appointment(loc=desk, start=aware(next_monday, 9))
    with CaptureQueriesContext(connection) as one:
        availability_search(**kwargs)
    for hour in range(10, 16):
        factories.appointment(loc=desk, start=aware(next_monday, hour), codes=["brp", "zvw", "ind"])
        factories.appointment(loc=desk, start=aware(next_monday + dt.timedelta(days=1), hour))
    with CaptureQueriesContext(connection) as many:
        availability_search(**kwargs)
    assert len(one) == len(many) <= 8


def test_chains_plan_places_different_chains_without_double_use(reference, next_monday):
    desk = factories.location(counters={"A": ["brp", "rni"], "B": ["zvw"], "C": ["ind", "twv"]})
    now = aware(next_monday, 8)
    requests = [
        ChainRequest("w1", svc("brp", "zvw")),
        ChainRequest("w2", svc("rni", "zvw", "ind", "twv")),
        ChainRequest("w3", svc("brp", "zvw", "ind"), interpreter_needed=True),
    ]
    plan = chains_plan(
        requests=requests, locations=[desk], date_from=next_monday, date_to=next_monday, now=now
    )
    assert [p.client_key for p in plan] == ["w1", "w2", "w3"]
    assert plan[0].start == aware(next_monday, 9)
    legs = [leg for chain in plan for leg in chain.legs]
    for a in legs:
        for b in legs:
            if a is not b and a.counter_id == b.counter_id:
                assert a.end <= b.start or b.end <= a.start
    assert plan[2].legs[0].end - plan[2].legs[0].start == dt.timedelta(minutes=30)


def test_chains_plan_names_the_request_that_does_not_fit(reference, next_monday):
    desk = factories.location(counters={"A": ["brp"], "B": ["zvw"]}, hours=(9, 10))
    requests = [ChainRequest(f"w{i}", svc("brp", "zvw")) for i in range(5)]
    with pytest.raises(ValidationFailed) as err:
        chains_plan(
            requests=requests,
            locations=[desk],
            date_from=next_monday,
            date_to=next_monday,
            now=aware(next_monday, 8),
        )
    assert err.value.code == "chains_do_not_fit"
    # w0 takes 9:00-9:40; w1 would need a 9:20 start, which is off the 15-minute grid.
    assert err.value.details["request"] == "w1"
    assert err.value.details["service"] == "brp"
    plan = chains_plan(
        requests=requests[:2],
        locations=[desk],
        date_from=next_monday,
        date_to=next_monday,
        now=aware(next_monday, 8),
        on_grid=False,
    )
    assert plan[1].start == aware(next_monday, 9, 20)
