import pytest

from core.exceptions import Conflict, NotFound, ValidationFailed
from core.models import AuditLogEntry
from kiosk.constants import CallAction, TicketState
from kiosk.models import CallEvent
from kiosk.selectors import queue_kpis
from kiosk.services.calls import (
    counter_undo,
    ticket_call,
    ticket_call_next,
    ticket_finish,
    ticket_mark_no_show,
    ticket_recall,
    ticket_start,
    waiting_queue_for_counter,
)
from kiosk.services.tickets import kiosk_check_in, walk_in_issue
from scheduling.constants import AppointmentStatus, LegState
from scheduling.models import ServiceType
from scheduling.tokens import ticket_token_make
from tests.kiosk.conftest import visit

pytestmark = pytest.mark.django_db


def checked_in(desk, when, start, codes=("brp", "zvw")):
    appt = visit(desk, start, codes)
    return kiosk_check_in(location=desk, token=ticket_token_make(appt), now=when).ticket


def test_booked_near_their_time_go_before_walk_ins_longest_wait_first(desk, at, counters):
    brp = ServiceType.objects.get(code="brp")
    walk_early = walk_in_issue(location=desk, services=[brp], actor=None, now=at(9, 0))
    booked_later = checked_in(desk, at(9, 35), at(10, 30), ["brp"])  # not due before 10:20
    booked_due_b = checked_in(desk, at(9, 20), at(10, 5), ["brp"])
    booked_due_a = checked_in(desk, at(9, 15), at(9, 40), ["brp"])
    walk_late = walk_in_issue(location=desk, services=[brp], actor=None, now=at(9, 30))
    balie1 = counters["Balie 1"]
    order = []
    for minute in range(5):
        now = at(10, minute)
        ticket = ticket_call_next(counter=balie1, actor=None, now=now)
        order.append(ticket.pk)
        ticket_start(counter=balie1, actor=None, now=now)
        ticket_finish(counter=balie1, actor=None, now=now)
    # Due booked visits first (longest wait first), then the rest by waiting time.
    assert order == [booked_due_a.pk, booked_due_b.pk, walk_early.pk, walk_late.pk, booked_later.pk]
    with pytest.raises(NotFound) as err:
        ticket_call_next(counter=balie1, actor=None, now=at(10, 10))
    assert err.value.code == "queue_empty"


def test_counter_only_gets_tickets_for_its_services(desk, at, counters):
    ticket = checked_in(desk, at(9, 50), at(10), ["zvw"])
    with pytest.raises(NotFound):
        ticket_call_next(counter=counters["Balie 1"], actor=None, now=at(10))
    with pytest.raises(ValidationFailed) as err:
        ticket_call(counter=counters["Balie 3"], ticket=ticket, actor=None, now=at(10))
    assert err.value.code == "counter_cannot_serve"
    assert ticket_call_next(counter=counters["Balie 2"], actor=None, now=at(10)).pk == ticket.pk


def test_one_number_follows_the_person_through_the_legs(desk, at, counters):
    ticket = checked_in(desk, at(9, 50), at(10), ["brp", "zvw"])
    b1, b2 = counters["Balie 1"], counters["Balie 2"]
    assert ticket_call_next(counter=b1, actor=None, now=at(10)).pk == ticket.pk
    ticket_start(counter=b1, actor=None, now=at(10, 1))
    after = ticket_finish(counter=b1, actor=None, now=at(10, 15))
    assert after.state == TicketState.WAITING
    assert after.leg.service.code == "zvw"
    assert after.counter is None and after.code == ticket.code
    assert after.waiting_since == at(10, 15)
    # Balie 1 no longer sees it; Balie 2 does.
    with pytest.raises(NotFound):
        ticket_call_next(counter=b1, actor=None, now=at(10, 16))
    assert ticket_call_next(counter=b2, actor=None, now=at(10, 20)).pk == ticket.pk
    ticket_start(counter=b2, actor=None, now=at(10, 21))
    done = ticket_finish(counter=b2, actor=None, now=at(10, 30))
    assert done.state == TicketState.DONE
    done.appointment.refresh_from_db()
    assert done.appointment.status == AppointmentStatus.COMPLETED
    kpis = queue_kpis(location=desk, day=at(10).date())
    waits = sorted(r["waiting"]["avg_minutes"] for r in kpis["per_service"])
    assert waits == [5.0, 10.0]  # brp: 9:50 -> 10:00, zvw: 10:15 -> 10:20
    services = sorted(r["service_time"]["avg_minutes"] for r in kpis["per_service"])
    assert len(services) == 2
    served = {row["counter"]: row["served"] for row in kpis["served_per_counter"]}
    assert served["Balie 1"] == 1 and served["Balie 2"] == 1


def test_kpis_read_the_days_call_events_once(desk, at, counters, django_assert_num_queries):
    """Calls (waiting time) and starts/finishes (service time) come from one read of the day's
    call events: the reception console shows the KPIs on every reload."""
    ticket = checked_in(desk, at(9, 50), at(10), ["brp"])
    assert ticket_call_next(counter=counters["Balie 1"], actor=None, now=at(10)).pk == ticket.pk
    ticket_start(counter=counters["Balie 1"], actor=None, now=at(10, 1))
    ticket_finish(counter=counters["Balie 1"], actor=None, now=at(10, 13))
    # The events, the day's ticket counts and the counters.
    with django_assert_num_queries(3):
        kpis = queue_kpis(location=desk, day=at(10).date())
    [row] = kpis["per_service"]
    assert row["waiting"]["avg_minutes"] == 10.0 and row["service_time"]["avg_minutes"] == 12.0
    served = {r["counter"]: r["served"] for r in kpis["served_per_counter"]}
    assert served["Balie 1"] == 1


def test_busy_counter_cannot_call_again(desk, at, counters):
    checked_in(desk, at(9, 50), at(10), ["brp"])
    checked_in(desk, at(9, 51), at(10), ["brp"])
    b1 = counters["Balie 1"]
    first = ticket_call_next(counter=b1, actor=None, now=at(10))
    with pytest.raises(Conflict) as err:
        ticket_call_next(counter=b1, actor=None, now=at(10, 1))
    assert err.value.code == "counter_busy"
    assert first.code in str(err.value.message)


def test_recall_and_no_show(desk, at, counters):
    checked_in(desk, at(9, 50), at(10), ["brp", "zvw"])
    b1 = counters["Balie 1"]
    ticket_call_next(counter=b1, actor=None, now=at(10))
    recalled = ticket_recall(counter=b1, actor=None, now=at(10, 2))
    assert recalled.recalls == 1 and recalled.called_at == at(10, 2)
    gone = ticket_mark_no_show(counter=b1, actor=None, now=at(10, 5))
    assert gone.state == TicketState.NO_SHOW
    gone.appointment.refresh_from_db()
    assert gone.appointment.status == AppointmentStatus.NO_SHOW
    assert set(gone.appointment.legs.values_list("state", flat=True)) == {LegState.CANCELLED}
    assert list(CallEvent.objects.values_list("action", flat=True)) == [
        CallAction.CALL,
        CallAction.RECALL,
        CallAction.NO_SHOW,
    ]
    assert queue_kpis(location=desk, day=at(10).date())["no_show_rate"] == 1.0
    with pytest.raises(Conflict) as err:
        ticket_recall(counter=b1, actor=None, now=at(10, 6))
    assert err.value.code == "counter_idle"


def test_undo_steps_back_through_no_show_start_and_call(desk, at, counters):
    ticket = checked_in(desk, at(9, 50), at(10), ["brp"])
    b1 = counters["Balie 1"]
    ticket_call_next(counter=b1, actor=None, now=at(10))
    ticket_mark_no_show(counter=b1, actor=None, now=at(10, 5))
    back = counter_undo(counter=b1, actor=None, reason="came after all", now=at(10, 6))
    assert back.state == TicketState.CALLED and back.counter == b1
    back.appointment.refresh_from_db()
    assert back.appointment.status == AppointmentStatus.CHECKED_IN
    assert back.appointment.legs.get().state == LegState.PLANNED
    ticket_start(counter=b1, actor=None, now=at(10, 7))
    undone = counter_undo(counter=b1, actor=None, now=at(10, 8))
    assert undone.state == TicketState.CALLED
    assert undone.leg.state == LegState.PLANNED
    # The next undo takes back the call: the person waits again, at the same place.
    waiting = counter_undo(counter=b1, actor=None, now=at(10, 9))
    assert waiting.state == TicketState.WAITING and waiting.counter is None
    assert waiting.waiting_since == ticket.waiting_since
    with pytest.raises(Conflict) as err:
        counter_undo(counter=b1, actor=None, now=at(10, 10))
    assert err.value.code == "nothing_to_undo"
    assert AuditLogEntry.objects.filter(action="queue_ticket.undo").count() == 3
    # Undone calls do not count in the waiting-time KPI.
    kpis = queue_kpis(location=desk, day=at(10).date())
    assert not any(row["waiting"]["count"] for row in kpis["per_service"])


def test_undo_finish_brings_the_person_back_unless_called_elsewhere(desk, at, counters):
    ticket = checked_in(desk, at(9, 50), at(10), ["brp", "zvw"])
    b1, b2 = counters["Balie 1"], counters["Balie 2"]
    ticket_call_next(counter=b1, actor=None, now=at(10))
    ticket_start(counter=b1, actor=None, now=at(10, 1))
    ticket_finish(counter=b1, actor=None, now=at(10, 10))
    back = counter_undo(counter=b1, actor=None, now=at(10, 11))
    assert back.state == TicketState.SERVING and back.counter == b1
    assert back.leg.service.code == "brp" and back.leg.state == LegState.IN_PROGRESS
    ticket_finish(counter=b1, actor=None, now=at(10, 12))
    ticket_call_next(counter=b2, actor=None, now=at(10, 13))  # moved on
    with pytest.raises(Conflict) as err:
        counter_undo(counter=b1, actor=None, now=at(10, 14))
    assert err.value.code == "undo_too_late"
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CALLED and ticket.counter == b2


def test_walk_in_moves_through_legs_on_any_able_counter(desk, at, counters):
    svc = list(ServiceType.objects.filter(code__in=["welcome", "zvw"]))
    ticket = walk_in_issue(location=desk, services=svc, actor=None, now=at(9))
    assert ticket.leg.service.code == "zvw"  # visit order: insurance before extras
    b2, b1 = counters["Balie 2"], counters["Balie 1"]
    ticket_call_next(counter=b2, actor=None, now=at(9, 5))
    ticket_start(counter=b2, actor=None, now=at(9, 6))
    ticket_finish(counter=b2, actor=None, now=at(9, 10))
    assert ticket_call_next(counter=b1, actor=None, now=at(9, 11)).pk == ticket.pk


def test_claim_compares_the_leg_too(reference, at, monkeypatch):
    """Race: counter B2 picks a person waiting for BRP; before its claim lands, counter B1
    serves that person's BRP leg and the ticket waits again, now for insurance. B2's claim
    must fail (it cannot do insurance), not grab the person for the wrong leg."""
    from kiosk.models import KioskSettings
    from kiosk.services import calls
    from tests import factories

    desk = factories.location(counters={"B1": ["brp"], "B2": ["brp"], "Z": ["zvw"]})
    KioskSettings.objects.create(location=desk)
    ticket = checked_in(desk, at(9, 50), at(10), ["brp", "zvw"])
    b1, b2 = desk.counters.get(name="B1"), desk.counters.get(name="B2")
    real_claim = calls._claim
    raced = []

    def claim_after_race(ticket_id, leg_id, *, counter, now):
        if counter == b2 and not raced:
            raced.append(True)
            monkeypatch.setattr(calls, "_claim", real_claim)
            calls.ticket_call_next(counter=b1, actor=None, now=now)
            calls.ticket_start(counter=b1, actor=None, now=now)
            calls.ticket_finish(counter=b1, actor=None, now=now)
            monkeypatch.setattr(calls, "_claim", claim_after_race)
        return real_claim(ticket_id, leg_id, counter=counter, now=now)

    monkeypatch.setattr(calls, "_claim", claim_after_race)
    with pytest.raises(NotFound):
        calls.ticket_call_next(counter=b2, actor=None, now=at(10))
    ticket.refresh_from_db()
    assert raced
    assert ticket.state == TicketState.WAITING and ticket.leg.service.code == "zvw"
    assert ticket.counter is None


def test_scanning_again_after_a_no_show_says_so(desk, at, counters):
    appt = visit(desk, at(10), ["brp"])
    kiosk_check_in(location=desk, token=ticket_token_make(appt), now=at(9, 50))
    ticket_call_next(counter=counters["Balie 1"], actor=None, now=at(10))
    ticket_mark_no_show(counter=counters["Balie 1"], actor=None, now=at(10, 5))
    with pytest.raises(Conflict) as err:
        kiosk_check_in(location=desk, token=ticket_token_make(appt), now=at(10, 10))
    assert err.value.code == "ticket_no_show" and "A001" in str(err.value.message)


def test_double_press_of_start_is_refused_clearly(desk, at, counters):
    checked_in(desk, at(9, 50), at(10), ["brp"])
    b1 = counters["Balie 1"]
    ticket_call_next(counter=b1, actor=None, now=at(10))
    ticket_start(counter=b1, actor=None, now=at(10, 1))
    with pytest.raises(Conflict) as err:
        ticket_start(counter=b1, actor=None, now=at(10, 1))
    assert err.value.code == "wrong_ticket_state" and "A001" in str(err.value.message)
    assert CallEvent.objects.filter(action=CallAction.START).count() == 1


def test_booked_people_are_called_in_slot_order_and_late_ones_behind_those_on_time(
    desk, at, counters
):
    """A 09:00 booking checked in at 13:55 is not called before people booked for 14:15 (the
    desk counts someone more than ``late_minutes`` = 15 past the start as late)."""
    from scheduling.services.legs import appointment_check_in

    late_visit = visit(desk, at(9, 0), ["brp"])
    appointment_check_in(appointment=late_visit, actor=None)  # at the reception, this morning
    late = kiosk_check_in(location=desk, token=ticket_token_make(late_visit), now=at(13, 55))
    second = checked_in(desk, at(13, 50), at(14, 30), ["brp"])
    first = checked_in(desk, at(14, 5), at(14, 0), ["brp"])  # later in, earlier slot
    balie1 = counters["Balie 1"]
    queue = list(waiting_queue_for_counter(balie1, now=at(14, 25)))
    assert [t.pk for t in queue] == [first.pk, second.pk, late.ticket.pk]
    assert [t.late for t in queue] == [False, False, True]
    assert ticket_call_next(counter=balie1, actor=None, now=at(14, 25)).pk == first.pk
