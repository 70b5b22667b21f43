"""No lost record: a leg whose service needs a record (BRP/RNI registration, health-insurance
intake, IND and work-permit referral) is finished only by recording it, and a visit with a
finished leg lacking its record cannot be closed. A registration finished without its record
would have no settlement line: a municipality would silently lose EUR 100."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from core.exceptions import Conflict
from counter.constants import Outcome
from counter.models import ServiceRecord, VisitClosure
from counter.services.fees import visit_close
from counter.services.records import (
    RECORD_REQUIRED_CATEGORIES,
    service_record_create,
    service_record_void,
)
from kiosk.constants import TicketState
from kiosk.models import QueueTicket
from kiosk.services import calls
from kiosk.services.tickets import kiosk_check_in_appointment
from scheduling.constants import LegState, ServiceCategory
from scheduling.models import ServiceType
from scheduling.services.legs import leg_finish
from settlement.models import SettlementLine
from tests import factories as f
from tests.counter.conftest import start_leg

pytestmark = pytest.mark.django_db


def test_the_leg_hooks_name_counters_guard_and_kiosks_follower():
    assert settings.LEG_HOOKS == {
        "finish_guard": ["counter.services.records.leg_finish_guard"],
        "reopen_guard": ["counter.services.records.leg_reopen_guard"],
        "finished": ["kiosk.services.calls.ticket_follow_leg"],
        "lock": ["kiosk.services.calls.ticket_lock_for_leg"],
    }


def test_every_registration_insurance_and_referral_service_needs_a_record(reference):
    needing = set(
        ServiceType.objects.filter(category__in=RECORD_REQUIRED_CATEGORIES).values_list(
            "code", flat=True
        )
    )
    assert {"brp", "rni", "zvw", "ind", "twv"} <= needing
    assert not ServiceType.objects.filter(
        code__in=needing, category__in=(ServiceCategory.EXTRA, ServiceCategory.ALLOWANCE)
    ).exists()


@pytest.mark.parametrize("code", ["brp", "rni", "zvw", "ind", "twv"])
@pytest.mark.parametrize("completed", [True, False])
def test_finish_without_record_is_refused_for_every_service_that_needs_one(
    reference, officer, today_start, code, completed
):
    desk = f.location(cbs_code="GM0758", slug=f"rni-{code}")
    visit = f.appointment(loc=desk, start=today_start, codes=[code])
    leg = start_leg(visit.legs.get(), officer)
    with pytest.raises(Conflict) as exc:
        leg_finish(leg=leg, actor=officer, completed=completed)
    assert exc.value.code == "record_required"
    leg.refresh_from_db()
    assert leg.state == LegState.IN_PROGRESS


def test_no_registration_is_finished_without_its_settlement_line(officer, desk, today_start):
    """The only way a BRP leg reaches Done is a completed record, and that writes the line
    Oosterhout owes Breda (EUR 100.00) in the same transaction."""
    visit = f.appointment(loc=desk, start=today_start, codes=["brp"])
    leg = start_leg(visit.legs.get(), officer)
    with pytest.raises(Conflict):
        leg_finish(leg=leg, actor=officer)
    assert not SettlementLine.objects.exists()

    service_record_create(leg=leg, outcome=Outcome.COMPLETED, actor=officer)
    leg.refresh_from_db()
    assert leg.state == LegState.DONE
    line = SettlementLine.objects.get()
    assert line.amount == Decimal("100.00") and line.record.leg == leg
    # Every finished registration leg in the database has a valid completed record with a line.
    for done in type(leg).objects.filter(
        state=LegState.DONE, service__category=ServiceCategory.REGISTRATION_BRP
    ):
        record = done.service_records.get(voided_at__isnull=True)
        assert record.is_completed_registration and record.settlement_lines.exists()


def test_a_service_without_a_record_finishes_as_before(officer, desk, today_start):
    visit = f.appointment(loc=desk, start=today_start, codes=["welcome"])
    leg = start_leg(visit.legs.get(), officer)
    assert leg_finish(leg=leg, actor=officer).state == LegState.DONE


def test_visit_with_a_finished_leg_whose_record_was_voided_cannot_be_closed(
    officer, desk, today_start
):
    visit = f.appointment(loc=desk, start=today_start, codes=["brp"])
    leg = start_leg(visit.legs.get(), officer)
    record = service_record_create(leg=leg, outcome=Outcome.COMPLETED, actor=officer)
    service_record_void(record=record, actor=officer, reason="wrong person")
    with pytest.raises(Conflict) as exc:
        visit_close(appointment=visit, actor=officer)
    assert exc.value.code == "record_required"
    assert not VisitClosure.objects.exists()
    # Recording again (the leg is Done, so it stays Done) lets the visit close.
    service_record_create(leg=leg, outcome=Outcome.COMPLETED, actor=officer)
    assert visit_close(appointment=visit, actor=officer)


@pytest.fixture
def queued(officer, desk, today_start, office_hours):
    """A checked-in BRP + health-insurance visit, called and being served at Balie 1."""
    on_time = today_start + dt.timedelta(hours=1)  # booked for 10:00, the clock's time
    visit = f.appointment(loc=desk, start=on_time, codes=["brp", "zvw"])
    ticket = kiosk_check_in_appointment(location=desk, appointment=visit).ticket
    counter = visit.legs.get(service__code="brp").counter
    calls.ticket_call(counter=counter, actor=officer, ticket=ticket)
    calls.ticket_start(counter=counter, actor=officer)
    return visit, counter


def test_console_finish_is_refused_until_the_record_exists(queued, officer):
    visit, counter = queued
    with pytest.raises(Conflict) as exc:
        calls.ticket_finish(counter=counter, actor=officer)
    assert exc.value.code == "record_required"
    assert calls.counter_current_ticket(counter).state == TicketState.SERVING


def test_recording_on_the_visit_page_moves_the_queue_number_on(queued, officer):
    """One source of truth: the leg. Recording finishes it, and the console follows."""
    visit, counter = queued
    brp = visit.legs.get(service__code="brp")
    service_record_create(leg=brp, outcome=Outcome.COMPLETED, actor=officer)
    assert calls.counter_current_ticket(counter) is None
    ticket = QueueTicket.objects.get(appointment=visit)
    assert ticket.state == TicketState.WAITING
    assert ticket.leg.service.code == "zvw"
    assert not ServiceRecord.objects.filter(leg__service__code="zvw").exists()


def test_console_undo_of_a_recorded_leg_is_refused_until_the_record_is_voided(queued, officer):
    visit, counter = queued
    brp = visit.legs.get(service__code="brp")
    record = service_record_create(leg=brp, outcome=Outcome.COMPLETED, actor=officer)
    with pytest.raises(Conflict) as exc:
        calls.counter_undo(counter=counter, actor=officer, reason="pressed too early")
    assert exc.value.code == "already_recorded"
    brp.refresh_from_db()
    assert brp.state == LegState.DONE
    service_record_void(record=record, actor=officer, reason="pressed too early")
    calls.counter_undo(counter=counter, actor=officer, reason="pressed too early")
    brp.refresh_from_db()
    assert brp.state == LegState.IN_PROGRESS
    assert calls.counter_current_ticket(counter).leg == brp


def test_the_database_refuses_closing_a_visit_with_an_unrecorded_finished_leg(
    officer, desk, today_start
):
    """The trigger of counter migration 0010 (SQLite and PostgreSQL) backs visit_close up."""
    visit = f.appointment(loc=desk, start=today_start, codes=["brp"])
    leg = start_leg(visit.legs.get(), officer)
    type(leg).objects.filter(pk=leg.pk).update(state=LegState.DONE)  # around the services
    with pytest.raises(IntegrityError), transaction.atomic():
        VisitClosure.objects.create(appointment=visit)
    service_record_create(leg=leg, outcome=Outcome.COMPLETED, actor=officer)
    assert VisitClosure.objects.create(appointment=visit).pk


# The one officer screen: the console shows the current leg's record form inline.


def console_url(counter):
    return reverse("kiosk:officer-counter", args=[counter.pk])


def test_console_shows_the_record_form_of_the_current_leg_instead_of_finish(
    queued, officer, client
):
    visit, counter = queued
    client.force_login(officer)
    page = client.get(console_url(counter)).content.decode()
    brp = visit.legs.get(service__code="brp")
    assert reverse("counter:leg-record", args=[brp.pk]) in page
    assert "Record and finish" in page and 'name="bsn"' in page and 'type="date"' in page
    assert reverse("kiosk:officer-action", args=[counter.pk, "finish"]) not in page
    assert reverse("counter:visit", args=[visit.pk]) in page


def test_recording_from_the_console_returns_to_it_and_the_number_moves_on(queued, officer, client):
    visit, counter = queued
    client.force_login(officer)
    brp = visit.legs.get(service__code="brp")
    response = client.post(
        reverse("counter:leg-record", args=[brp.pk]),
        {"outcome": "completed", "next": console_url(counter)},
    )
    assert response.status_code == 302 and response["Location"] == console_url(counter)
    page = client.get(console_url(counter)).content.decode()
    assert "Nobody at this counter." in page
    assert QueueTicket.objects.get(appointment=visit).leg.service.code == "zvw"


@pytest.mark.parametrize("fragment", [True, False], ids=["in-place", "plain-post"])
def test_a_refused_bsn_keeps_what_was_typed_with_the_error_at_the_field(
    queued, officer, client, fragment
):
    visit, counter = queued
    client.force_login(officer)
    brp = visit.legs.get(service__code="brp")
    headers = {"X-Fragment": "record-form"} if fragment else {}
    response = client.post(
        reverse("counter:leg-record", args=[brp.pk]),
        {
            "outcome": "completed",
            "reason": "documents checked",
            "registration_date": "01-12-2026",  # the Dutch format the tables show
            "bsn": "123456789",
            "next": console_url(counter),
        },
        headers=headers,
    )
    assert response.status_code == 400 and response["Cache-Control"] == "no-store"
    html = response.content.decode()
    bsn_input = re.search(r'<input[^>]*name="bsn"[^>]*>', html).group(0)
    assert 'value="123456789"' in bsn_input
    after = html[html.index(bsn_input) + len(bsn_input) :]
    assert re.match(r'<span class="field-error"[^>]* role="alert">This is not a valid BSN', after)
    assert 'aria-invalid="true"' in bsn_input  # and described by the message (its id)
    assert 'value="documents checked"' in html and 'value="2026-12-01"' in html
    assert f'value="{console_url(counter)}"' in html  # still returns to the console
    assert not ServiceRecord.objects.exists()
