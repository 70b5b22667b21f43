"""Numbering and claiming under real concurrency (PostgreSQL; SQLite serialises writers)."""

import pytest
from django.db import connection
from django.utils import timezone

from core.exceptions import Conflict, NotFound
from kiosk.models import QueueTicket
from kiosk.services.calls import ticket_call, ticket_call_next
from kiosk.services.numbering import ticket_number_next
from kiosk.services.tickets import walk_in_issue
from scheduling.models import ServiceType
from tests import factories
from tests.concurrency import run_threads

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_forty_concurrent_walk_ins_get_numbers_1_to_40(reference, settings):
    # All 40 queue on one lock; on a loaded CI machine that can exceed the default bounded
    # wait (which would correctly answer Busy). This test is about numbering, so wait longer.
    settings.LOCK_TIMEOUT_S = 120
    desk = factories.location()
    brp = ServiceType.objects.get(code="brp")
    from kiosk.models import WalkInPolicy

    WalkInPolicy.objects.create(location=desk, service=brp, daily_cap=100)
    now = timezone.now()
    results, errors = run_threads(
        40, lambda i: walk_in_issue(location=desk, services=[brp], actor=None, now=now).number
    )
    assert errors == []
    assert sorted(results) == list(range(1, 41))
    assert sorted(QueueTicket.objects.values_list("number", flat=True)) == list(range(1, 41))


def test_forty_threads_on_the_generator_alone(reference):
    from django.db import transaction

    desk = factories.location()
    day = timezone.localdate()

    def take(_i):
        with transaction.atomic():
            return ticket_number_next(location_id=desk.pk, service_date=day, prefix="Z")

    results, errors = run_threads(40, take)
    assert errors == []
    assert sorted(results) == list(range(1, 41))


def test_two_counters_never_get_the_same_person(reference):
    desk = factories.location(counters={f"Balie {i}": ["brp"] for i in range(1, 9)})
    brp = ServiceType.objects.get(code="brp")
    from kiosk.models import WalkInPolicy

    WalkInPolicy.objects.create(location=desk, service=brp, daily_cap=100)
    for _ in range(3):
        walk_in_issue(location=desk, services=[brp], actor=None)
    counters = list(desk.counters.order_by("name"))

    def call(i):
        try:
            return ticket_call_next(counter=counters[i], actor=None).pk
        except NotFound:
            return None

    results, errors = run_threads(8, call)
    assert errors == []
    claimed = [r for r in results if r is not None]
    assert len(claimed) == 3 and len(set(claimed)) == 3
    assert QueueTicket.objects.filter(state="called").count() == 3


def test_two_counters_racing_for_one_given_ticket(reference):
    desk = factories.location(counters={"Balie 1": ["brp"], "Balie 2": ["brp"]})
    brp = ServiceType.objects.get(code="brp")
    from kiosk.models import WalkInPolicy

    WalkInPolicy.objects.create(location=desk, service=brp, daily_cap=10)
    ticket = walk_in_issue(location=desk, services=[brp], actor=None)
    counters = list(desk.counters.order_by("name"))
    outcomes = []

    def call(i):
        try:
            ticket_call(counter=counters[i], ticket=ticket, actor=None)
            outcomes.append(("ok", counters[i].pk))
        except Conflict as exc:
            outcomes.append((exc.code, counters[i].pk))

    for _round in range(5):
        QueueTicket.objects.filter(pk=ticket.pk).update(state="waiting", counter=None)
        outcomes.clear()
        _results, errors = run_threads(2, call)
        assert errors == []
        assert sorted(o[0] for o in outcomes) == ["already_called", "ok"] or sorted(
            o[0] for o in outcomes
        ) == ["ok", "ticket_not_waiting"]
        winner = next(pk for code, pk in outcomes if code == "ok")
        ticket.refresh_from_db()
        assert ticket.counter_id == winner
    assert connection.vendor == "postgresql"
