"""Fair share per location: ``Location.fair_share_max_percent`` overrides the
FAIR_SHARE_MAX_PERCENT default, enforced by the same rule (fair_share_check) at the
boundary to the minute; the coordinator's override on the staff-side group page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.exceptions import ValidationFailed
from core.models import AuditLogEntry
from core.roles import Role
from scheduling.errors import SchedulingError
from scheduling.group_booking.fair_share import fair_share_check
from scheduling.group_booking.services import group_booking_create
from scheduling.models import Appointment
from scheduling.selectors.availability import PlannedChain, PlannedLeg
from scheduling.selectors.capacity import location_open_minutes
from tests import factories as f
from tests.scheduling.group_helpers import english, worker, workers  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(reference):
    # One counter, Monday to Friday 9-17: 2,400 open counter minutes a week.
    return f.location(name="Balie Breda", counters={"Balie 1": ["brp", "rni", "zvw"]})


@pytest.fixture
def monday():
    today = timezone.localdate()
    return today + dt.timedelta(days=7 - today.weekday())


def chain(desk, monday, minutes: int) -> PlannedChain:
    start = f.aware(monday, 9)
    leg = PlannedLeg(
        service=f.service("brp"),
        counter_id=desk.counters.get().pk,
        start=start,
        end=start + dt.timedelta(minutes=minutes),
    )
    return PlannedChain(client_key=1, location=desk, bus_visit=None, legs=[leg])


def check(desk, monday, minutes, actor=None, reason=""):
    return fair_share_check(
        employer=f.employer(),
        chains=[chain(desk, monday, minutes)],
        actor=actor,
        override_reason=reason,
    )


def test_capacity(desk, monday):
    assert (
        location_open_minutes(location=desk, date_from=monday, date_to=monday + dt.timedelta(6))
        == 2400
    )


@pytest.mark.parametrize(
    ("default", "at_location", "allowed_minutes"),
    [
        (10, None, 240),  # the default: 10% of 2,400
        (40, 10, 240),  # the location's limit wins over a higher default
        (10, 20, 480),  # ... and over a lower one
    ],
)
def test_exactly_at_the_limit_allowed_one_minute_over_refused(
    desk, monday, settings, default, at_location, allowed_minutes
):
    settings.FAIR_SHARE_MAX_PERCENT = default
    desk.fair_share_max_percent = at_location
    desk.save(update_fields=["fair_share_max_percent"])
    limit = at_location or default
    assert check(desk, monday, allowed_minutes) == []
    with translation.override("nl"), pytest.raises(ValidationFailed) as refused:
        check(desk, monday, allowed_minutes + 1)
    year, week, _day = monday.isocalendar()
    message = str(refused.value.message)
    assert refused.value.code == SchedulingError.FAIR_SHARE_EXCEEDED
    assert message.startswith(f"Eén werkgever mag per week hoogstens {limit}% ")
    assert "Balie Breda" in message and f"{year}-W{week:02d}" in message
    assert refused.value.details == {"week": f"{year}-W{week:02d}", "limit_percent": limit}


def test_location_at_100_switches_the_rule_off_there(desk, monday, settings):
    settings.FAIR_SHARE_MAX_PERCENT = 10
    desk.fair_share_max_percent = 100
    desk.save(update_fields=["fair_share_max_percent"])
    assert check(desk, monday, 2400) == []


def test_coordinator_override_returns_the_week_with_the_locations_limit(desk, monday):
    desk.fair_share_max_percent = 10
    desk.save(update_fields=["fair_share_max_percent"])
    (week,) = check(desk, monday, 241, actor=f.user(Role.COORDINATOR), reason="Harvest")
    assert (week.booked_minutes, week.capacity_minutes, week.limit_percent) == (241, 2400, 10)


def test_location_limit_is_editable_in_the_admin(admin_client, desk):
    url = reverse("admin:scheduling_location_change", args=[desk.pk])
    assert 'name="fair_share_max_percent"' in admin_client.get(url).content.decode()


def test_group_booking_refused_by_the_locations_limit_and_coordinator_adds_on_the_page(
    client,
    desk,
    monday,
    settings,
    english,  # noqa: F811
):
    settings.FAIR_SHARE_MAX_PERCENT = 100  # the default is off: only the location's limit
    firm = f.employer(name="Kas B.V.")
    hr = f.user(Role.EMPLOYER, employer=firm)
    group = group_booking_create(
        employer=firm,
        actor=hr,
        workers=workers(1),
        location=desk,
        date_from=monday,
        date_to=monday + dt.timedelta(days=4),
    )
    desk.fair_share_max_percent = 1  # 24 minutes a week: already beyond
    desk.save(update_fields=["fair_share_max_percent"])
    with pytest.raises(ValidationFailed) as refused:
        group_booking_create(
            employer=firm,
            actor=hr,
            workers=[worker(9)],
            location=desk,
            date_from=monday,
            date_to=monday + dt.timedelta(days=4),
        )
    assert "at most 1% of Balie Breda" in refused.value.message

    add = reverse("scheduling:portal-worker-add", args=[group.reference])
    page = reverse("scheduling:portal-group", args=[group.reference])
    fields = {
        "add-first_name": "Jan",
        "add-last_name": "Nowak",
        "add-birth_date": "1991-02-03",
        "add-nationality": "PL",
        "add-expected_stay_months": "12",
        "add-municipality_of_residence": "Oosterhout",
        "add-language": "pl",
    }
    client.force_login(hr)
    assert "fair_share_override_reason" not in client.get(page).content.decode()
    client.force_login(f.user(Role.COORDINATOR))
    assert 'name="fair_share_override_reason"' in client.get(page).content.decode()
    # Without a reason the coordinator is refused too, with the message on the page.
    refused_page = client.post(add, fields, follow=True).content.decode()
    assert "at most 1% of Balie Breda" in refused_page
    assert group.appointments.count() == 1
    client.post(add, {**fields, "fair_share_override_reason": "Agreed with the municipality"})
    assert group.appointments.count() == 2
    entry = AuditLogEntry.objects.get(action="group_booking.fair_share_override")
    assert entry.object_id == str(group.pk) and entry.reason == "Agreed with the municipality"
    assert entry.data["limit_percent"] == 1
    assert Appointment.objects.filter(client__first_name="Jan").exists()
