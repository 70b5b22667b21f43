"""The employer's dashboard and group page: counts that add up, cancelled groups apart,
cancelling a worker only after confirming with a reason, cards on a phone."""

import re

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from core.models import AuditLogEntry
from core.roles import Role
from scheduling.constants import AppointmentStatus
from scheduling.group_booking.services import (
    group_booking_cancel,
    group_booking_confirm,
    group_booking_create,
)
from scheduling.models import Appointment
from tests import factories as f
from tests.scheduling.group_helpers import english, workers  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def desk(reference):
    return f.location(counters={"Balie 1": ["brp", "rni"], "Balie 2": ["zvw"]})


@pytest.fixture
def employer(reference):
    return f.employer()


@pytest.fixture
def hr(employer):
    return f.user(Role.EMPLOYER, employer=employer)


@pytest.fixture
def web(hr):
    client = WebClient()
    client.force_login(hr)
    return client


def _group(employer, hr, desk, day, count=5, confirm=True):
    group = group_booking_create(
        employer=employer,
        actor=hr,
        workers=workers(count),
        location=desk,
        date_from=day,
        date_to=day,
    )
    if confirm:
        group_booking_confirm(group_booking=group, actor=hr)
    return group


def test_dashboard_counts_add_up_to_the_total(web, employer, hr, desk, next_monday):
    group = _group(employer, hr, desk, next_monday)
    visits = list(group.appointments.order_by("start", "pk"))
    for visit, status in zip(
        visits,
        [AppointmentStatus.CHECKED_IN, AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW],
        strict=False,
    ):
        Appointment.objects.filter(pk=visit.pk).update(status=status)
    Appointment.objects.filter(pk=visits[3].pk).update(status=AppointmentStatus.CANCELLED)
    response = web.get(reverse("scheduling:portal"))
    (row,) = response.context["groups"]
    counts = row.counts
    assert counts == {
        "booked": 1,
        "checked_in": 1,
        "done": 1,
        "no_show": 1,
        "cancelled": 1,
        "total": 5,
    }
    page = response.getvalue().decode()
    for label in ("Booked", "Checked in", "Done", "No-show", "Cancelled", "Total"):
        assert f"<th>{label}</th>" in page or f'<th class="num">{label}</th>' in page
    # Checking in moves a worker from "Booked" to "Checked in"; the total stays.
    Appointment.objects.filter(pk=visits[4].pk).update(status=AppointmentStatus.CHECKED_IN)
    (row,) = web.get(reverse("scheduling:portal")).context["groups"]
    assert row.counts["booked"] == 0 and row.counts["checked_in"] == 2
    assert row.counts["total"] == 5


def test_cancelled_groups_have_their_own_heading(web, employer, hr, desk, next_monday):
    live = _group(employer, hr, desk, next_monday, count=2)
    gone = _group(employer, hr, desk, next_monday, count=1)
    group_booking_cancel(group_booking=gone, actor=hr, reason="order withdrawn")
    response = web.get(reverse("scheduling:portal"))
    assert [g.reference for g in response.context["groups"]] == [live.reference]
    assert [g.reference for g in response.context["cancelled_groups"]] == [gone.reference]
    page = response.getvalue().decode()
    upcoming, cancelled = page.split('<h2 id="groups-cancelled">Cancelled</h2>')
    assert live.reference in upcoming and gone.reference not in upcoming
    assert gone.reference in cancelled


def test_cancelling_a_worker_asks_for_a_reason_first(web, employer, hr, desk, next_monday):
    group = _group(employer, hr, desk, next_monday, count=2)
    visit = group.appointments.order_by("pk").first()
    url = reverse("scheduling:portal-worker-cancel", args=[group.reference, visit.booking_code])
    detail = web.get(reverse("scheduling:portal-group", args=[group.reference])).getvalue()
    detail = detail.decode()
    # No one-click cancel: the group page links to the confirmation page.
    assert f'href="{url}"' in detail
    assert not re.search(rf'<form[^>]*action="{re.escape(url)}"', detail)
    page = web.get(url)
    assert page.status_code == 200
    body = page.getvalue().decode()
    assert visit.client.first_name in body and visit.booking_code in body
    assert re.search(r'<textarea name="reason"[^>]*required', body)
    refused = web.post(url, {"reason": "  "})
    assert refused.status_code == 200
    assert "This field is required." in refused.getvalue().decode()
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.BOOKED
    done = web.post(url, {"reason": "He left the company"})
    assert done.status_code == 302
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.CANCELLED
    entry = AuditLogEntry.objects.get(action="group_booking.worker_cancel")
    assert entry.reason == "He left the company"


def test_a_visit_that_started_cannot_be_cancelled_from_the_page(
    web, employer, hr, desk, next_monday
):
    group = _group(employer, hr, desk, next_monday, count=1)
    visit = group.appointments.get()
    Appointment.objects.filter(pk=visit.pk).update(status=AppointmentStatus.CHECKED_IN)
    url = reverse("scheduling:portal-worker-cancel", args=[group.reference, visit.booking_code])
    response = web.post(url, {"reason": "gone"}, follow=True)
    assert "cannot be cancelled" in response.getvalue().decode()
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.CHECKED_IN


def test_group_table_has_labels_for_cards_on_a_phone(web, employer, hr, desk, next_monday):
    group = _group(employer, hr, desk, next_monday, count=1)
    page = web.get(reverse("scheduling:portal-group", args=[group.reference])).getvalue()
    page = page.decode()
    assert '<table class="responsive"' in page
    assert 'data-label="Visit"' in page and "portal/portal.css" in page
    dashboard = web.get(reverse("scheduling:portal")).getvalue().decode()
    assert '<table class="responsive"' in dashboard and 'data-label="Total"' in dashboard


def test_add_a_worker_form_follows_the_language_and_the_municipalities(
    web, employer, hr, desk, next_monday
):
    """The "Add a worker" form is rendered once and reused: it still speaks the visitor's
    language and lists a renamed or new municipality at once."""
    from scheduling.models import Municipality

    group = _group(employer, hr, desk, next_monday, count=1)
    url = reverse("scheduling:portal-group", args=[group.reference])
    in_english = web.get(url, HTTP_ACCEPT_LANGUAGE="en").getvalue().decode()
    assert "Municipality of residence" in in_english and "Choose a municipality" in in_english
    dutch = web.get(url, HTTP_ACCEPT_LANGUAGE="nl").getvalue().decode()
    assert "Woongemeente" in dutch and "Municipality of residence" not in dutch
    muni = Municipality.objects.order_by("pk").first()
    muni.name = "Nieuwe Naam Gemeente"
    muni.save()
    Municipality.objects.create(cbs_code="GM9999", name="Testgemeente Nieuw", region=muni.region)
    again = web.get(url, HTTP_ACCEPT_LANGUAGE="en").getvalue().decode()
    assert f'<option value="{muni.cbs_code}">Nieuwe Naam Gemeente</option>' in again
    assert '<option value="GM9999">Testgemeente Nieuw</option>' in again
