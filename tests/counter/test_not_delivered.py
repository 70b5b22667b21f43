"""A service that could not be delivered: a structured reason (documents missing, client
absent, other) recorded through service_record_create, audited, a few clicks on the
officer's screens, in the API, translated."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import ValidationFailed
from core.models import AuditLogEntry
from counter.constants import NotDeliveredReason, Outcome
from counter.models import ServiceRecord
from counter.services.records import service_record_create
from kiosk.models import QueueTicket
from kiosk.services.tickets import kiosk_check_in
from scheduling.constants import LegState
from scheduling.tokens import ticket_token_make
from tests import factories as f
from tests.counter.conftest import start_leg

pytestmark = pytest.mark.django_db


@pytest.fixture
def leg(desk, officer, today_start):
    appt = f.appointment(loc=desk, start=today_start, codes=["brp", "zvw"])
    return start_leg(appt.legs.get(service__code="brp"), officer)


def test_documents_missing_is_recorded_audited_and_finishes_the_leg(leg, officer):
    record = service_record_create(
        leg=leg,
        outcome=Outcome.NOT_COMPLETED,
        reason_code=NotDeliveredReason.DOCUMENTS_MISSING,
        actor=officer,
    )
    assert (record.reason_code, record.reason, record.bsn_issued) == (
        "documents_missing",
        "",
        False,
    )
    leg.refresh_from_db()
    assert leg.state == LegState.NOT_DONE
    entry = AuditLogEntry.objects.get(action="service_record.create", object_id=str(record.pk))
    assert entry.data["reason_code"] == "documents_missing"


@pytest.mark.parametrize(
    ("outcome", "code", "reason", "error"),
    [
        (Outcome.NOT_COMPLETED, "", "", "reason_required"),
        (Outcome.NOT_COMPLETED, "other", "  ", "reason_required"),  # "other" needs the text
        (Outcome.NOT_COMPLETED, "lost_bus", "", "invalid_reason_code"),
        (Outcome.COMPLETED, "documents_missing", "", "invalid_reason_code"),
    ],
)
def test_reason_code_rules(leg, officer, outcome, code, reason, error):
    with pytest.raises(ValidationFailed) as exc:
        service_record_create(
            leg=leg, outcome=outcome, reason_code=code, reason=reason, actor=officer
        )
    assert exc.value.code == error
    assert not ServiceRecord.objects.exists()


def test_free_text_reason_alone_counts_as_other(leg, officer):
    record = service_record_create(
        leg=leg, outcome=Outcome.NOT_COMPLETED, reason="interpreter ill", actor=officer
    )
    assert (record.reason_code, record.reason) == ("other", "interpreter ill")


def test_completed_record_has_no_reason_code(leg, officer):
    record = service_record_create(leg=leg, outcome=Outcome.COMPLETED, actor=officer)
    assert record.reason_code == ""


def test_officer_console_offers_the_reasons_in_dutch_and_records_in_two_clicks(
    client, desk, officer, office_hours
):
    soon = timezone.localtime() + dt.timedelta(minutes=5)  # inside the check-in window
    appt = f.appointment(loc=desk, start=soon, codes=["welcome", "zvw"])
    kiosk_check_in(location=desk, token=ticket_token_make(appt))
    client.force_login(officer)
    counter = desk.counters.get(name="Balie 1")
    client.post(reverse("kiosk:officer-action", args=[counter.pk, "call-next"]))
    client.post(reverse("kiosk:officer-action", args=[counter.pk, "start"]))
    console = reverse("kiosk:officer-counter", args=[counter.pk])
    page = client.get(console, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    welcome = appt.legs.get(service__code="welcome")
    action = reverse("counter:leg-record", args=[welcome.pk])
    assert f'action="{action}"' in page
    assert "Documenten ontbreken" in page and "Cliënt afwezig" in page
    assert 'name="reason_code" value="documents_missing"' in page

    response = client.post(
        action, {"outcome": "not_completed", "reason_code": "client_absent", "next": console}
    )
    assert response.status_code == 302 and response["Location"] == console
    record = ServiceRecord.objects.get(leg=welcome)
    assert (record.outcome, record.reason_code, record.officer) == (
        "not_completed",
        "client_absent",
        officer,
    )
    welcome.refresh_from_db()
    assert welcome.state == LegState.NOT_DONE
    assert QueueTicket.objects.get().leg.service.code == "zvw"  # the number moved on


def test_other_reason_without_text_comes_back_with_the_error(client, leg, officer):
    client.force_login(officer)
    response = client.post(
        reverse("counter:leg-record", args=[leg.pk]),
        {"outcome": "not_completed", "reason_code": "other"},
    )
    assert response.status_code == 400
    assert not ServiceRecord.objects.exists()


def test_a_refused_record_takes_the_focus_to_the_field_to_fix(client, leg, officer):
    """The "Other reason" button with no text came back with the error far down the visit page
    (below the fold on a phone), tied to no field: the first field in error has the focus
    (autofocus scrolls it into view), is marked invalid and described by its message."""
    client.force_login(officer)
    page = client.post(
        reverse("counter:leg-record", args=[leg.pk]),
        {"outcome": "not_completed", "reason_code": "other", "reason": ""},
    ).content.decode()
    field = f"leg{leg.pk}-reason"
    tag = re.search(rf'<input[^>]*id="{field}"[^>]*>', page).group(0)
    assert "autofocus" in tag and 'aria-invalid="true"' in tag
    assert f'aria-describedby="{field}-error"' in tag
    assert re.search(rf'<span class="field-error" id="{field}-error"', page)
    assert page.count("autofocus") == 1
    assert (
        "autofocus"
        not in client.get(reverse("counter:visit", args=[leg.appointment_id])).content.decode()
    )


def test_visit_page_shows_the_reason(client, leg, officer):
    service_record_create(
        leg=leg,
        outcome=Outcome.NOT_COMPLETED,
        reason_code=NotDeliveredReason.DOCUMENTS_MISSING,
        reason="no passport",
        actor=officer,
    )
    client.force_login(officer)
    page = client.get(
        reverse("counter:visit", args=[leg.appointment_id]), HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert "Documenten ontbreken" in page and "no passport" in page


def test_api_records_and_returns_the_reason_code(client, leg, officer):
    client.force_login(officer)
    response = client.post(
        f"/api/v1/counter/legs/{leg.pk}/record/",
        {"outcome": "not_completed", "reason_code": "documents_missing"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["reason_code"] == "documents_missing"
