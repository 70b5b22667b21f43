"""Calendar files (RFC 5545): one per appointment, one per group booking, and the building
blocks of the employer's private feed (``scheduling.group_booking.calendar``). Times are
written in Europe/Amsterdam with its VTIMEZONE; the UID is stable across updates and SEQUENCE
is ``Appointment.sequence``, so calendar programs update the event in place. A cancelled
appointment's own file carries METHOD:CANCEL. Every event names the desk as ORGANIZER (its
e-mail address, the location as CN) and the client as ATTENDEE where his e-mail is known and
names may be shown.

What goes in: booking code, services, place and times. Worker names only in the files the
employer downloads while logged in (he entered them); the feed, reachable by a secret URL
alone, carries booking codes, not names.
"""

import datetime as dt
from email.utils import parseaddr
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vCalAddress, vText
from icalendar.parser import Contentline
from icalendar.parser.string import _foldline

from scheduling.constants import AppointmentStatus
from scheduling.models import Appointment, GroupBooking

AMS = ZoneInfo("Europe/Amsterdam")
TZID = "Europe/Amsterdam"


def _domain() -> str:
    return urlparse(settings.SITE_URL).hostname or "bmip.example"


def appointment_uid(appointment: Appointment) -> str:
    return f"appointment-{appointment.booking_code}@{_domain()}"


def _calendar(*, method: str, first: dt.date | None, last: dt.date | None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//BMIP//Counter system//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    today = timezone.localdate()
    first = min(first or today, today) - dt.timedelta(days=366)
    last = max(last or today, today) + dt.timedelta(days=366)
    cal.add_component(Timezone.from_tzid(TZID, first_date=first, last_date=last))
    return cal


def _where(appointment: Appointment) -> str:
    if appointment.bus_visit_id:
        visit = appointment.bus_visit
        return f"{visit.site_name}, {visit.address}"
    loc = appointment.location
    return ", ".join(p for p in [loc.name, loc.full_address] if p)


def _organizer(appointment: Appointment) -> vCalAddress:
    """The desk (RFC 5546: a CANCEL names its ORGANIZER): its e-mail address, the location as
    common name."""
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or f"noreply@{_domain()}"
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(appointment.location.name)
    return organizer


def _attendee(appointment: Appointment) -> vCalAddress | None:
    email = appointment.client.email
    try:
        validate_email(email)
    except ValidationError:
        return None  # none, or one stored before addresses were checked: leave it out
    attendee = vCalAddress(f"mailto:{email}")
    attendee.params["cn"] = vText(f"{appointment.client.first_name} {appointment.client.last_name}")
    attendee.params["role"] = vText("REQ-PARTICIPANT")
    return attendee


def _event(appointment: Appointment, *, with_name: bool, detail: bool = True) -> Event:
    """One visit. ``with_name``: the client's name in the title and as ATTENDEE (files the
    client or the employer who entered the worker downloads). ``detail``: the services; the
    employer's feed (a secret URL alone) shows only "BMIP visit", the code and the place."""
    event = Event()
    event.add("uid", appointment_uid(appointment))
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", appointment.start.astimezone(AMS))
    event.add("dtend", appointment.end.astimezone(AMS))
    legs = list(appointment.legs.all())
    services = ", ".join(leg.service.localized_name() for leg in legs)
    who = f"{appointment.client.first_name} {appointment.client.last_name}: " if with_name else ""
    event.add(
        "summary",
        _("BMIP visit %(code)s") % {"code": appointment.booking_code}
        if not with_name
        else f"{who}" + _("BMIP visit %(code)s") % {"code": appointment.booking_code},
    )
    event.add("location", _where(appointment))
    event.add("organizer", _organizer(appointment))
    attendee = _attendee(appointment) if with_name else None
    if attendee is not None:
        event.add("attendee", attendee)
    lines = [_("Booking code: %(code)s") % {"code": appointment.booking_code}]
    if not detail:
        event.add("description", "\n".join(lines))
        event.add("status", _status(appointment))
        return event
    lines.append(services)
    for leg in legs:
        if leg.start:
            lines.append(
                f"{leg.start.astimezone(AMS):%H:%M}-{leg.end.astimezone(AMS):%H:%M} "
                f"{leg.service.localized_name()}"
            )
    event.add("description", "\n".join(lines))
    event.add("status", _status(appointment))
    return event


def _status(appointment: Appointment) -> str:
    return {
        AppointmentStatus.CANCELLED: "CANCELLED",
        AppointmentStatus.HELD: "TENTATIVE",
    }.get(appointment.status, "CONFIRMED")


def calendar_prefetch(qs):
    """The appointments of ``qs`` with what their calendar events show, in three queries."""
    return qs.select_related("client", "location", "bus_visit").prefetch_related("legs__service")


def appointment_ics(appointment: Appointment, *, with_name: bool = True) -> bytes:
    """One visit's file, in the client's language (title, description and service names), as
    his ticket: it goes to him attached to his e-mail."""
    from scheduling.tickets.pdf import ticket_language

    appointment = calendar_prefetch(Appointment.objects.filter(pk=appointment.pk)).get()
    method = "CANCEL" if appointment.status == AppointmentStatus.CANCELLED else "PUBLISH"
    day = appointment.start.astimezone(AMS).date()
    cal = _calendar(method=method, first=day, last=day)
    with translation.override(ticket_language(appointment.client.language)):
        cal.add_component(_event(appointment, with_name=with_name))
    return cal.to_ical()


def appointments_ics(appointments, *, with_name: bool, detail: bool = True) -> bytes:
    """One calendar holding an event per appointment (those without a start are left out).

    Without names and services (the employer's feed: hundreds of events) the events are
    written by ``_feed_event``, which gives the same bytes as icalendar's ``_event`` at a
    fraction of the cost (tests/scheduling/test_calendar_feed_fast.py compares them)."""
    appointments = [a for a in appointments if a.start is not None]
    days = [a.start.astimezone(AMS).date() for a in appointments]
    cal = _calendar(method="PUBLISH", first=min(days, default=None), last=max(days, default=None))
    if with_name or detail:
        for appointment in appointments:
            cal.add_component(_event(appointment, with_name=with_name, detail=detail))
        return cal.to_ical()
    head = cal.to_ical()
    end = b"END:VCALENDAR\r\n"
    stamp = f"DTSTAMP:{timezone.now().astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"
    places: dict = {}
    # The event's texts escaped once as templates (a booking code has nothing to escape).
    texts = {
        "summary": _text(_("BMIP visit %(code)s")),
        "description": _text(_("Booking code: %(code)s")),
        "uid": _text(f"appointment-%(code)s@{_domain()}"),
    }
    events = "".join(_feed_event(a, stamp=stamp, places=places, texts=texts) for a in appointments)
    return head[: -len(end)] + events.encode() + end


def _line(line: str) -> str:
    """One content line, folded at 75 octets as icalendar folds it."""
    if len(line.encode()) < 75:  # noqa: PLR2004
        return line + "\r\n"
    return _foldline(line) + "\r\n"


def _text(value: str) -> str:
    return vText(value).to_ical().decode()


def _feed_place(appointment: Appointment, places: dict) -> str:
    """LOCATION and ORGANIZER lines of the event's place (the same for all its visits)."""
    key = (appointment.location_id, appointment.bus_visit_id)
    if key not in places:
        organizer = _organizer(appointment)
        places[key] = _line(f"LOCATION:{_text(_where(appointment))}") + _line(
            Contentline.from_parts("ORGANIZER", organizer.params, organizer.to_ical().decode())
        )
    return places[key]


def _feed_event(appointment: Appointment, *, stamp: str, places: dict, texts: dict) -> str:
    """The feed's VEVENT of ``appointment`` as text: what ``_event(appointment,
    with_name=False, detail=False)`` writes, property for property in icalendar's order.
    ``texts``: SUMMARY, DESCRIPTION and UID escaped as templates of the booking code."""
    code = appointment.booking_code
    if code.isalnum():
        values = {"code": code}
        summary, description, uid = (texts[k] % values for k in ("summary", "description", "uid"))
    else:  # escape the whole text (no booking code is written so; kept exact all the same)
        summary = _text(_("BMIP visit %(code)s") % {"code": code})
        description = _text(_("Booking code: %(code)s") % {"code": code})
        uid = _text(appointment_uid(appointment))
    return "".join(
        (
            "BEGIN:VEVENT\r\n",
            _line(f"SUMMARY:{summary}"),
            f"DTSTART;TZID={TZID}:{appointment.start.astimezone(AMS):%Y%m%dT%H%M%S}\r\n",
            f"DTEND;TZID={TZID}:{appointment.end.astimezone(AMS):%Y%m%dT%H%M%S}\r\n",
            stamp,
            "\r\n",
            _line(f"UID:{uid}"),
            f"SEQUENCE:{appointment.sequence}\r\n",
            _line(f"DESCRIPTION:{description}"),
            _feed_place(appointment, places),
            f"STATUS:{_status(appointment)}\r\n",
            "END:VEVENT\r\n",
        )
    )


def group_booking_ics(group_booking: GroupBooking) -> bytes:
    """Every visit of the group (cancelled ones with STATUS:CANCELLED so they disappear)."""
    qs = calendar_prefetch(
        group_booking.appointments.exclude(status=AppointmentStatus.HELD).order_by("start", "pk")
    )
    if group_booking.status == "held":
        qs = calendar_prefetch(group_booking.appointments.order_by("start", "pk"))
    return appointments_ics(qs, with_name=True)


__all__ = [
    "appointment_ics",
    "appointment_uid",
    "appointments_ics",
    "calendar_prefetch",
    "group_booking_ics",
]
