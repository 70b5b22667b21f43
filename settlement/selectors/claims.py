"""Reads for the government claims: quarters, scoping (a municipality sees only its own
claim statements; coordinators see all), lines of a statement. Never writes."""

import datetime as dt
import re

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from core.exceptions import ValidationFailed
from core.roles import is_coordinator, user_municipality
from settlement.errors import SettlementError
from settlement.models import ClaimLine, ClaimParty, ClaimStatement

QUARTER_RE = re.compile(r"^([0-9]{4})-Q([1-4])$")


def quarter_bounds(quarter: str) -> tuple[dt.date, dt.date]:
    """First and last day of ``YYYY-Qn``; a clear error for anything else."""
    match = QUARTER_RE.match(quarter or "")
    if not match or not 2000 <= int(match.group(1)) <= 2999:
        raise ValidationFailed(
            _("Give a quarter as YYYY-Qn, for example 2025-Q1."),
            code=SettlementError.QUARTER_INVALID,
        )
    year, number = int(match.group(1)), int(match.group(2))
    start = dt.date(year, 3 * number - 2, 1)
    end = (
        dt.date(year + 1, 1, 1) if number == 4 else dt.date(year, 3 * number + 1, 1)
    ) - dt.timedelta(days=1)
    return start, end


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def last_ended_quarter(today: dt.date) -> str:
    start, _end = quarter_bounds(quarter_of(today))
    return quarter_of(start - dt.timedelta(days=1))


def claim_statements_for_user(user) -> QuerySet[ClaimStatement]:
    qs = ClaimStatement.objects.select_related("municipality")
    if is_coordinator(user):
        return qs
    municipality = user_municipality(user)
    if municipality is not None:
        return qs.filter(party=ClaimParty.MUNICIPALITY, municipality=municipality)
    return qs.none()


def claim_statement_for_user_or_404(user, pk) -> ClaimStatement:
    statement = claim_statements_for_user(user).filter(pk=pk).first()
    if statement is None:
        raise Http404
    return statement


def claim_statement_lines(statement: ClaimStatement) -> QuerySet[ClaimLine]:
    return statement.lines.order_by("pk")
