"""Fixtures shared by the scheduling tests (the waitlist modules' desk and full day)."""

import pytest

from tests import factories as f
from tests.factories import aware


@pytest.fixture
def waitlist_desk(reference):
    """One BRP counter open 9:00-10:00 with a 20-minute grid: three visits a day."""
    return f.location(counters={"A": ["brp"]}, hours=(9, 10), slot_step_minutes=20)


@pytest.fixture
def full_day(waitlist_desk, next_monday):
    """The waitlist desk's three places on ``next_monday``, booked by someone else."""
    return [
        f.appointment(
            loc=waitlist_desk, start=aware(next_monday, 9, m), codes=["brp"], buffer_minutes=0
        )
        for m in (0, 20, 40)
    ]
