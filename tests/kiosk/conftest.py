import datetime as dt

import pytest

from kiosk.models import KioskSettings, WalkInPolicy
from scheduling.models import ServiceType
from tests import factories


@pytest.fixture(autouse=True)
def queue_without_record_guard(settings):
    """These tests are about the queue: legs are finished at the console without a record.
    Counter's guard (a registration needs its record) is tested with the queue in
    tests/counter/test_records_required.py."""
    settings.LEG_HOOKS = {**settings.LEG_HOOKS, "finish_guard": []}


@pytest.fixture
def desk(reference):
    loc = factories.location(slug="breda-test", name="Desk Breda")
    KioskSettings.objects.create(
        location=loc, early_minutes=60, late_minutes=15, priority_window_minutes=10
    )
    for code in ("brp", "zvw", "welcome"):
        WalkInPolicy.objects.create(
            location=loc, service=ServiceType.objects.get(code=code), daily_cap=3
        )
    return loc


@pytest.fixture
def day(next_monday):
    return next_monday


@pytest.fixture
def at(day):
    """at(10, 5) -> an aware datetime on the test day."""

    def make(hour, minute=0):
        return factories.aware(day, hour, minute)

    return make


@pytest.fixture
def counters(desk):
    return {c.name: c for c in desk.counters.all()}


def visit(desk, start, codes=("brp", "zvw"), **kw):
    return factories.appointment(loc=desk, start=start, codes=list(codes), **kw)


def as_dt(value):
    return value if isinstance(value, dt.datetime) else None
