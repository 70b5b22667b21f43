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
from scheduling.models import Leg


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
        calls = calls.filter(ticket__location__municipality_id=scope.municipality_id)
    location, service_name = "appointment__location__name", "service__name"
    service = percentiles_by(
        legs,
        value=SecondsBetween("started_at", "finished_at"),
        by=(location, service_name),
    )
    waiting = percentiles_by(
        calls, value=F("wait_seconds"), by=("ticket__location__name", "leg__service__name")
    )
    rows = []
    for key in sorted(set(service) | set(waiting)):
        served, waited = service.get(key, {}), waiting.get(key, {})
        rows.append(
            [
                key[0],
                key[1],
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
