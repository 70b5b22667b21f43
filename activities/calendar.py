"""The calendar file of a registration (RFC 5545), with scheduling's conventions: times in
Europe/Amsterdam, a stable UID, the desk as ORGANIZER (its e-mail address, the location as
CN), participants with a valid e-mail as ATTENDEE (the employer downloads it logged in, so
names may be shown); a cancelled registration's file carries METHOD:CANCEL."""

import datetime as dt
from email.utils import parseaddr
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from activities.constants import RegistrationState
from activities.models import Registration

AMS = ZoneInfo("Europe/Amsterdam")


def _domain() -> str:
    return urlparse(settings.SITE_URL).hostname or "bmip.example"


def registration_ics(registration: Registration) -> bytes:
    session = registration.session
    cancelled = registration.state == RegistrationState.CANCELLED
    cal = Calendar()
    cal.add("prodid", "-//BMIP//Counter system//EN")
    cal.add("version", "2.0")
    cal.add("method", "CANCEL" if cancelled else "PUBLISH")
    event = Event()
    event.add("uid", f"activity-{registration.reference}@{_domain()}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", dt.datetime.combine(session.date, session.start_time, AMS))
    event.add("dtend", dt.datetime.combine(session.date, session.end_time, AMS))
    event.add("summary", f"{session.activity.title} ({registration.reference})")
    event.add("location", session.place)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if session.activity.description:
        event.add("description", session.activity.description)
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or f"noreply@{_domain()}"
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(session.location.name)
    event.add("organizer", organizer)
    for participant in registration.participants.filter(cancelled_at__isnull=True):
        try:
            validate_email(participant.email)
        except ValidationError:
            continue
        attendee = vCalAddress(f"mailto:{participant.email}")
        attendee.params["cn"] = vText(str(participant))
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    return cal.to_ical()
