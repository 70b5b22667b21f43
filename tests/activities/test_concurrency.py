"""Thirty employers race for the last places of a session (PostgreSQL, real threads).

With the session lock: confirmed participants never exceed capacity, the rest wait.
Negative control: with the lock switched off, the count-then-insert race overbooks.
"""

import time

import pytest

from activities.constants import RegistrationState
from activities.models import Participant
from activities.services import registration as service
from core import locking
from tests.activities.conftest import make_session, people
from tests.concurrency import run_threads

THREADS = 30


def _race(session):
    def register(i):
        return service.registration_create(
            session=session, participants=people(2, prefix=f"T{i}-"), actor=None
        ).state

    return run_threads(THREADS, register)


def _confirmed(session) -> int:
    return Participant.objects.filter(
        session=session, registration__state=RegistrationState.CONFIRMED
    ).count()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_groups_never_exceed_capacity(reference):
    session = make_session(capacity=21)
    states, errors = _race(session)
    assert errors == []
    assert _confirmed(session) == 20  # ten groups of two; the eleventh does not fit
    assert states.count(RegistrationState.CONFIRMED) == 10
    assert states.count(RegistrationState.WAITLISTED) == THREADS - 10


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_without_the_lock_the_race_overbooks(reference, monkeypatch):
    session = make_session(capacity=4)
    real = service.places_taken

    def slow(s):
        taken = real(s)
        time.sleep(0.3)  # widen the window between counting and inserting
        return taken

    monkeypatch.setattr(service, "places_taken", slow)
    with locking.locking_disabled():
        _states, errors = _race(session)
    assert errors == []
    assert _confirmed(session) > 4
