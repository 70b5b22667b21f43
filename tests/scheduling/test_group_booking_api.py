import pytest
from rest_framework.test import APIClient

from core.models import AuditLogEntry
from core.roles import Role
from scheduling.models import Appointment, Client, GroupBooking
from tests import factories as f
from tests.scheduling.group_helpers import english  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = "/api/v1/group-bookings/"


@pytest.fixture
def desk(reference):
    return f.location(
        counters={"Balie 1": ["brp", "rni"], "Balie 2": ["zvw"], "Balie 3": ["ind", "twv"]}
    )


@pytest.fixture
def employer(reference):
    return f.employer()


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.fixture
def api(employer):
    return _api(f.user(Role.EMPLOYER, employer=employer))


def _worker(n, **overrides):
    row = {
        "first_name": f"Jan{n}",
        "last_name": "Nowak",
        "birth_date": f"1991-01-{n:02d}",
        "nationality": "PL",
        "expected_stay_months": "12",
        "municipality_of_residence": "Oosterhout",
        "language": "pl",
    }
    row.update(overrides)
    return row


def _body(desk, day, count=3, **overrides):
    body = {
        "location": desk.pk,
        "date_from": day.isoformat(),
        "date_to": day.isoformat(),
        "po_reference": "PO-1",
        "workers": [_worker(n) for n in range(1, count + 1)],
    }
    body.update(overrides)
    return body


def test_create_holds_a_plan_and_confirm_books_it(api, desk, next_monday):
    response = api.post(URL, _body(desk, next_monday), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "held"
    assert data["hold_expires_at"]
    assert len(data["workers"]) == 3
    assert data["workers"][0]["legs"][0]["service"] == "brp"
    ref = data["reference"]
    response = api.post(f"{URL}{ref}/confirm/")
    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"
    assert {w["status"] for w in response.json()["workers"]} == {"booked"}
    assert api.get(f"{URL}{ref}/").json()["status"] == "confirmed"


def test_idempotency_key_replays_and_books_once(api, desk, next_monday):
    body = _body(desk, next_monday)
    first = api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = api.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert second["Idempotent-Replayed"] == "true"
    assert first.json()["reference"] == second.json()["reference"]
    assert GroupBooking.objects.count() == 1
    assert Appointment.objects.count() == 3
    assert Client.objects.count() == 3
    other = api.post(
        URL, _body(desk, next_monday, count=2), format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused"


def test_roster_errors_per_row_and_field_nothing_written(api, desk, next_monday):
    workers = [
        _worker(1),
        _worker(2, birth_date="2999-01-01"),
        _worker(3, municipality_of_residence="Atlantis"),
        _worker(1),
    ]
    response = api.post(URL, _body(desk, next_monday, workers=workers), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "roster_invalid"
    errors = {(e["row"], e["field"], e["code"]) for e in body["errors"]["rows"]}
    assert errors == {
        (2, "birth_date", "future_date"),
        (3, "municipality_of_residence", "unknown_municipality"),
        (4, "first_name", "duplicate_worker"),
    }
    assert Client.objects.count() == 0 and GroupBooking.objects.count() == 0


def test_no_room_names_worker_leg_and_rule(api, desk, next_monday):
    # One registration counter, 8 hours, 20-minute legs on a 15-minute grid: starts every
    # 30 minutes, and the 16:30 start cannot finish its insurance leg by 17:00: 15 fit.
    workers = [_worker(n) for n in range(1, 25)]
    response = api.post(URL, _body(desk, next_monday, workers=workers), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "no_room"
    assert body["errors"]["leg"] == 1 and body["errors"]["rule"] == "capacity"
    assert body["errors"]["worker"] == 16
    assert Appointment.objects.count() == 0


def test_other_employers_group_is_404_everywhere(api, desk, next_monday, reference):
    stranger = _api(f.user(Role.EMPLOYER, employer=f.employer()))
    ref = api.post(URL, _body(desk, next_monday), format="json").json()["reference"]
    code = GroupBooking.objects.get().appointments.first().booking_code
    assert stranger.get(f"{URL}{ref}/").status_code == 404
    assert stranger.post(f"{URL}{ref}/confirm/").status_code == 404
    assert stranger.post(f"{URL}{ref}/cancel/").status_code == 404
    assert stranger.post(f"{URL}{ref}/workers/", _worker(9), format="json").status_code == 404
    assert stranger.post(f"{URL}{ref}/workers/{code}/cancel/").status_code == 404
    assert (
        stranger.post(f"{URL}{ref}/workers/{code}/replace/", _worker(9), format="json").status_code
        == 404
    )
    assert stranger.get(URL).json()["results"] == []
    assert GroupBooking.objects.get().status == "held"


@pytest.mark.parametrize("role", [Role.RECEPTIONIST, Role.OFFICER])
def test_desk_staff_cannot_change_an_employers_group(api, desk, next_monday, role):
    """Finding 2: receptionists and officers at the group's desk could cancel the group, cancel
    workers and add workers (billed to the employer). The API now answers 403 to them."""
    ref = api.post(URL, _body(desk, next_monday, confirm=True), format="json").json()["reference"]
    group = GroupBooking.objects.get(reference=ref)
    code = group.appointments.first().booking_code
    staff = _api(f.user(role, location=desk))
    attacks = [
        staff.get(URL),
        staff.get(f"{URL}{ref}/"),
        staff.post(f"{URL}{ref}/cancel/", {"reason": "x"}, format="json"),
        staff.post(f"{URL}{ref}/workers/", _worker(9), format="json"),
        staff.post(f"{URL}{ref}/workers/{code}/cancel/", {"reason": "x"}, format="json"),
        staff.post(f"{URL}{ref}/workers/{code}/replace/", _worker(9), format="json"),
    ]
    assert [r.status_code for r in attacks] == [403] * len(attacks)
    group.refresh_from_db()
    assert group.status == "confirmed"
    assert group.appointments.filter(status="booked").count() == 3


def test_cancel_add_replace_through_api(api, desk, next_monday):
    ref = api.post(URL, _body(desk, next_monday, confirm=True), format="json").json()["reference"]
    group = GroupBooking.objects.get(reference=ref)
    codes = list(group.appointments.order_by("start").values_list("booking_code", flat=True))
    r = api.post(f"{URL}{ref}/workers/{codes[0]}/cancel/", {"reason": "left"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    r = api.post(f"{URL}{ref}/workers/{codes[1]}/replace/", _worker(20), format="json")
    assert r.status_code == 201 and r.json()["first_name"] == "Jan20"
    r = api.post(f"{URL}{ref}/workers/", _worker(21), format="json", HTTP_IDEMPOTENCY_KEY="a")
    r2 = api.post(f"{URL}{ref}/workers/", _worker(21), format="json", HTTP_IDEMPOTENCY_KEY="a")
    assert r.status_code == r2.status_code == 201
    assert group.appointments.filter(status="booked").count() == 3
    r = api.post(f"{URL}{ref}/cancel/", {"reason": "stop"}, format="json")
    assert r.json()["status"] == "cancelled"
    assert AuditLogEntry.objects.filter(action__startswith="group_booking.").count() == 5


def test_csv_upload_through_api(api, desk, next_monday):
    content = (
        b"first_name,last_name,birth_date,nationality,expected_stay_months,municipality_of_residence\n"
        b"Anna,Kis,1993-04-04,HU,6,GM0826\n"
        b"Ion,Popescu,1988-09-09,RO,12,Breda\n"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("roster.csv", content, content_type="text/csv")
    response = api.post(
        f"{URL}upload/",
        {"file": upload, "location": desk.pk, "date_from": next_monday, "date_to": next_monday},
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    assert {w["last_name"] for w in response.json()["workers"]} == {"Kis", "Popescu"}


def test_unauthenticated_and_staff_without_employer(desk, next_monday, reference):
    assert APIClient().get(URL).status_code in (401, 403)
    officer = _api(f.user(Role.OFFICER, location=desk))
    assert officer.post(URL, _body(desk, next_monday), format="json").status_code == 403


def test_json_worker_errors_match_the_file_rows(api, desk, next_monday):
    """The API checks a worker with the roster's row form: an incomplete e-mail or a name over
    100 characters (even one the schema's 200 would let through) is a row error."""
    workers = [_worker(1, email="jan@"), _worker(2, last_name="N" * 250), _worker(3)]
    response = api.post(URL, _body(desk, next_monday, workers=workers), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "roster_invalid"
    assert {(e["row"], e["field"], e["code"]) for e in body["errors"]["rows"]} == {
        (1, "email", "invalid_email"),
        (2, "last_name", "too_long"),
    }
    group = api.post(URL, _body(desk, next_monday), format="json").json()["reference"]
    added = api.post(f"{URL}{group}/workers/", _worker(9, email="jan@"), format="json")
    assert added.status_code == 400
    assert added.json()["errors"]["rows"][0]["code"] == "invalid_email"
    assert Client.objects.count() == 3


def test_group_booking_list_comes_a_page_at_a_time(api, employer, desk, next_monday):
    """Issue 19: the list was a bare list of up to 200 groups; now a page of 50 (limit/offset
    like every API list), newest first, whatever the employer's history."""
    GroupBooking.objects.bulk_create(
        GroupBooking(employer=employer, location=desk, date_from=next_monday, date_to=next_monday)
        for _ in range(51)
    )
    first = api.get(URL).json()
    assert first["count"] == 51 and len(first["results"]) == 50 and first["next"]
    newest = GroupBooking.objects.order_by("-created_at", "-pk").first()
    assert first["results"][0]["reference"] == newest.reference
    rest = api.get(URL, {"offset": 50}).json()
    assert len(rest["results"]) == 1 and rest["next"] is None
    assert api.get(URL, {"limit": 501}).status_code == 400
