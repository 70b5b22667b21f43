"""Statistics: waiting and service time per service and location (KioskConfig).

Waiting: from the queue's call events (``wait_seconds`` of the first call of a leg).
Service: from the leg's start and finish. Percentiles are nearest-rank, in minutes; a row
with fewer visits than the suppression threshold shows no times at all.
"""

from django.db.models import F
from django.utils.translation import gettext as _

from core.stats import (
    COUNT,
    LABEL,
    SECONDS,
    Column,
    Period,
    SecondsBetween,
    StatsScope,
    StatTable,
    percentiles_by,
)
from kiosk.constants import CallAction
from kiosk.models import CallEvent
from scheduling.constants import LegState
from scheduling.models import Leg, Location, ServiceType


def _minutes(seconds: float | None):
    return None if seconds is None else round(round(seconds) / 60, 1)


def waiting_and_service_times(*, period: Period, scope: StatsScope) -> StatTable:
    legs = Leg.objects.filter(
        state=LegState.DONE,
        started_at__isnull=False,
        finished_at__gte=period.moments[0],
        finished_at__lt=period.moments[1],
    )
    calls = CallEvent.objects.filter(
        action=CallAction.CALL,
        wait_seconds__isnull=False,
        at__gte=period.moments[0],
        at__lt=period.moments[1],
        leg__isnull=False,
    )
    if not scope.everything:
        legs = legs.filter(appointment__location__municipality_id=scope.municipality_id)
        calls = calls.filter(counter__location__municipality_id=scope.municipality_id)
    # Grouped by ids, not names (integers sort far faster than collated text), and the call's
    # location read from its counter (a 22-row table) rather than the ticket (one row per
    # visit): the same location, one join fewer. Names are looked up afterwards.
    service = percentiles_by(
        legs,
        value=SecondsBetween("started_at", "finished_at"),
        by=("appointment__location_id", "service_id"),
    )
    waiting = percentiles_by(
        calls, value=F("wait_seconds"), by=("counter__location_id", "leg__service_id")
    )
    keys = set(service) | set(waiting)
    locations = dict(Location.objects.filter(pk__in={k[0] for k in keys}).values_list("pk", "name"))
    services = dict(
        ServiceType.objects.filter(pk__in={k[1] for k in keys}).values_list("pk", "name")
    )
    rows = []
    for key in sorted(keys, key=lambda k: (locations[k[0]], services[k[1]], k)):
        served, waited = service.get(key, {}), waiting.get(key, {})
        rows.append(
            [
                locations[key[0]],
                services[key[1]],
                served.get("n", 0),
                *[_minutes(waited.get(f)) for f in (0.5, 0.9)],
                *[_minutes(served.get(f)) for f in (0.5, 0.9)],
            ]
        )
    return StatTable(
        title=_("Waiting and service time per location and service (minutes)"),
        columns=[
            Column("location", _("Location"), LABEL),
            Column("service", _("Service"), LABEL),
            Column("served", _("Served"), COUNT),
            Column("wait_p50_min", _("Wait p50"), SECONDS),
            Column("wait_p90_min", _("Wait p90"), SECONDS),
            Column("service_p50_min", _("Service p50"), SECONDS),
            Column("service_p90_min", _("Service p90"), SECONDS),
        ],
        rows=rows,
        column_totals=False,
    )
