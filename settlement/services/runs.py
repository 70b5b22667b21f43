"""The daily settlement run: issue the statements of ended periods and e-mail them.

Runs daily (task ``settlement.tasks.settlement_run_due``, Schedule ``settlement-statements``)
but only acts from the first working day (``core.calendar``) of a period on, so the
statements of the previous period go out on that first working day; if issuing is blocked
(e.g. registrations still pending), the next daily run retries. Safe to run twice: an issued
period is not issued again and a statement is e-mailed at most once.
"""

import datetime as dt
import logging

from django.utils import timezone

from core.calendar import working_day_on_or_after
from core.exceptions import DomainError
from settlement.models import SettlementPeriod, Statement
from settlement.services.issue import settlement_period_issue
from settlement.services.output import statement_email
from settlement.services.periods import period_bounds, period_ensure

logger = logging.getLogger(__name__)


def settlement_run_due(*, today: dt.date | None = None) -> dict:
    """Issue every ended, still open period and e-mail every issued statement not yet sent."""
    today = today or timezone.localdate()
    current = period_bounds(today)
    result = {"issued": [], "emailed": 0, "blocked": None}
    if today < working_day_on_or_after(current.start):
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
