import pytest

from core.roles import Role
from scheduling.models import Appointment, Client
from tests import factories
from tests.factories import aware

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(reference):
    return factories.location(slug="breda")


def login(client, role, **tie):
    user = factories.user(role, **tie)
    client.force_login(user)
    return user


def facts(desk, day, **over):
    data = {
        "first_name": "Ana",
        "last_name": "Pop",
        "birth_date": "1991-02-03",
        "nationality": "ro",
        "language": "ro",
        "expected_stay_months": "9",
        "works_under_dutch_social_security": "on",
        "municipality_of_residence": str(factories.municipality("GM0855").pk),
        "location": str(desk.pk),
        "date_from": day.isoformat(),
    }
    data.update(over)
    return data


def test_planner_shows_legs_per_counter(client, desk, next_monday):
    appt = factories.appointment(loc=desk, start=aware(next_monday, 10))
    login(client, Role.RECEPTIONIST, location=desk)
    res = client.get("/scheduling/planner/", {"date": next_monday.isoformat()})
    assert res.status_code == 200
    html = res.content.decode()
    assert appt.booking_code in html
    assert "Balie 1" in html and "Balie 2" in html
    assert 'data-css="top: 120px' in html  # 10:00 is one hour (120 px) below 9:00 (bmip.js)


def test_planner_scope_and_roles(client, desk, next_monday):
    other = factories.location(slug="tilburg")
    login(client, Role.RECEPTIONIST, location=desk)
    assert client.get("/scheduling/planner/", {"location": other.slug}).status_code == 404
    client.logout()
    login(client, Role.EMPLOYER, employer=factories.employer())
    assert client.get("/scheduling/planner/").status_code == 403
    client.logout()
    assert client.get("/scheduling/planner/").status_code == 302  # to the login page


def test_booking_form_proposes_package_offers_times_and_books(client, desk, next_monday):
    login(client, Role.COORDINATOR)
    res = client.post("/scheduling/book/", {**facts(desk, next_monday), "action": "propose"})
    html = res.content.decode()
    assert res.status_code == 200
    assert 'value="brp"' not in html  # checkboxes carry pks; check the chosen names instead
    assert "BRP registration" in html and "Health insurance intake" in html
    assert aware(next_monday, 9).isoformat() in html
    services = [str(factories.service(c).pk) for c in ("brp", "zvw")]
    res = client.post(
        "/scheduling/book/",
        {
            **facts(desk, next_monday),
            "services": services,
            "start": aware(next_monday, 9).isoformat(),
        },
    )
    assert res.status_code == 302
    appt = Appointment.objects.get()
    assert appt.start == aware(next_monday, 9)
    assert appt.client.nationality == "RO"
    # Lands on the visit page with "Print ticket" (A4 / receipt).
    assert res["Location"] == f"/scheduling/appointments/{appt.booking_code}/"
    page = client.get(res["Location"]).content.decode()
    assert appt.booking_code in page
    assert f"/scheduling/appointments/{appt.booking_code}/ticket.pdf?format=receipt" in page
    # The planner's block links to the visit.
    planner = client.get("/scheduling/planner/", {"date": next_monday.isoformat()})
    assert f'href="/scheduling/appointments/{appt.booking_code}/"' in planner.content.decode()


def test_booking_form_refuses_impossible_package_with_a_clear_message(client, desk, next_monday):
    login(client, Role.COORDINATOR)
    services = [str(factories.service(c).pk) for c in ("brp", "rni")]
    res = client.post(
        "/scheduling/book/",
        {**facts(desk, next_monday), "services": services, "action": "search"},
        HTTP_ACCEPT_LANGUAGE="nl",
    )
    assert res.status_code == 200
    assert "nooit allebei" in res.content.decode()  # the Dutch message (nl requested)
    assert not Client.objects.exists()
    # a taken time: nothing written, clear message
    factories.appointment(loc=desk, start=aware(next_monday, 9), codes=["brp"])
    services = [str(factories.service("brp").pk)]
    res = client.post(
        "/scheduling/book/",
        {
            **facts(desk, next_monday),
            "services": services,
            "start": aware(next_monday, 9).isoformat(),
        },
    )
    assert res.status_code == 200
    assert "taken a moment ago" in res.content.decode()
    assert Appointment.objects.count() == 1 and not Client.objects.filter(last_name="Pop")


def test_nav_links_for_staff(client, desk):
    login(client, Role.RECEPTIONIST, location=desk)
    html = client.get("/").content.decode()
    assert "/scheduling/planner/" in html and "/scheduling/book/" in html
