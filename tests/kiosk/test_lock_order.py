"""One lock order for every path that locks a location and a queue number (scheduling.locking):
the location first, then the ticket. Undoing a no-show at the counter locked the ticket, then
(giving the visit its counter time back) the location: the opposite of the reception's late
decisions, so the two could deadlock on PostgreSQL.

The same for the queue number and the visit's rows (its legs, the appointment): the number
first. A record written for a leg in progress (counter's ``service_record_create``) locked the
leg and the visit and only then, moving the number on, the number: the opposite of the
console's finish (number, then leg and visit)."""

import sys
import threading
import time

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from counter.constants import Outcome
from counter.models import ServiceRecord
from counter.services.records import service_record_create
from kiosk.models import CallEvent, QueueTicket
from kiosk.services import calls
from kiosk.services.calls import (
    counter_undo,
    ticket_call_next,
    ticket_finish,
    ticket_mark_no_show,
    ticket_start,
)
from kiosk.services.tickets import (
    kiosk_check_in,
    late_arrival_admit,
    late_arrival_no_show,
    late_arrival_to_walk_in,
)
from scheduling import locking
from scheduling.tokens import ticket_token_make
from tests.concurrency import run_threads
from tests.kiosk.conftest import visit

pytestmark = pytest.mark.django_db

LOCATION, TICKET = "scheduling.Location", "kiosk.QueueTicket"
LEG, VISIT = "scheduling.Leg", "scheduling.Appointment"


@pytest.fixture
def lock_calls(monkeypatch):
    """The row locks taken, in order, by model (on every database): ``select_for_update``
    querysets, and ``locations_lock`` (which takes no row lock on SQLite) wherever imported."""
    calls = []
    real_sfu, real_lock = QuerySet.select_for_update, locking.locations_lock

    def select_for_update(self, *args, **kwargs):
        calls.append(self.model._meta.label)
        return real_sfu(self, *args, **kwargs)

    def locations_lock(location_ids):
        calls.append(LOCATION)
        return real_lock(location_ids)

    monkeypatch.setattr(QuerySet, "select_for_update", select_for_update)
    for module in list(sys.modules.values()):
        if getattr(module, "locations_lock", None) is real_lock:
            monkeypatch.setattr(module, "locations_lock", locations_lock)
    # locations_lock itself locks through rows_lock (PostgreSQL): recorded once, as LOCATION.
    return calls


def _location_before_ticket(calls):
    assert LOCATION in calls and TICKET in calls, calls
    assert calls.index(LOCATION) < calls.index(TICKET), calls


def test_undoing_a_no_show_locks_the_location_before_the_ticket(desk, at, counters, lock_calls):
    appt = visit(desk, at(10), ["brp"])
    kiosk_check_in(location=desk, token=ticket_token_make(appt), now=at(9, 50))
    b1 = counters["Balie 1"]
    ticket_call_next(counter=b1, actor=None, now=at(10))
    ticket_mark_no_show(counter=b1, actor=None, now=at(10, 5))
    lock_calls.clear()
    back = counter_undo(counter=b1, actor=None, reason="came after all", now=at(10, 6))
    _location_before_ticket(lock_calls)
    # Behaviour unchanged: the number is back at the counter, the visit open again.
    assert back.state == "called" and back.counter == b1
    back.appointment.refresh_from_db()
    assert back.appointment.status == "checked_in"


@pytest.mark.parametrize(
    "decide", [late_arrival_admit, late_arrival_no_show, late_arrival_to_walk_in]
)
def test_the_receptions_late_decisions_lock_the_location_before_the_ticket(
    desk, at, lock_calls, decide
):
    appt = visit(desk, at(10), ["brp"])
    held = kiosk_check_in(location=desk, token=ticket_token_make(appt), now=at(10, 20)).ticket
    lock_calls.clear()
    decide(ticket=held, actor=None, now=at(10, 21))
    _location_before_ticket(lock_calls)


@pytest.mark.postgres
def test_undoing_a_no_show_on_postgresql_selects_the_location_for_update_first(desk, at, counters):
    """The SQL itself: the first SELECT ... FOR UPDATE of the location comes before the first
    of the queue number."""
    appt = visit(desk, at(10), ["brp"])
    kiosk_check_in(location=desk, token=ticket_token_make(appt), now=at(9, 50))
    b1 = counters["Balie 1"]
    ticket_call_next(counter=b1, actor=None, now=at(10))
    ticket_mark_no_show(counter=b1, actor=None, now=at(10, 5))
    with CaptureQueriesContext(connection) as queries:
        counter_undo(counter=b1, actor=None, reason="came after all", now=at(10, 6))
    locked = _for_update_tables(queries)
    assert "scheduling_location" in locked and "kiosk_queueticket" in locked, locked
    assert locked.index("scheduling_location") < locked.index("kiosk_queueticket"), locked


def _serving(desk, at, counters):
    """A checked-in welcome + health-insurance visit, being served (welcome) at Balie 1."""
    appt = visit(desk, at(10), ["welcome", "zvw"])
    kiosk_check_in(location=desk, token=ticket_token_make(appt), now=at(9, 50))
    b1 = counters["Balie 1"]
    ticket_call_next(counter=b1, actor=None, now=at(10))
    ticket_start(counter=b1, actor=None, now=at(10, 1))
    return appt, b1


def _ticket_before_leg_and_visit(calls):
    assert TICKET in calls and LEG in calls and VISIT in calls, calls
    assert calls.index(TICKET) < min(calls.index(LEG), calls.index(VISIT)), calls


def test_a_record_for_a_leg_in_progress_locks_the_ticket_before_the_leg_and_visit(
    desk, at, counters, lock_calls
):
    appt, b1 = _serving(desk, at, counters)
    welcome = appt.legs.get(service__code="welcome")
    lock_calls.clear()
    service_record_create(leg=welcome, outcome=Outcome.COMPLETED, actor=None)
    _ticket_before_leg_and_visit(lock_calls)
    # Behaviour unchanged: the leg is done and the number waits for the visit's next leg.
    welcome.refresh_from_db()
    assert welcome.state == "done"
    ticket = QueueTicket.objects.select_related("leg__service").get(appointment=appt)
    assert ticket.state == "waiting" and ticket.counter is None
    assert ticket.leg.service.code == "zvw"


def test_the_consoles_finish_locks_the_ticket_before_the_leg_and_visit(
    desk, at, counters, lock_calls
):
    """The order the record path follows (unchanged)."""
    appt, b1 = _serving(desk, at, counters)
    lock_calls.clear()
    ticket_finish(counter=b1, actor=None, now=at(10, 6))
    _ticket_before_leg_and_visit(lock_calls)


def _for_update_tables(queries):
    return [
        q["sql"].split(" FROM ", 1)[1].split()[0].strip('"')
        for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and "FOR UPDATE" in q["sql"]
    ]


@pytest.mark.postgres
def test_a_record_on_postgresql_selects_the_ticket_for_update_before_the_leg_and_visit(
    desk, at, counters
):
    """The SQL itself: the first SELECT ... FOR UPDATE of the queue number comes before the
    first of the leg and of the visit (as in the console's finish)."""
    appt, b1 = _serving(desk, at, counters)
    welcome = appt.legs.get(service__code="welcome")
    with CaptureQueriesContext(connection) as queries:
        service_record_create(leg=welcome, outcome=Outcome.COMPLETED, actor=None)
    locked = _for_update_tables(queries)
    for table in ("kiosk_queueticket", "scheduling_leg", "scheduling_appointment"):
        assert table in locked, locked
    first_ticket = locked.index("kiosk_queueticket")
    assert first_ticket < locked.index("scheduling_leg"), locked
    assert first_ticket < locked.index("scheduling_appointment"), locked


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_record_and_the_consoles_finish_of_one_leg_at_once_both_succeed(
    desk, at, counters, monkeypatch
):
    """Real threads on PostgreSQL: the console's finish holds the number and, a moment later,
    locks the leg and the visit, while the visit page records the same leg. In the old order the
    record held the leg and the visit and then waited for the number: PostgreSQL aborted one of
    the two ("deadlock detected"). Now the record waits for the number first: both succeed, one
    after the other."""
    appt, b1 = _serving(desk, at, counters)
    welcome = appt.legs.get(service__code="welcome")
    holds_number, real_leg_finish = threading.Event(), calls.leg_finish

    def leg_finish_a_moment_later(**kwargs):  # the console's, called holding the number
        holds_number.set()
        time.sleep(0.5)  # the record starts meanwhile
        return real_leg_finish(**kwargs)

    monkeypatch.setattr(calls, "leg_finish", leg_finish_a_moment_later)

    def console():
        return ticket_finish(counter=b1, actor=None, now=at(10, 6)).pk

    def record():
        assert holds_number.wait(10)
        return service_record_create(leg=welcome, outcome=Outcome.COMPLETED, actor=None).pk

    results, errors = run_threads(2, lambda i: (console, record)[i]())
    assert errors == [] and len(results) == 2
    welcome.refresh_from_db()
    assert welcome.state == "done"
    assert ServiceRecord.objects.filter(leg=welcome, voided_at__isnull=True).count() == 1
    ticket = QueueTicket.objects.select_related("leg__service").get(appointment=appt)
    assert ticket.state == "waiting" and ticket.leg.service.code == "zvw"
    assert CallEvent.objects.filter(ticket=ticket, action="finish").count() == 1
