"""Forty bookers race for the last free chain.

With the lock: exactly one books, the rest get ``slot_taken`` (or ``busy``), no overlaps.
Negative control (PostgreSQL): with the lock switched off several bookers pass the
availability check at once; the exclusion constraint still stops all but one, and with the
constraint dropped as well the race produces overlapping legs.
"""

import datetime as dt
import threading
import time

import pytest
from django.db import connection, connections

from core import locking
from core.exceptions import Conflict
from scheduling.locking import locations_lock
from scheduling.models import Leg
from scheduling.services import booking
from scheduling.services.booking import appointment_book
from tests import factories
from tests.factories import aware

THREADS = 40


def _overlaps() -> int:
    legs = list(Leg.objects.exclude(state="cancelled").values_list("counter_id", "start", "end"))
    count = 0
    for i, (c1, s1, e1) in enumerate(legs):
        for c2, s2, e2 in legs[i + 1 :]:
            if c1 == c2 and s1 < e2 and s2 < e1:
                count += 1
    return count


def _setup(day):
    desk = factories.location(counters={"A": ["brp"]}, hours=(9, 10))
    # Fill 9:00-9:40; the last free chain is 9:40-10:00.
    factories.appointment(loc=desk, start=aware(day, 9), codes=["brp"], buffer_minutes=0)
    factories.appointment(loc=desk, start=aware(day, 9, 20), codes=["brp"])
    clients = [factories.client(first_name=f"W{i}") for i in range(THREADS)]
    return desk, clients


def _race(desk, clients, start):
    barrier = threading.Barrier(len(clients))
    outcomes, errors = [], []
    brp = [factories.service("brp")]

    def run(client):
        try:
            barrier.wait()
            appointment_book(client=client, location=desk, start=start, services=brp, actor=None)
            outcomes.append("booked")
        except Conflict as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # noqa: BLE001 - collected and asserted below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return outcomes, errors


def _slow_check(monkeypatch, passed: list):
    """Widen the window between the availability check and the insert, and count who passed."""
    real_write = booking._write

    def slow_write(**kwargs):
        passed.append(1)
        time.sleep(0.3)
        return real_write(**kwargs)

    monkeypatch.setattr(booking, "_write", slow_write)


@pytest.mark.django_db(transaction=True)
def test_forty_bookers_one_chain_exactly_one_wins(reference, next_monday):
    desk, clients = _setup(next_monday)
    outcomes, errors = _race(desk, clients, aware(next_monday, 9, 40))
    assert errors == []  # on SQLite: no "database is locked"
    assert outcomes.count("booked") == 1
    assert set(outcomes) <= {"booked", "slot_taken", "busy"}
    assert len(outcomes) == THREADS
    assert _overlaps() == 0
    assert Leg.objects.filter(counter__location=desk).count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_lock_makes_the_check_and_insert_one_step(reference, next_monday, monkeypatch):
    desk, clients = _setup(next_monday)
    passed = []
    _slow_check(monkeypatch, passed)
    outcomes, errors = _race(desk, clients[:8], aware(next_monday, 9, 40))
    assert errors == []
    assert len(passed) == 1  # only the winner got past the re-check
    assert outcomes.count("booked") == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_without_lock_the_race_is_caught_only_by_the_constraint(
    reference, next_monday, monkeypatch
):
    desk, clients = _setup(next_monday)
    passed = []
    _slow_check(monkeypatch, passed)
    with locking.locking_disabled():
        outcomes, errors = _race(desk, clients, aware(next_monday, 9, 40))
    assert errors == []
    assert len(passed) > 1  # the race: several bookers saw the chain free
    assert outcomes.count("booked") == 1  # ... and the exclusion constraint stopped the rest
    assert _overlaps() == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_without_lock_and_constraint_double_booking_happens(reference, next_monday, monkeypatch):
    from scheduling.migrations import _leg_overlap_sql as sql  # noqa: PLC0415

    desk, clients = _setup(next_monday)
    passed = []
    _slow_check(monkeypatch, passed)
    with connection.cursor() as cursor:
        cursor.execute(sql.DROP)
    try:
        with locking.locking_disabled():
            outcomes, errors = _race(desk, clients[:10], aware(next_monday, 9, 40))
        assert errors == []
        assert outcomes.count("booked") > 1
        assert _overlaps() > 0
    finally:
        Leg.objects.all().delete()
        with connections["default"].cursor() as cursor:
            cursor.execute(sql.ADD)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_lock_wait_is_bounded_and_becomes_busy(reference, next_monday, settings):
    from django.db import transaction

    from core.exceptions import Busy

    settings.LOCK_TIMEOUT_S = 1
    desk, clients = _setup(next_monday)
    held, release = threading.Event(), threading.Event()

    def holder():
        try:
            with transaction.atomic():
                locations_lock([desk.pk])
                held.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    held.wait(10)
    try:
        with pytest.raises(Busy) as err:
            appointment_book(
                client=clients[0],
                location=desk,
                start=aware(next_monday, 9, 40),
                services=[factories.service("brp")],
                actor=None,
            )
        assert err.value.code == "busy" and err.value.http_status == 409
    finally:
        release.set()
        thread.join()
    assert Leg.objects.filter(counter__location=desk).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db
def test_exclusion_constraint_refuses_overlapping_legs(reference, next_monday):
    from django.db import IntegrityError, transaction

    desk = factories.location(counters={"A": ["brp"]})
    first = factories.appointment(loc=desk, start=aware(next_monday, 9), codes=["brp"])
    leg = first.legs.get()
    other = factories.appointment(loc=desk, start=aware(next_monday, 11), codes=["brp"])
    with pytest.raises(IntegrityError), transaction.atomic():
        # Written past the services (as a buggy or racing writer would): the database refuses.
        other.legs.update(start=leg.start + dt.timedelta(minutes=10), end=leg.end)
    # Back to back is fine ([) ranges), and cancelled legs do not count.
    factories.appointment(
        loc=desk, start=aware(next_monday, 9, 20), codes=["brp"], buffer_minutes=0
    )
    factories.appointment(
        loc=desk, start=aware(next_monday, 9, 25), codes=["brp"], status="cancelled"
    )
