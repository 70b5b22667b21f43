"""Dates: parameters from URLs, forms and API bodies (one check for every page and API) and
the local day as a range of aware datetimes (one way to filter a datetime column by day).

A date outside ``DATE_MIN``..``DATE_MAX`` (or no date at all, like 2026-02-30) is refused
with 400 ``date_invalid``: day arithmetic near year 1 or 9999 would overflow into a 500.

Filter a datetime column by local day with ``day_bounds``/``local_day_q`` (a half-open range
an index can serve), never with ``field__date=day``: that makes the database compute a local
date for every row (a full scan that grows with history).
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Q
from django.utils import formats, timezone, translation
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


def _zone(tz=None):
    return tz or ZoneInfo(settings.TIME_ZONE)


def day_bounds(day: dt.date, tz=None) -> tuple[dt.datetime, dt.datetime]:
    """The local ``day`` (Europe/Amsterdam unless ``tz``) as ``[start, end)``: aware datetimes
    at its local midnight and the next one, so a DST day is 23 or 25 hours long."""
    zone = _zone(tz)
    start = dt.datetime.combine(day, dt.time.min, tzinfo=zone)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return start, end


def days_bounds(first: dt.date, last: dt.date, tz=None) -> tuple[dt.datetime, dt.datetime]:
    """The local days ``first``..``last`` (inclusive) as one half-open ``[start, end)``."""
    return day_bounds(first, tz)[0], day_bounds(last, tz)[1]


def local_day_q(field: str, day: dt.date, last: dt.date | None = None) -> Q:
    """``Q(field__gte=start, field__lt=end)`` for the local day (or days ``day``..``last``)."""
    start, end = days_bounds(day, last or day)
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


# Languages that write a month name with a capital inside a sentence (of those the desk serves).
MONTHS_CAPITALISED = frozenset({"en"})


def date_long(value: dt.date | dt.datetime, *, weekday: bool = True) -> str:
    """A date for people to read, in the active language's own order and month names:
    "woensdag, 2 december 2026", "середа, 02 грудня 2026 р.", "Wednesday, Dec. 2, 2026"
    (Django's locale ``DATE_FORMAT``). A datetime is shown as its Amsterdam day."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    text = formats.date_format(value, "DATE_FORMAT")
    if translation.get_language() not in MONTHS_CAPITALISED:
        # Django's locale data capitalises some stand-alone month names (bg "Декември",
        # ro "Decembrie", pt "Dezembro"); in running text those languages write them lowercase.
        for month in {formats.date_format(value, f) for f in ("F", "E", "N")}:
            text = text.replace(month, month.lower())
    return f"{formats.date_format(value, 'l')}, {text}" if weekday else text
