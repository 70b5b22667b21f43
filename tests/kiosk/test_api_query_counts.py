"""The load test's hot queue calls read what they need once: the kiosk check-in and the
counter's call-next and start answer with the ticket's location and counter without reading
them again (tickets carry the rows the view loaded), and an officer's location comes with
the profile. Upper bounds: a new query on these paths should be a decision, not an accident."""

import datetime as dt
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from core.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db
# Measured per database (PostgreSQL adds SET LOCAL lock_timeout around the number sequence).
COUNTS = {"sqlite": (31, 19, 21), "postgresql": (32, 19, 21)}
CHECK_IN, CALL_NEXT, START = COUNTS[connection.vendor]
# Measured on both, as COUNTS; 2 of them are the SAVEPOINT and RELEASE around the insert that
# draws a taken booking code again (scheduling/services/codes.py).
WALK_IN = {"sqlite": 38, "postgresql": 39}


@pytest.fixture
def soon(office_hours):
    return timezone.localtime() + dt.timedelta(minutes=5)


def test_check_in_call_next_and_start_query_counts(
    client, desk, soon, django_assert_max_num_queries
):
    secret = factories.kiosk_device(desk)
    appt = factories.appointment(loc=desk, start=soon, codes=["brp"])
    officer = factories.user(Role.OFFICER, location=desk)
    counter = desk.counters.get(name="Balie 1")
    with django_assert_max_num_queries(CHECK_IN):
        checked = client.post(
            "/api/v1/kiosk/check-in",
            {"location": desk.slug, "booking_code": appt.booking_code},
            content_type="application/json",
            HTTP_X_KIOSK_DEVICE=secret,
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )
    assert checked.status_code == 201
    assert checked.json()["ticket"]["location"] == desk.slug
    client.force_login(officer)
    url = f"/api/v1/counters/{counter.pk}/"
    with django_assert_max_num_queries(CALL_NEXT):
        called = client.post(url + "call-next")
    assert called.status_code == 200
    assert called.json()["counter"] == counter.name
    assert called.json()["location"] == desk.slug
    with django_assert_max_num_queries(START):
        started = client.post(url + "start")
    assert started.json()["state"] == "serving" and started.json()["counter"] == counter.name


def _location_reads(queries) -> int:
    return sum('FROM "scheduling_location"' in q["sql"] for q in queries)


def test_walk_in_answer_does_not_read_the_location_again(
    client, desk, office_hours, django_assert_max_num_queries
):
    client.force_login(factories.user(Role.RECEPTIONIST, location=desk))
    with django_assert_max_num_queries(WALK_IN[connection.vendor]) as ctx:
        response = client.post(
            "/api/v1/kiosk/walk-in",
            {"location": desk.slug, "services": ["brp"], "language": "en"},
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    assert response.json()["location"] == desk.slug
    # The location by its slug and once more in the walk-in rules; not a third time for the
    # answer.
    assert _location_reads(ctx.captured_queries) == 2
