"""End of the desk day: booked visits whose day has passed become no-shows, and the apps
above close what is still open for those days (kiosk: queue numbers still waiting, called or
held for the reception) through ``settings.DAY_CLOSE_HOOKS``.

Run by a daily task after midnight (Europe/Amsterdam); a visit counts as missed once the
calendar day of its start is over. Safe to run again: a second run finds nothing to do.
Without this nobody ever marks a person who never came, and their data would be kept as
an "open" visit forever (issue 12, finding 7).
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from core.audit import audit_log
from core.hooks import hooks_call
from scheduling.constants import AppointmentStatus, LegState
from scheduling.models import Appointment, Leg


def day_start(now: dt.datetime | None = None) -> dt.datetime:
    """Midnight (Amsterdam) at the start of the current day: everything before has ended."""
    local = timezone.localtime(now or timezone.now())
    return dt.datetime.combine(local.date(), dt.time.min, local.tzinfo)


@transaction.atomic
def visits_missed_close(*, now: dt.datetime | None = None, actor=None) -> dict:
    """Close the days that have ended: hooks first (numbers still in the queue make their
    visits no-shows), then every visit still booked for an ended day becomes a no-show."""
    now = now or timezone.now()
    before = day_start(now)
    hooks = hooks_call("DAY_CLOSE_HOOKS", before=before, now=now, actor=actor)
    missed = list(
        Appointment.objects.select_for_update()
        .filter(status=AppointmentStatus.BOOKED, start__lt=before)
        .values_list("pk", flat=True)
    )
    if missed:
        Appointment.objects.filter(pk__in=missed).update(
            status=AppointmentStatus.NO_SHOW, updated_at=now
        )
        Leg.objects.filter(appointment_id__in=missed, state=LegState.PLANNED).update(
            state=LegState.CANCELLED
        )
        audit_log(
            actor=actor,
            action="day.closed",
            object_type="scheduling.appointment",
            object_id="*",
            no_shows=missed,
            before=before.isoformat(),
        )
    return {"visits": len(missed), "hooks": hooks}
