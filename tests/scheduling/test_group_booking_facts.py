"""The package-relevant facts of a worker (interpreter, temporary protection, Dutch social
security, self-employed) reach the package rule from every entry point: the roster file, the
API's JSON and the portal form."""

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from rest_framework.test import APIClient

from core.roles import Role
from scheduling.group_booking.roster import COLUMNS, roster_parse_csv, roster_template_csv
from scheduling.group_booking.services import group_booking_create
from scheduling.models import Client, GroupBooking
from tests import factories as f
from tests.scheduling.group_helpers import english  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HEADER = (
    "first_name,last_name,birth_date,nationality,expected_stay_months,"
    "municipality_of_residence,interpreter_needed,temporary_protection,"
    "works_under_dutch_social_security,self_employed"
)


@pytest.fixture
def desk(reference):
    return f.location(
        counters={"Balie 1": ["brp", "rni"], "Balie 2": ["zvw"], "Balie 3": ["ind", "twv"]}
    )


@pytest.fixture
def employer(reference):
    return f.employer()


@pytest.fixture
def hr(employer):
    return f.user(Role.EMPLOYER, employer=employer)


def _legs(group) -> dict[str, list[str]]:
    return {
        a.client.first_name: [leg.service.code for leg in a.legs.order_by("position")]
        for a in group.appointments.all()
    }


def test_self_employed_is_a_roster_column_and_in_the_template():
    assert "self_employed" in COLUMNS
    assert "self_employed" in roster_template_csv().decode("utf-8-sig").splitlines()[0]


def test_csv_facts_decide_the_package(desk, employer, hr, next_monday):
    content = "\n".join(
        [
            HEADER,
            "Olena,Shevchenko,1990-01-01,UA,12,Breda,yes,yes,yes,no",  # temporary protection
            "Omar,Haddad,1990-01-02,MA,12,Breda,no,no,yes,yes",  # self-employed
            "Karim,Alaoui,1990-01-03,MA,12,Breda,no,no,yes,no",  # employed non-EU
            "Piotr,Kowalski,1990-01-04,PL,12,Breda,no,no,no,no",  # posted (A1)
        ]
    )
    workers = roster_parse_csv(content.encode())
    group = group_booking_create(
        employer=employer,
        actor=hr,
        workers=workers,
        location=desk,
        date_from=next_monday,
        date_to=next_monday,
    )
    legs = _legs(group)
    assert legs["Olena"] == ["brp", "zvw", "ind"]  # no work-permit referral
    assert legs["Omar"] == ["brp", "zvw", "ind"]  # no work-permit referral
    assert legs["Karim"] == ["brp", "zvw", "ind", "twv"]
    assert legs["Piotr"] == ["brp"]  # keeps his home insurance
    olena = Client.objects.get(first_name="Olena")
    assert olena.interpreter_needed and olena.temporary_protection
    assert Client.objects.get(first_name="Omar").self_employed


def test_api_worker_self_employed_and_protection(desk, employer, next_monday):
    api = APIClient()
    api.force_authenticate(f.user(Role.EMPLOYER, employer=employer))
    base = {
        "last_name": "Test",
        "nationality": "UA",
        "expected_stay_months": "12",
        "municipality_of_residence": "Breda",
    }
    body = {
        "location": desk.pk,
        "date_from": next_monday.isoformat(),
        "date_to": next_monday.isoformat(),
        "workers": [
            {
                **base,
                "first_name": "Olena",
                "birth_date": "1990-01-01",
                "temporary_protection": True,
            },
            {
                **base,
                "first_name": "Omar",
                "birth_date": "1990-01-02",
                "nationality": "MA",
                "self_employed": True,
                "interpreter_needed": True,
            },
        ],
    }
    response = api.post("/api/v1/group-bookings/", body, format="json")
    assert response.status_code == 201, response.json()
    legs = _legs(GroupBooking.objects.get())
    assert legs == {"Olena": ["brp", "zvw", "ind"], "Omar": ["brp", "zvw", "ind"]}
    assert Client.objects.get(first_name="Omar").interpreter_needed


def _management(total: int) -> dict:
    return {
        "w-TOTAL_FORMS": str(total),
        "w-INITIAL_FORMS": "0",
        "w-MIN_NUM_FORMS": "0",
        "w-MAX_NUM_FORMS": "200",
    }


def test_portal_form_has_the_facts_as_checkboxes_and_they_reach_the_package(hr, desk, next_monday):
    web = WebClient()
    web.force_login(hr)
    page = web.get(reverse("scheduling:portal-group-new")).getvalue().decode()
    for name in (
        "interpreter_needed",
        "temporary_protection",
        "works_under_dutch_social_security",
        "self_employed",
    ):
        assert f'name="w-0-{name}"' in page and 'type="checkbox"' in page
    worker = {
        "last_name": "Test",
        "nationality": "UA",
        "expected_stay_months": "12",
        "municipality_of_residence": "GM0758",
        "language": "uk",
        "works_under_dutch_social_security": "on",
    }
    data = {
        "target": "location",
        "location": desk.pk,
        "date_from": next_monday.isoformat(),
        "date_to": next_monday.isoformat(),
        **_management(3),
    }
    rows = [
        {"first_name": "Olena", "birth_date": "1990-01-01", "temporary_protection": "on"},
        {"first_name": "Omar", "birth_date": "1990-01-02", "nationality": "MA"},
        {"first_name": "Sara", "birth_date": "1990-01-03", "nationality": "MA"},
    ]
    rows[1].update(self_employed="on", interpreter_needed="on")
    rows[2].pop("nationality")
    rows[2]["nationality"] = "PL"
    del worker["works_under_dutch_social_security"]  # Sara: unticked = posted worker
    for i, row in enumerate(rows):
        values = {**worker, **row}
        if i < 2:
            values["works_under_dutch_social_security"] = "on"
        data.update({f"w-{i}-{k}": v for k, v in values.items()})
    response = web.post(reverse("scheduling:portal-group-new"), data)
    assert response.status_code == 302, response.context["roster_errors"]
    legs = _legs(GroupBooking.objects.get())
    assert legs == {"Olena": ["brp", "zvw", "ind"], "Omar": ["brp", "zvw", "ind"], "Sara": ["brp"]}
    omar = Client.objects.get(first_name="Omar")
    assert omar.self_employed and omar.interpreter_needed
    assert Client.objects.get(first_name="Olena").language == "uk"
