"""The working-day calendar: one definition of "working day" for the whole project.

A working day is a weekday that is not a generally recognised Dutch holiday in the sense of
the Algemene termijnenwet (New Year's Day, Good Friday, Easter Monday, King's Day,
Liberation Day 5 May every year, Ascension Day, Whit Monday, Christmas and Boxing Day),
taken from the ``holidays`` package, and not one of the ``closed_days`` a caller passes in
(a desk's confirmed closures). Terms (a statement due "on the first working day") use it.

Which holidays *close a desk* is a separate, configurable fact (confirmed closures per
location); ``desk_holiday_proposals`` lists the ones proposed to coordinators by default:
Good Friday and 5 May are not automatic desk closures (docs/domain.md).
"""

import datetime as dt
from collections.abc import Collection
from functools import lru_cache

import holidays
from dateutil.easter import easter


@lru_cache(maxsize=64)
def dutch_holidays(year: int) -> dict[dt.date, str]:
    """The generally recognised Dutch holidays of ``year`` with their Dutch names."""
    days = dict(holidays.NL(years=year, language="nl").items())
    days.setdefault(easter(year) - dt.timedelta(days=2), "Goede Vrijdag")
    days.setdefault(dt.date(year, 5, 5), "Bevrijdingsdag")
    return days


def desk_holiday_proposals(year: int) -> list[tuple[dt.date, str]]:
    """The holidays proposed as desk closures: all but Good Friday and 5 May."""
    optional = {easter(year) - dt.timedelta(days=2), dt.date(year, 5, 5)}
    return sorted((day, name) for day, name in dutch_holidays(year).items() if day not in optional)


def is_working_day(day: dt.date, *, closed_days: Collection[dt.date] = ()) -> bool:
    return day.weekday() < 5 and day not in dutch_holidays(day.year) and day not in closed_days


def working_day_on_or_after(day: dt.date, *, closed_days: Collection[dt.date] = ()) -> dt.date:
    while not is_working_day(day, closed_days=closed_days):
        day += dt.timedelta(days=1)
    return day


def working_days_from(
    day: dt.date, count: int, *, closed_days: Collection[dt.date] = ()
) -> list[dt.date]:
    """The first ``count`` working days on or after ``day``."""
    found = []
    while len(found) < count:
        day = working_day_on_or_after(day, closed_days=closed_days)
        found.append(day)
        day += dt.timedelta(days=1)
    return found
