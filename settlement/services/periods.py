"""Settlement periods: a month (or a quarter, ``SETTLEMENT_PERIOD``), open until its
statements are issued. A line always lands in an open period: the period of its date if
still open, otherwise the first later open period."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from core.exceptions import Conflict
from core.locking import row_lock
from settlement.constants import PeriodGranularity
from settlement.errors import SettlementError
from settlement.models import SettlementPeriod


@dataclass(frozen=True)
class PeriodBounds:
    start: dt.date
    end: dt.date
    label: str
    granularity: str


def period_granularity() -> str:
    return getattr(settings, "SETTLEMENT_PERIOD", PeriodGranularity.MONTH)


def period_bounds(day: dt.date, granularity: str | None = None) -> PeriodBounds:
    """The settlement period (month or quarter) containing ``day``."""
    granularity = granularity or period_granularity()
    if granularity == PeriodGranularity.QUARTER:
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = dt.date(day.year, first_month, 1)
        label = f"{day.year}-Q{(first_month - 1) // 3 + 1}"
        months = 3
    else:
        start = dt.date(day.year, day.month, 1)
        label = f"{day.year}-{day.month:02d}"
        months = 1
    month_after = start.month + months
    next_start = dt.date(start.year + (month_after - 1) // 12, (month_after - 1) % 12 + 1, 1)
    return PeriodBounds(start, next_start - dt.timedelta(days=1), label, granularity)


def period_ensure(day: dt.date) -> SettlementPeriod:
    """The period row containing ``day`` (created when missing)."""
    bounds = period_bounds(day)
    period = SettlementPeriod.objects.filter(start__lte=day, end__gte=day).first()
    if period is not None:
        return period
    if SettlementPeriod.objects.filter(start__lte=bounds.end, end__gte=bounds.start).exists():
        raise Conflict(
            _(
                "Settlement period %(label)s overlaps an existing period: the period length "
                "(SETTLEMENT_PERIOD) may only change at the start of a year."
            )
            % {"label": bounds.label},
            code=SettlementError.PERIOD_OVERLAP,
        )
    period, _created = SettlementPeriod.objects.get_or_create(
        start=bounds.start,
        defaults={"end": bounds.end, "label": bounds.label, "granularity": bounds.granularity},
    )
    return period


def period_open_for(day: dt.date) -> SettlementPeriod:
    """Lock and return the first open period at or after the period containing ``day``."""
    while True:
        period = row_lock(SettlementPeriod.objects.filter(pk=period_ensure(day).pk))
        if period.is_open:
            return period
        day = period.end + dt.timedelta(days=1)
