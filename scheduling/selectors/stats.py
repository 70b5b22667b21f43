"""Statistics tables from appointments (registered in SchedulingConfig.statistics_tables)."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core.stats import (
    COUNT,
    LABEL,
    SHARE,
    Column,
    Period,
    StatsScope,
    StatTable,
    count_per_month,
    monthly_share_table,
    share,
)
from scheduling.constants import AppointmentStatus, LocationKind
from scheduling.models import Appointment


def _visits(period: Period, scope: StatsScope):
    visits = Appointment.objects.filter(start__gte=period.moments[0], start__lt=period.moments[1])
    if not scope.everything:
        visits = visits.filter(location__municipality_id=scope.municipality_id)
    return visits


def bus_desk_share(*, period: Period, scope: StatsScope) -> StatTable:
    """Visits that took place (completed), per month, at a desk or on the bus."""
    counts = count_per_month(
        _visits(period, scope).filter(status=AppointmentStatus.COMPLETED),
        field="start",
        period=period,
        by=("location__kind",),
    )
    return monthly_share_table(
        title=_("Visits at a desk and on the bus"),
        counts=counts,
        period=period,
        pair=((LocationKind.DESK, "desk", _("Desk")), (LocationKind.BUS, "bus", _("Bus"))),
        share_column=("bus_share_pct", _("Bus share (%)")),
    )


def no_show_rate_per_employer(*, period: Period, scope: StatsScope) -> StatTable | None:
    """Coordinators only: never shown to municipalities or employers."""
    if not scope.everything:
        return None
    rows = [
        [
            row["group_booking__employer__name"],
            row["visits"],
            row["no_shows"],
            share(row["no_shows"], row["visits"]),
        ]
        for row in _visits(period, scope)
        .filter(
            group_booking__isnull=False,
            status__in=[AppointmentStatus.COMPLETED, AppointmentStatus.NO_SHOW],
        )
        .values("group_booking__employer_id", "group_booking__employer__name")
        .annotate(
            visits=Count("id"),
            no_shows=Count("id", filter=Q(status=AppointmentStatus.NO_SHOW)),
        )
        .order_by("group_booking__employer__name")
    ]
    return StatTable(
        title=_("No-shows per employer"),
        columns=[
            Column("employer", _("Employer"), LABEL),
            Column("visits", _("Booked visits due"), COUNT),
            Column("no_shows", _("No-shows"), COUNT),
            Column("no_show_pct", _("No-show rate (%)"), SHARE),
        ],
        rows=rows,
        column_totals=False,
        coordinators_only=True,
    )
