"""End of the desk day (issue 12, retention; issue 14, queue order): booked visits whose day
has passed become no-shows and queue numbers still open are closed. Idempotent."""

import datetime as dt

import pytest
import time_machine

from core.models import AuditLogEntry
from kiosk.constants import TicketState
from kiosk.models import QueueTicket
from kiosk.services.tickets import kiosk_check_in, walk_in_issue
from scheduling.constants import AppointmentStatus
from scheduling.models import ServiceType
from scheduling.services.day_close import visits_missed_close
from scheduling.tokens import ticket_token_make
from tests import factories
from tests.kiosk.conftest import visit

pytestmark = pytest.mark.django_db


def test_missed_bookings_and_open_numbers_are_closed_after_midnight_only(desk, at, day):
    missed = visit(desk, at(10), ["brp"])
    waiting = visit(desk, at(11), ["brp"])
    waiting_ticket = kiosk_check_in(
        location=desk, token=ticket_token_make(waiting), now=at(10, 50)
    ).ticket
    late = visit(desk, at(9), ["zvw"])
    late_ticket = kiosk_check_in(location=desk, token=ticket_token_make(late), now=at(9, 40)).ticket
    walk_in = walk_in_issue(
        location=desk, services=[ServiceType.objects.get(code="welcome")], actor=None, now=at(12)
    )
    tomorrow = visit(desk, factories.aware(day + dt.timedelta(days=1), 10), ["brp"])

    # 23:59 Amsterdam: the desk day is not over, nothing changes.
    with time_machine.travel(at(23, 59), tick=False):
        assert visits_missed_close() == {
            "visits": 0,
            "hooks": {"kiosk.services.calls.queue_day_close": 0},
        }
    missed.refresh_from_db()
    assert missed.status == AppointmentStatus.BOOKED

    # 00:30 the next day: the day is closed.
    after = factories.aware(day + dt.timedelta(days=1), 0, 30)
    with time_machine.travel(after, tick=False):
        result = visits_missed_close()
    assert result["visits"] == 1
    assert result["hooks"]["kiosk.services.calls.queue_day_close"] == 3
    status = {a.pk: a.status for a in (missed, waiting, late, walk_in.appointment, tomorrow)}
    for appt in (missed, waiting, late, walk_in.appointment, tomorrow):
        appt.refresh_from_db()
        status[appt.pk] = appt.status
    assert status[missed.pk] == AppointmentStatus.NO_SHOW
    assert status[waiting.pk] == AppointmentStatus.NO_SHOW
    assert status[late.pk] == AppointmentStatus.NO_SHOW
    assert status[walk_in.appointment.pk] == AppointmentStatus.NO_SHOW
    assert status[tomorrow.pk] == AppointmentStatus.BOOKED
    states = set(
        QueueTicket.objects.filter(
            pk__in=[waiting_ticket.pk, late_ticket.pk, walk_in.pk]
        ).values_list("state", flat=True)
    )
    assert states == {TicketState.NO_SHOW}
    assert AuditLogEntry.objects.filter(action="day.closed").count() == 1
    assert AuditLogEntry.objects.filter(action="queue.day_closed").count() == 1

    # Running again changes nothing (the task is safe to re-run).
    audit = AuditLogEntry.objects.count()
    with time_machine.travel(after + dt.timedelta(hours=1), tick=False):
        assert visits_missed_close() == {
            "visits": 0,
            "hooks": {"kiosk.services.calls.queue_day_close": 0},
        }
    assert AuditLogEntry.objects.count() == audit


def test_the_closing_is_a_daily_periodic_task():
    from core.schedules import periodic_tasks

    task = {t.name: t for t in periodic_tasks()}["bmip: end of day closing"]
    assert task.func == "scheduling.tasks.day_close_task"
    first = task.first_run(factories.aware(dt.date(2026, 12, 1), 15))
    assert (first.date(), first.hour, first.minute) == (dt.date(2026, 12, 2), 0, 30)
