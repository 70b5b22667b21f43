"""The employer's feed writes its events as text (hundreds of them, so icalendar's per-event
cost matters); what it writes must be what icalendar writes for the same visits: escaping of
commas, semicolons and backslashes, folding of long lines (also inside multi-byte
characters), the desk as ORGANIZER with a quoted CN, cancelled visits as CANCELLED."""

import re

import pytest
from icalendar import Calendar

from core.roles import Role
from scheduling.group_booking.calendar import employer_feed_ics
from scheduling.group_booking.services import group_booking_create
from scheduling.services.booking import appointment_cancel
from scheduling.services.calendar import _calendar, _event
from tests import factories as f
from tests.scheduling.group_helpers import english, workers  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
STAMP = re.compile(rb"DTSTAMP:\d{8}T\d{6}Z")


def _slow_feed(appointments) -> bytes:
    """The feed as icalendar alone would write it (the former code path)."""
    days = [a.start.date() for a in appointments]
    cal = _calendar(method="PUBLISH", first=min(days), last=max(days))
    for appointment in appointments:
        cal.add_component(_event(appointment, with_name=False, detail=False))
    return cal.to_ical()


def test_feed_events_are_byte_for_byte_what_icalendar_writes(reference, next_monday):
    employer = f.employer()
    hr = f.user(Role.EMPLOYER, employer=employer)
    desk = f.location(counters={"Balie 1": ["brp", "rni"], "Balie 2": ["zvw"]})
    # Commas, a semicolon, a backslash, quotes and accents, long enough to fold.
    desk.name = 'Stadskantoor "Noord"; Balie, ingang\\achter – één héél lange naam ééé'
    desk.save()
    group = group_booking_create(
        employer=employer,
        actor=hr,
        workers=workers(3),
        location=desk,
        date_from=next_monday,
        date_to=next_monday,
        confirm=True,
    )
    first = group.appointments.order_by("start", "pk").first()
    appointment_cancel(appointment=first, actor=None)
    appointments = list(group.appointments.order_by("start", "pk"))

    fast = employer_feed_ics(employer)
    slow = _slow_feed(appointments)

    assert STAMP.sub(b"DTSTAMP", fast) == STAMP.sub(b"DTSTAMP", slow)
    events = Calendar.from_ical(fast).walk("VEVENT")
    assert len(events) == 3
    assert str(events[0]["status"]) == "CANCELLED"
    assert str(events[0]["location"]).startswith(desk.name)
    assert all(len(line) <= 75 for line in fast.split(b"\r\n"))
