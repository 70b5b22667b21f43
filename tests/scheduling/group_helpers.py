"""Shared builders for the group-booking tests."""

import datetime as dt

import pytest
from django.utils import translation

from scheduling.group_booking.roster import RosterWorker
from tests import factories as f


def worker(n: int, **overrides) -> RosterWorker:
    values = dict(
        first_name=f"Worker{n}",
        last_name="Nowak",
        birth_date=dt.date(1990, 1, 1) + dt.timedelta(days=n),
        nationality="PL",
        expected_stay_months=12,
        municipality_of_residence=f.municipality("GM0826"),
        language="pl",
        row=n + 1,
    )
    values.update(overrides)
    return RosterWorker(**values)


def workers(count: int, **overrides) -> list[RosterWorker]:
    return [worker(n, **overrides) for n in range(1, count + 1)]


@pytest.fixture(autouse=False)
def english():
    """Messages asserted in English, whatever an earlier test left active in this thread."""
    with translation.override("en"):
        yield
