"""Concurrent cancellations and the waitlist (PostgreSQL, real threads).

Three visits of a full day are cancelled at once, each in its own transaction followed by
the offer round its after-commit task runs, while four groups wait. Each freed place is
offered exactly once, to the first three groups in joining order, and the offers are made
in that order; the fourth keeps waiting. A second test runs the rounds alone, many at once,
after the places are free: still one offer per place.
"""

import pytest
from django.db import connection

from core.models import AuditLogEntry
from scheduling.constants import AppointmentStatus, LegState, WaitlistStatus
from scheduling.models import Appointment, Leg, WaitlistEntry
from scheduling.services.booking import appointment_cancel
from scheduling.waitlist.services import waitlist_join, waitlist_offers_make
from tests import factories as f
from tests.concurrency import run_threads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _line(desk, next_monday, *, waiting=4):
    """``waiting`` groups of one in line for the full day (tests/scheduling/conftest.py)."""
    return [
        waitlist_join(
            employer=f.employer(),
            actor=None,
            location=desk,
            date_from=next_monday,
            date_to=next_monday,
            group_size=1,
            services=[f.service("brp")],
        )
        for _ in range(waiting)
    ]


def _overlaps() -> int:
    legs = list(
        Leg.objects.exclude(state=LegState.CANCELLED).values_list("counter_id", "start", "end")
    )
    return sum(
        1
        for i, (c1, s1, e1) in enumerate(legs)
        for c2, s2, e2 in legs[i + 1 :]
        if c1 == c2 and s1 < e2 and s2 < e1
    )


def _check(desk, entries):
    for entry in entries:
        entry.refresh_from_db()
    assert [e.status for e in entries] == [WaitlistStatus.OFFERED] * 3 + [WaitlistStatus.WAITING]
    held = Appointment.objects.filter(location=desk, status=AppointmentStatus.HELD)
    assert held.count() == 3  # each freed place held once
    assert {e.offer_group_id for e in entries[:3]} == set(
        held.values_list("group_booking_id", flat=True)
    )
    assert _overlaps() == 0
    offers = list(
        AuditLogEntry.objects.filter(action="waitlist.offer")
        .order_by("pk")
        .values_list("object_id", flat=True)
    )
    assert offers == [str(e.pk) for e in entries[:3]]  # once each, in joining order


def test_concurrent_cancellations_offer_each_place_once_in_joining_order(
    waitlist_desk, full_day, next_monday
):
    assert connection.vendor == "postgresql"
    desk, visits = waitlist_desk, full_day
    entries = _line(desk, next_monday)

    # Each cancellation queues the offer round after its commit (django-q2 runs it at once
    # in the tests, in the cancelling thread), so three rounds race for the line.
    _results, errors = run_threads(
        3, lambda i: appointment_cancel(appointment=visits[i], actor=None)
    )
    assert errors == []
    _check(desk, entries)


def test_many_rounds_at_once_never_offer_a_place_twice(waitlist_desk, full_day, next_monday):
    desk, visits = waitlist_desk, full_day
    entries = _line(desk, next_monday)
    # Free the places without the cancellation's own trigger: only the racing rounds offer.
    ids = [v.pk for v in visits]
    Appointment.objects.filter(pk__in=ids).update(status=AppointmentStatus.CANCELLED)
    Leg.objects.filter(appointment_id__in=ids).update(state=LegState.CANCELLED)
    results, errors = run_threads(8, lambda _i: waitlist_offers_make(location_ids=[desk.pk]))
    assert errors == []
    assert sum(results) == 3
    _check(desk, entries)
    assert WaitlistEntry.objects.filter(status=WaitlistStatus.OFFERED).count() == 3


def test_a_cancellation_waits_for_a_running_round_so_the_order_is_kept(
    waitlist_desk, full_day, next_monday, monkeypatch
):
    """A round finds no room for the first group; a cancellation comes in while the round is
    still at work. Without the lock the round would see the freed place when it reaches the
    second group and give it to him, skipping the first. The cancellation takes the desk's
    lock, so it commits after the round, and its own round offers the place to the first."""
    import threading
    import time

    from scheduling.waitlist import services

    desk, visits = waitlist_desk, full_day
    entries = _line(desk, next_monday, waiting=2)
    real_plan, started = services.chains_plan, threading.Event()

    def slow_plan(**kwargs):
        try:
            return real_plan(**kwargs)  # the first group: no room (yet)
        finally:
            if not started.is_set():  # ... and the cancellation comes in right then
                started.set()
                time.sleep(0.5)

    monkeypatch.setattr(services, "chains_plan", slow_plan)

    def run(i):
        if i == 0:
            return waitlist_offers_make(location_ids=[desk.pk])
        started.wait(10)
        appointment_cancel(appointment=visits[0], actor=None)
        return 0

    _results, errors = run_threads(2, run)
    assert errors == []
    for entry in entries:
        entry.refresh_from_db()
    assert [e.status for e in entries] == [WaitlistStatus.OFFERED, WaitlistStatus.WAITING]
