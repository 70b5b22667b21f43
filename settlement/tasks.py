"""Scheduled settlement run (django-q2): issue the statements of ended periods and e-mail them.

The ``Schedule`` (name ``settlement-statements``) runs this daily at 06:30; the task only acts
from the first working day (Mon-Fri, not a Dutch public holiday) of a period on, so the
statements of the previous period go out on that first working day — and if issuing is
blocked (e.g. registrations still pending), the next daily run retries. Safe to run twice:
an issued period is not issued again and a statement is e-mailed at most once.
"""

import datetime as dt
import logging

import holidays
from django.utils import timezone

from core.exceptions import DomainError
from settlement.models import SettlementPeriod, Statement
from settlement.services.issue import settlement_period_issue
from settlement.services.output import statement_email
from settlement.services.periods import period_bounds, period_ensure

logger = logging.getLogger(__name__)


def first_working_day(start: dt.date) -> dt.date:
    nl_holidays = holidays.NL(years=[start.year, start.year + 1])
    day = start
    while day.weekday() >= 5 or day in nl_holidays:
        day += dt.timedelta(days=1)
    return day


def settlement_run_due(today: str | dt.date | None = None) -> dict:
    """Issue every ended, still open period and e-mail every issued statement not yet sent."""
    if isinstance(today, str):
        today = dt.date.fromisoformat(today)
    today = today or timezone.localdate()
    current = period_bounds(today)
    result = {"issued": [], "emailed": 0, "blocked": None}
    if today < first_working_day(current.start):
        result["blocked"] = "not_due"
        return result
    period_ensure(current.start - dt.timedelta(days=1))
    for period in SettlementPeriod.objects.filter(
        issued_at__isnull=True, end__lt=current.start
    ).order_by("start"):
        try:
            settlement_period_issue(period=period, actor=None, today=today)
        except DomainError as exc:
            logger.warning("Settlement period %s not issued: %s (%s)", period.label, exc.code, exc)
            result["blocked"] = exc.code
            break
        result["issued"].append(period.label)
    pending = Statement.objects.filter(delivery__isnull=True).exclude(
        municipality__finance_email=""
    )
    for statement in pending.select_related("municipality", "period").order_by("pk"):
        if statement_email(statement=statement):
            result["emailed"] += 1
    return result
