"""Finding 9: absurd dates in pages and API parameters gave server errors (500). Every date
parameter now answers 400 (the API with a code; the planner page with a message)."""

import pytest
from rest_framework.test import APIClient

from core.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

ABSURD = ["9999-12-31", "0001-01-01", "2026-02-30", "tomorrow"]


@pytest.mark.parametrize("value", ABSURD)
def test_planner_answers_400_with_a_message(client, reference, value):
    desk = factories.location()
    client.force_login(factories.user(Role.COORDINATOR))
    response = client.get("/scheduling/planner/", {"location": desk.slug, "date": value})
    assert response.status_code == 400
    assert b'class="messages"' in response.content


@pytest.mark.parametrize(
    "date_from,date_to",
    [("9999-12-30", "9999-12-31"), ("0001-01-01", "0001-01-02"), ("2026-02-30", "2026-03-01")],
)
def test_availability_answers_400_with_a_code(reference, date_from, date_to):
    factories.location()
    api = APIClient()
    api.force_authenticate(factories.user(Role.COORDINATOR))
    response = api.get(
        "/api/v1/availability/", {"services": "brp", "date_from": date_from, "date_to": date_to}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid" and "date_from" in response.json()["errors"]


def test_date_param_helper():
    from core.dates import date_param
    from core.exceptions import ValidationFailed

    assert str(date_param("2026-03-01")) == "2026-03-01"
    assert date_param("", default=None) is None
    for value in ABSURD:
        with pytest.raises(ValidationFailed) as exc:
            date_param(value)
        assert exc.value.code == "date_invalid"
