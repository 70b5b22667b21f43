"""Effective-dated ranges (tariffs, agreements, financing choices): ``valid_from`` to an
inclusive ``valid_to`` or open-ended. Never edited in place: a new range from day X ends the
open-ended one at X - 1 day. One helper for every such model.
"""

import datetime as dt
from collections.abc import Callable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from core.errors import CoreError
from core.exceptions import Conflict, ValidationFailed
from core.locking import rows_lock


def effective_on(queryset: QuerySet, day: dt.date) -> QuerySet:
    """The rows of ``queryset`` in force on ``day``."""
    return queryset.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def overlapping(queryset: QuerySet, valid_from: dt.date, valid_to: dt.date | None) -> QuerySet:
    """The rows of ``queryset`` whose range shares a day with ``valid_from..valid_to``."""
    queryset = queryset.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
    if valid_to is not None:
        queryset = queryset.filter(valid_from__lte=valid_to)
    return queryset


def range_validate(valid_from: dt.date, valid_to: dt.date | None) -> None:
    if valid_to is not None and valid_to < valid_from:
        raise ValidationFailed(
            _("'Valid until' must not be before 'valid from'."),
            code=CoreError.RANGE_INVALID,
            details={"valid_to": [_("'Valid until' must not be before 'valid from'.")]},
        )


def range_make_room(
    queryset: QuerySet,
    *,
    valid_from: dt.date,
    valid_to: dt.date | None,
    supersede: bool,
    overlap_message: Callable[[object], str],
) -> list:
    """Lock the existing ranges of ``queryset`` and make room for a new one.

    With ``supersede`` an open-ended range that starts before ``valid_from`` is ended on the
    day before (only its ``valid_to`` changes); any other overlap is refused with
    ``range_overlap`` (409) with ``overlap_message(other_row)``.
    Returns the rows that were ended. Must run inside ``transaction.atomic()``.
    """
    range_validate(valid_from, valid_to)
    rows = rows_lock(overlapping(queryset, valid_from, valid_to))
    ended = []
    for row in rows:
        if supersede and row.valid_to is None and row.valid_from < valid_from:
            row.valid_to = valid_from - dt.timedelta(days=1)
            row.save(update_fields=["valid_to"])
            ended.append(row)
            continue
        raise Conflict(overlap_message(row), code=CoreError.RANGE_OVERLAP)
    return ended
