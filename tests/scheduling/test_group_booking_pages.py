import io

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from openpyxl import load_workbook

from core.roles import Role
from scheduling.group_booking.services import group_booking_create
from scheduling.models import Appointment, GroupBooking
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


def _web(user):
    web = WebClient()
    web.force_login(user)
    return web


@pytest.fixture
def group(desk, employer, hr, next_monday):
    return group_booking_create(
        employer=employer,
        actor=hr,
        workers=workers(3),
        location=desk,
        date_from=next_monday,
        date_to=next_monday,
        po_reference="PO-9",
    )


def test_dashboard_and_detail_show_own_group(hr, group):
    web = _web(hr)
    page = web.get(reverse("scheduling:portal")).getvalue().decode()
    assert group.reference in page and "PO-9" in page
    assert "Group bookings" in page  # nav link
    detail = web.get(reverse("scheduling:portal-group", args=[group.reference])).getvalue().decode()
    assert "Worker1" in detail and "countdown" in detail
    code = group.appointments.first().booking_code
    assert code in detail


def test_other_employer_gets_404_on_every_page(group, reference):
    stranger = _web(f.user(Role.EMPLOYER, employer=f.employer()))
    code = group.appointments.first().booking_code
    ref = group.reference
    assert stranger.get(reverse("scheduling:portal-group", args=[ref])).status_code == 404
    assert stranger.get(reverse("scheduling:group-ics", args=[ref])).status_code == 404
    assert stranger.get(reverse("scheduling:appointment-ics", args=[code])).status_code == 404
    for name in ("portal-group-confirm", "portal-group-cancel"):
        assert stranger.post(reverse(f"scheduling:{name}", args=[ref])).status_code == 404
    assert (
        stranger.post(reverse("scheduling:portal-worker-cancel", args=[ref, code])).status_code
        == 404
    )
    assert ref not in stranger.get(reverse("scheduling:portal")).getvalue().decode()
    group.refresh_from_db()
    assert group.status == "held"


def test_confirm_and_cancel_worker_through_pages(hr, group):
    web = _web(hr)
    web.post(reverse("scheduling:portal-group-confirm", args=[group.reference]))
    group.refresh_from_db()
    assert group.status == "confirmed"
    code = group.appointments.first().booking_code
    web.post(
        reverse("scheduling:portal-worker-cancel", args=[group.reference, code]),
        {"reason": "left the company"},
    )
    assert Appointment.objects.get(booking_code=code).status == "cancelled"


def test_form_roster_books_a_held_plan(hr, desk, next_monday):
    web = _web(hr)
    data = {
        "target": "location",
        "location": desk.pk,
        "date_from": next_monday.isoformat(),
        "date_to": next_monday.isoformat(),
        "po_reference": "PO-2",
        "w-TOTAL_FORMS": "2",
        "w-INITIAL_FORMS": "0",
        "w-MIN_NUM_FORMS": "0",
        "w-MAX_NUM_FORMS": "20",
        "w-0-first_name": "Ana",
        "w-0-last_name": "Pop",
        "w-0-birth_date": "1995-03-03",
        "w-0-nationality": "RO",
        "w-0-expected_stay_months": "6",
        "w-0-municipality_of_residence": "Tilburg",
        "w-0-language": "ro",
    }
    response = web.post(reverse("scheduling:portal-group-new"), data)
    assert response.status_code == 302
    group = GroupBooking.objects.get()
    assert group.po_reference == "PO-2" and group.appointments.count() == 1


def test_uploaded_roster_with_errors_shows_rows_and_writes_nothing(hr, desk, next_monday):
    web = _web(hr)
    content = (
        b"first_name,last_name,birth_date,nationality,expected_stay_months,municipality_of_residence,shoe_size\n"
        b"Ana,Pop,1995-03-03,RO,6,Tilburg,42\n"
    )
    upload = io.BytesIO(content)
    upload.name = "roster.csv"
    response = web.post(
        reverse("scheduling:portal-group-new"),
        {
            "target": "location",
            "location": desk.pk,
            "date_from": next_monday.isoformat(),
            "date_to": next_monday.isoformat(),
            "w-TOTAL_FORMS": "0",
            "w-INITIAL_FORMS": "0",
            "w-MIN_NUM_FORMS": "0",
            "w-MAX_NUM_FORMS": "20",
            "roster": upload,
        },
    )
    assert response.status_code == 200
    assert "Unknown column shoe_size" in response.getvalue().decode()
    assert GroupBooking.objects.count() == 0


def test_roster_templates_download_and_parse_back(hr):
    web = _web(hr)
    csv_body = (
        web.get(reverse("scheduling:roster-template", args=["csv"])).getvalue().decode("utf-8-sig")
    )
    assert csv_body.splitlines()[0].startswith("first_name,last_name,birth_date")
    xlsx = web.get(reverse("scheduling:roster-template", args=["xlsx"])).getvalue()
    sheet = load_workbook(io.BytesIO(xlsx)).active
    assert sheet["A1"].value == "first_name" and sheet["A2"].value == "Piotr"
    assert web.get(reverse("scheduling:roster-template", args=["pdf"])).status_code == 404


def test_officer_cannot_use_the_portal(desk):
    officer = _web(f.user(Role.OFFICER, location=desk))
    assert officer.get(reverse("scheduling:portal")).status_code == 404
    assert officer.get(reverse("scheduling:portal-group-new")).status_code == 404


def test_feed_is_reachable_by_token_and_revocable(hr, group, employer):
    web = _web(hr)
    web.post(reverse("scheduling:portal-group-confirm", args=[group.reference]))
    token = employer.calendar_feed_token
    anonymous = WebClient()
    feed = anonymous.get(reverse("scheduling:employer-feed", args=[token]))
    assert feed.status_code == 200
    body = feed.getvalue().decode()
    assert body.count("BEGIN:VEVENT") == 3
    assert "Worker1" not in body and "Nowak" not in body  # no names in the feed
    web.post(reverse("scheduling:feed-regenerate"))
    employer.refresh_from_db()
    assert employer.calendar_feed_token != token
    assert anonymous.get(reverse("scheduling:employer-feed", args=[token])).status_code == 404
    assert (
        anonymous.get(
            reverse("scheduling:employer-feed", args=[employer.calendar_feed_token])
        ).status_code
        == 200
    )


def test_portal_in_dutch(hr, group):
    from django.utils import translation

    web = _web(hr)
    web.cookies["django_language"] = "nl"
    try:
        page = web.get(reverse("scheduling:portal"), HTTP_ACCEPT_LANGUAGE="nl").getvalue().decode()
    finally:
        translation.activate("en")  # the locale middleware leaves nl active in this thread
    assert "Groepsboekingen" in page and "Een groep boeken" in page


def test_employer_sees_only_his_own_workers(group, hr, reference):
    from scheduling.selectors.scope import clients_for_user

    other_hr = f.user(Role.EMPLOYER, employer=f.employer())
    assert set(clients_for_user(hr)) == {a.client for a in group.appointments.all()}
    assert list(clients_for_user(other_hr)) == []


def test_new_page_and_downloads_render(hr, group, employer, next_monday):
    web = _web(hr)
    bus = f.location(kind="bus", counters={"Bus 1": ["brp", "zvw"]})
    f.bus_visit(bus=bus, date=next_monday, employer=employer)
    f.bus_visit(bus=bus, date=next_monday, employer=f.employer(name="Other Site B.V."))
    page = web.get(reverse("scheduling:portal-group-new")).getvalue().decode()
    assert "Distribution centre" in page  # own bus visit offered
    assert page.count("Distribution centre") == 1  # not the other employer's
    assert 'name="roster"' in page and "w-TOTAL_FORMS" in page
    code = group.appointments.first().booking_code
    ics = web.get(reverse("scheduling:appointment-ics", args=[code]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VCALENDAR" in ics.getvalue()
    group_ics = web.get(reverse("scheduling:group-ics", args=[group.reference]))
    assert group_ics.getvalue().count(b"BEGIN:VEVENT") == 3


def test_typed_worker_with_incomplete_email_is_shown_and_nothing_booked(hr, desk, next_monday):
    web = _web(hr)
    data = {
        "target": "location",
        "location": desk.pk,
        "date_from": next_monday.isoformat(),
        "date_to": next_monday.isoformat(),
        "w-TOTAL_FORMS": "2",
        "w-INITIAL_FORMS": "0",
        "w-MIN_NUM_FORMS": "0",
        "w-MAX_NUM_FORMS": "20",
        "w-0-first_name": "Jan",
        "w-0-last_name": "Nowak",
        "w-0-birth_date": "1990-01-01",
        "w-0-nationality": "PL",
        "w-0-expected_stay_months": "6",
        "w-0-municipality_of_residence": "Tilburg",
        "w-0-email": "jan@",
    }
    response = web.post(reverse("scheduling:portal-group-new"), data)
    assert response.status_code == 200
    assert [(e["row"], e["field"], e["code"]) for e in response.context["roster_errors"]] == [
        (1, "email", "invalid_email")
    ]
    assert "Enter a valid e-mail address." in response.getvalue().decode()
    assert GroupBooking.objects.count() == 0


def test_adding_a_worker_with_incomplete_email_is_refused(hr, group):
    web = _web(hr)
    response = web.post(
        reverse("scheduling:portal-worker-add", args=[group.reference]),
        {
            "add-first_name": "Jan",
            "add-last_name": "Nowak",
            "add-birth_date": "1990-01-01",
            "add-nationality": "PL",
            "add-expected_stay_months": "6",
            "add-municipality_of_residence": "Tilburg",
            "add-email": "jan@",
        },
        follow=True,
    )
    assert "email: Enter a valid e-mail address." in response.getvalue().decode()
    assert group.appointments.count() == 3
