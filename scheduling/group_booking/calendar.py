"""The employer's private calendar feed: his visits from 30 days back on, reachable by a secret
URL alone, so it carries "BMIP visit", the booking code and the place: no names and no
services (which would tell who needs an IND referral). The events are built like every other
calendar file (``scheduling.services.calendar``)."""

import datetime as dt

from django.utils import timezone

from scheduling.constants import AppointmentStatus
from scheduling.models import Appointment, Employer
from scheduling.services.calendar import appointments_ics


def employer_feed_ics(employer: Employer) -> bytes:
    """The employer's feed: his visits from 30 days back on, booking codes only (no names)."""
    since = timezone.now() - dt.timedelta(days=30)
    qs = (
        Appointment.objects.filter(group_booking__employer=employer, start__gte=since)
        .exclude(status=AppointmentStatus.HELD)
        # No names, no services: no client, no legs. The few places are read once each
        # (prefetched, shared by their visits), not joined into every row.
        .only(
            "pk",
            "booking_code",
            "start",
            "end",
            "sequence",
            "status",
            "location_id",
            "bus_visit_id",
        )
        .prefetch_related("location", "bus_visit")
        .order_by("start", "pk")
    )
    return appointments_ics(qs, with_name=False, detail=False)
