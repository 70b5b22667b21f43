"""Calendar files parsed back: times in UTC and Amsterdam, daylight-saving days, UID,
SEQUENCE and METHOD:CANCEL."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from core.roles import Role
from scheduling.group_booking.calendar import employer_feed_ics
from scheduling.group_booking.services import group_booking_create
from scheduling.services.booking import appointment_cancel, appointment_reschedule
from scheduling.services.calendar import appointment_ics, appointment_uid, group_booking_ics
from tests import factories as f
from tests.scheduling.group_helpers import english, workers  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
AMS = ZoneInfo("Europe/Amsterdam")
UTC = dt.UTC


def _last_sunday(year: int, month: int) -> dt.date:
    day = dt.date(year, month + 1, 1) - dt.timedelta(days=1)
    while day.weekday() != 6:
        day -= dt.timedelta(days=1)
    return day


@pytest.fixture
def setup(reference):
    employer = f.employer()
    hr = f.user(Role.EMPLOYER, employer=employer)
    # Open every day, so the daylight-saving Sundays can be booked.
    desk = f.location(counters={"Balie 1": ["brp", "rni"], "Balie 2": ["zvw"]}, weekdays=range(7))
    return employer, hr, desk


def _events(ics: bytes):
    cal = Calendar.from_ical(ics)
    return cal, [c for c in cal.walk("VEVENT")]


def _book(setup, day, count=1, **kw):
    employer, hr, desk = setup
    return group_booking_create(
        employer=employer,
        actor=hr,
        workers=workers(count, **kw),
        location=desk,
        date_from=day,
        date_to=day,
        confirm=True,
    )


@pytest.mark.parametrize("month, utc_offset_h", [(3, 2), (10, 1)])
def test_dst_sundays_times_in_utc_and_amsterdam(setup, month, utc_offset_h):
    year = timezone.localdate().year + 1
    day = _last_sunday(year, month)
    group = _book(setup, day)
    appointment = group.appointments.get()
    cal, (event,) = _events(appointment_ics(appointment))
    start = event.decoded("dtstart")
    # Written as Europe/Amsterdam local time with its TZID, backed by a VTIMEZONE.
    assert event["dtstart"].params["TZID"] == "Europe/Amsterdam"
    assert [c["tzid"] for c in cal.walk("VTIMEZONE")] == ["Europe/Amsterdam"]
    assert start.astimezone(AMS).replace(tzinfo=None) == dt.datetime.combine(day, dt.time(9))
    # 09:00 is after the 02:00/03:00 switch: summer time (UTC+2) in March, winter (UTC+1) in October.
    assert start.astimezone(UTC) == dt.datetime.combine(day, dt.time(9 - utc_offset_h), UTC)
    assert event.decoded("dtend").astimezone(UTC) == appointment.end.astimezone(UTC)


def test_uid_stable_sequence_bumped_on_reschedule_and_cancel(setup, next_monday):
    group = _book(setup, next_monday)
    appointment = group.appointments.get()
    _cal, (first,) = _events(appointment_ics(appointment))
    assert str(first["uid"]) == appointment_uid(appointment)
    assert first["sequence"] == 0
    assert str(first["status"]) == "CONFIRMED"
    assert "Stationsplein 1" in str(first["location"])
    moved = appointment_reschedule(
        appointment=appointment, start=f.aware(next_monday, 11), actor=None
    )
    cal, (second,) = _events(appointment_ics(moved))
    assert str(second["uid"]) == str(first["uid"])
    assert second["sequence"] == 1
    assert second.decoded("dtstart").astimezone(UTC) == f.aware(next_monday, 11).astimezone(UTC)
    assert str(cal["method"]) == "PUBLISH"
    cancelled = appointment_cancel(appointment=moved, actor=None)
    cal, (third,) = _events(appointment_ics(cancelled))
    assert str(cal["method"]) == "CANCEL"
    assert str(third["status"]) == "CANCELLED"
    assert third["sequence"] == 2
    assert str(third["uid"]) == str(first["uid"])


def test_group_file_has_one_event_per_worker_and_the_feed_no_names(setup, next_monday):
    employer, _hr, _desk = setup
    group = _book(setup, next_monday, count=3)
    _cal, events = _events(group_booking_ics(group))
    assert len(events) == 3
    assert {str(e["uid"]) for e in events} == {appointment_uid(a) for a in group.appointments.all()}
    assert any("Worker1" in str(e["summary"]) for e in events)
    _cal, feed = _events(employer_feed_ics(employer))
    assert len(feed) == 3
    assert all("Worker" not in str(e["summary"]) and "Nowak" not in str(e["summary"]) for e in feed)
    # Another employer's feed is empty.
    assert _events(employer_feed_ics(f.employer()))[1] == []


def test_cancel_has_organizer_and_attendee_read_by_a_second_parser(setup, next_monday):
    import vobject

    _employer, _hr, desk = setup
    client = f.client(email="ana@example.org")
    appointment = f.appointment(loc=desk, start=f.aware(next_monday, 10), cl=client)
    cancelled = appointment_cancel(appointment=appointment, actor=None)
    parsed = vobject.readOne(appointment_ics(cancelled).decode())
    assert parsed.method.value == "CANCEL"
    event = parsed.vevent
    assert event.organizer.value == "mailto:noreply@bmip.example"
    assert event.organizer.params["CN"] == [desk.name]
    assert event.attendee.value == "mailto:ana@example.org"
    assert event.status.value == "CANCELLED"
    # The per-visit file keeps its detail: the services, in the (Polish) client's language.
    assert "Kod rezerwacji" in event.description.value and ":" in event.description.value
    assert "Rejestracja BRP" in event.description.value
    assert len(event.description.value.splitlines()) > 2


def test_employer_feed_shows_visit_and_place_not_services(setup, next_monday):
    import vobject

    employer, _hr, desk = setup
    group = _book(setup, next_monday, count=2)
    services = {
        leg.service.localized_name() for a in group.appointments.all() for leg in a.legs.all()
    }
    feed = vobject.readOne(employer_feed_ics(employer).decode())
    events = feed.vevent_list
    assert len(events) == 2
    for event in events:
        assert event.summary.value.startswith("BMIP visit")
        assert desk.name in event.location.value
        assert event.organizer.value.startswith("mailto:")
        assert not hasattr(event, "attendee")  # no names, no addresses in the secret feed
        text = event.summary.value + event.description.value
        assert not any(name in text for name in services)
