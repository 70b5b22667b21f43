"""Fair share: one employer may book at most FAIR_SHARE_MAX_PERCENT of a desk's open
counter minutes in an ISO week; coordinators may override with a reason (audited)."""

import datetime as dt
import math

import pytest
from django.utils import timezone

from core.exceptions import Forbidden, ValidationFailed
from core.models import AuditLogEntry
from core.roles import Role
from scheduling.errors import SchedulingError
from scheduling.group_booking.services import group_booking_create, group_booking_worker_add
from scheduling.models import Leg
from scheduling.selectors.capacity import location_open_minutes
from tests import factories as f
from tests.scheduling.group_helpers import english, worker, workers  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def desk(reference):
    # 5 counters x 5 days x 8 hours = 12,000 open counter minutes a week.
    return f.location(
        counters={
            "Balie 1": ["brp", "rni"],
            "Balie 2": ["brp", "rni"],
            "Balie 3": ["zvw"],
            "Balie 4": ["zvw"],
            "Balie 5": ["ind", "twv"],
        }
    )


@pytest.fixture
def week():
    today = timezone.localdate()
    monday = today + dt.timedelta(days=7 - today.weekday())
    return monday, monday + dt.timedelta(days=4)


def _minutes(group) -> int:
    return sum(
        (leg.end - leg.start).total_seconds() // 60
        for leg in Leg.objects.filter(appointment__group_booking=group)
    )


def test_capacity_is_open_counter_minutes(desk, week):
    assert (
        location_open_minutes(location=desk, date_from=week[0], date_to=week[0] + dt.timedelta(6))
        == 12_000
    )


def test_exactly_at_the_limit_is_allowed_one_more_is_refused(desk, week, settings):
    coordinator = f.user(Role.COORDINATOR)
    settings.FAIR_SHARE_MAX_PERCENT = 100  # off while measuring one worker's minutes
    other = f.employer(name="Other B.V.")
    probe = group_booking_create(
        employer=other,
        actor=coordinator,
        workers=workers(1),
        location=desk,
        date_from=week[0],
        date_to=week[1],
    )
    per_worker = int(_minutes(probe))
    # The limit is 12,000 x p / 100 = 120 p minutes: k workers fill it exactly when
    # k x per_worker = 120 p.
    k = 120 // math.gcd(per_worker, 120)
    limit = k * per_worker // 120
    settings.FAIR_SHARE_MAX_PERCENT = limit
    firm = f.employer(name="Kas B.V.")
    hr = f.user(Role.EMPLOYER, employer=firm)
    group = group_booking_create(
        employer=firm,
        actor=hr,
        workers=workers(k),
        location=desk,
        date_from=week[0],
        date_to=week[1],
    )
    assert _minutes(group) == 120 * limit  # exactly at the limit: allowed
    with pytest.raises(ValidationFailed) as refused:
        group_booking_worker_add(group_booking=group, worker=worker(k + 1), actor=hr)
    assert refused.value.code == SchedulingError.FAIR_SHARE_EXCEEDED
    year, number, _ = week[0].isocalendar()
    message = refused.value.message
    assert f"at most {limit}%" in message and f"{year}-W{number:02d}" in message
    with pytest.raises(ValidationFailed):
        group_booking_create(
            employer=firm,
            actor=hr,
            workers=[worker(50)],
            location=desk,
            date_from=week[0],
            date_to=week[1],
        )
    # Another employer is not held back by this one's bookings.
    group_booking_create(
        employer=other,
        actor=coordinator,
        workers=workers(k - 1, first_name="Other"),
        location=desk,
        date_from=week[0],
        date_to=week[1],
    )
    # The employer may not override; a coordinator may, with a reason, and it is audited.
    with pytest.raises(Forbidden):
        group_booking_create(
            employer=firm,
            actor=hr,
            workers=[worker(50)],
            location=desk,
            date_from=week[0],
            date_to=week[1],
            fair_share_override_reason="harvest",
        )
    beyond = group_booking_create(
        employer=firm,
        actor=coordinator,
        workers=[worker(50)],
        location=desk,
        date_from=week[0],
        date_to=week[1],
        fair_share_override_reason="Harvest peak",
    )
    entry = AuditLogEntry.objects.get(action="group_booking.fair_share_override")
    assert entry.object_id == str(beyond.pk) and entry.reason == "Harvest peak"
    assert entry.data["week"] == f"{year}-W{number:02d}"


def test_coordinator_api_override(client, desk, week, settings):
    settings.FAIR_SHARE_MAX_PERCENT = 1  # 120 minutes a week
    firm = f.employer()
    client.force_login(f.user(Role.COORDINATOR))
    body = {
        "employer": firm.pk,
        "location": desk.pk,
        "date_from": week[0].isoformat(),
        "date_to": week[1].isoformat(),
        "workers": [
            {
                "first_name": f"W{n}",
                "last_name": "Nowak",
                "birth_date": f"1990-01-0{n}",
                "nationality": "PL",
                "expected_stay_months": "12",
                "municipality_of_residence": "Oosterhout",
                "language": "pl",
            }
            for n in range(1, 6)
        ],
    }
    url = "/api/v1/group-bookings/"
    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 400, refused.content
    assert refused.json()["code"] == "fair_share_exceeded"
    body["fair_share_override_reason"] = "Agreed with the municipality"
    assert client.post(url, body, content_type="application/json").status_code == 201
