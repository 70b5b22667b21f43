"""Date parameters from URLs, forms and API bodies: one check for every page and API.

A date outside ``DATE_MIN``..``DATE_MAX`` (or no date at all, like 2026-02-30) is refused
with 400 ``date_invalid``: day arithmetic near year 1 or 9999 would overflow into a 500.
"""

import datetime as dt

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from core.errors import CoreError
from core.exceptions import ValidationFailed

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2999, 12, 31)


def date_in_range(day: dt.date) -> dt.date:
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValidationFailed(
            _("Give a date between %(min)s and %(max)s.")
            % {"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()},
            code=CoreError.DATE_INVALID,
        )
    return day


def date_param(value: str | None, *, default: dt.date | None = None) -> dt.date | None:
    """``YYYY-MM-DD`` -> a date in range; empty -> ``default``; anything else -> 400."""
    if not value:
        return default
    try:
        day = parse_date(value.strip())
    except ValueError:
        day = None
    if day is None:
        raise ValidationFailed(
            _("%(value)s is not a date (YYYY-MM-DD).") % {"value": value[:20]},
            code=CoreError.DATE_INVALID,
        )
    return date_in_range(day)
