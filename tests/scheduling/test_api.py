import datetime as dt

import pytest
from rest_framework.test import APIClient

from core.models import IdempotencyRecord
from core.roles import Role
from scheduling.constants import AppointmentStatus
from scheduling.models import Appointment, Client, Leg
from tests import factories
from tests.factories import aware

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(reference):
    return factories.location(slug="breda")


def api_for(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def coordinator(reference):
    return factories.user(Role.COORDINATOR)


def client_body(**over):
    body = dict(
        first_name="Ana",
        last_name="Pop",
        birth_date="1991-02-03",
        nationality="RO",
        language="ro",
        expected_stay_months=9,
        municipality_of_residence="GM0855",
    )
    body.update(over)
    return body


def test_availability_search(coordinator, desk, next_monday):
    res = api_for(coordinator).get(
        "/api/v1/availability/",
        {
            "services": "brp,zvw",
            "location": "breda",
            "date_from": next_monday,
            "date_to": next_monday,
        },
    )
    assert res.status_code == 200, res.data
    assert res.data[0]["location"]["slug"] == "breda"
    assert res.data[0]["starts"][0].startswith(f"{next_monday}T09:00:00")


@pytest.mark.parametrize(
    "params,code,status",
    [
        ({"services": "brp,nope"}, "unknown_service", 400),
        ({"services": "brp", "date_to": "2000-01-01"}, "range_invalid", 400),
        ({"services": "brp", "location": "nowhere"}, "location_not_found", 404),
        ({}, "invalid", 400),
    ],
)
def test_availability_errors(coordinator, desk, next_monday, params, code, status):
    query = {"date_from": next_monday, "date_to": next_monday, **params}
    if not params:
        query = {}
    res = api_for(coordinator).get("/api/v1/availability/", query)
    assert res.status_code == status
    assert res.data["code"] == code


def test_package_proposal(coordinator, reference):
    res = api_for(coordinator).get(
        "/api/v1/package/", {"nationality": "VN", "expected_stay_months": 2}
    )
    assert [s["code"] for s in res.data] == ["rni", "zvw", "ind", "twv"]


def test_book_with_new_client_and_proposed_package(coordinator, desk, next_monday):
    res = api_for(coordinator).post(
        "/api/v1/appointments/",
        {"client": client_body(), "location": "breda", "start": aware(next_monday, 10).isoformat()},
        format="json",
    )
    assert res.status_code == 201, res.data
    assert [leg["service"] for leg in res.data["legs"]] == ["brp", "zvw"]
    assert res.data["status"] == "booked"
    code = res.data["booking_code"]
    detail = api_for(coordinator).get(f"/api/v1/appointments/{code}/")
    assert detail.status_code == 200 and detail.data["booking_code"] == code


def test_book_errors_write_nothing(coordinator, desk, next_monday):
    api = api_for(coordinator)
    start = aware(next_monday, 10).isoformat()
    res = api.post(
        "/api/v1/appointments/",
        {"client": client_body(), "location": "breda", "start": start, "services": ["brp", "rni"]},
        format="json",
    )
    assert res.status_code == 400 and res.data["code"] == "brp_and_rni"
    assert not Client.objects.exists()  # the client created in the same request rolled back
    api.post(
        "/api/v1/appointments/",
        {"client": client_body(), "location": "breda", "start": start},
        format="json",
    )
    res = api.post(
        "/api/v1/appointments/",
        {"client": client_body(), "location": "breda", "start": start},
        format="json",
    )
    assert res.status_code == 409 and res.data["code"] == "slot_taken"
    assert Client.objects.count() == 1 and Appointment.objects.count() == 1
    res = api.post(
        "/api/v1/appointments/",
        {
            "client": client_body(),
            "location": "breda",
            "start": aware(next_monday - dt.timedelta(days=1), 10).isoformat(),
        },
        format="json",
    )
    assert res.status_code == 400 and res.data["code"] == "location_closed"


def test_book_is_idempotent(coordinator, desk, next_monday):
    api = api_for(coordinator)
    body = {
        "client": client_body(),
        "location": "breda",
        "start": aware(next_monday, 10).isoformat(),
    }
    first = api.post("/api/v1/appointments/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    again = api.post("/api/v1/appointments/", body, format="json", HTTP_IDEMPOTENCY_KEY="k1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert first.data["booking_code"] == again.data["booking_code"]
    assert Appointment.objects.count() == 1
    assert IdempotencyRecord.objects.count() == 1


def test_cancel_and_reschedule(coordinator, desk, next_monday):
    api = api_for(coordinator)
    appt = factories.appointment(loc=desk, start=aware(next_monday, 10))
    res = api.post(
        f"/api/v1/appointments/{appt.booking_code}/reschedule/",
        {"start": aware(next_monday, 11).isoformat()},
        format="json",
    )
    assert res.status_code == 200, res.data
    assert res.data["start"].startswith(f"{next_monday}T11:00:00")
    assert res.data["sequence"] == 1
    res = api.post(
        f"/api/v1/appointments/{appt.booking_code}/cancel/", {"reason": "ill"}, format="json"
    )
    assert res.status_code == 200 and res.data["status"] == AppointmentStatus.CANCELLED
    assert set(Leg.objects.values_list("state", flat=True)) == {"cancelled"}


def test_scoping_and_roles(reference, desk, next_monday):
    other_desk = factories.location(slug="tilburg")
    employer = factories.employer()
    mine = factories.appointment(
        loc=desk, start=aware(next_monday, 10), cl=factories.client(employer=employer)
    )
    theirs = factories.appointment(loc=other_desk, start=aware(next_monday, 10))
    receptionist = api_for(factories.user(Role.RECEPTIONIST, location=desk))
    assert receptionist.get(f"/api/v1/appointments/{mine.booking_code}/").status_code == 200
    assert receptionist.get(f"/api/v1/appointments/{theirs.booking_code}/").status_code == 404
    assert (
        receptionist.post(
            f"/api/v1/appointments/{theirs.booking_code}/cancel/", {}, format="json"
        ).status_code
        == 404
    )
    res = receptionist.post(
        "/api/v1/appointments/",
        {
            "client": client_body(),
            "location": "tilburg",
            "start": aware(next_monday, 12).isoformat(),
        },
        format="json",
    )
    assert res.status_code == 404 and res.data["code"] == "location_not_found"
    boss = api_for(factories.user(Role.EMPLOYER, employer=employer))
    assert boss.get(f"/api/v1/appointments/{mine.booking_code}/").status_code == 200
    assert boss.get(f"/api/v1/appointments/{theirs.booking_code}/").status_code == 404
    assert (
        boss.post(
            f"/api/v1/appointments/{mine.booking_code}/cancel/", {}, format="json"
        ).status_code
        == 403
    )
    assert (
        boss.get(
            "/api/v1/availability/",
            {"services": "brp", "date_from": next_monday, "date_to": next_monday},
        ).status_code
        == 403
    )
    assert APIClient().get(f"/api/v1/appointments/{mine.booking_code}/").status_code in (401, 403)


def test_client_id_resolves_only_clients_in_scope(reference, desk, next_monday):
    """Finding 3: staff at one desk booked any client by numeric id and read the name back."""
    other_desk = factories.location(slug="tilburg")
    stranger = factories.client(first_name="Secret", last_name="Person")
    factories.appointment(loc=other_desk, start=aware(next_monday, 10), cl=stranger)
    receptionist = api_for(factories.user(Role.RECEPTIONIST, location=desk))
    res = receptionist.post(
        "/api/v1/appointments/",
        {
            "client_id": stranger.pk,
            "location": desk.slug,
            "start": aware(next_monday, 12).isoformat(),
        },
        format="json",
    )
    assert res.status_code == 404 and res.data["code"] == "client_not_found"
    assert "Secret" not in res.content.decode()
    assert stranger.appointments.count() == 1
