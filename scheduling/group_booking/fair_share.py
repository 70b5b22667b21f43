"""Fair share: one employer may book at most the desk's limit
(``Location.fair_share_max_percent``, else FAIR_SHARE_MAX_PERCENT) of its capacity (open
counter minutes) in an ISO week. Checked by the group-booking services on the plan before
anything is written; a coordinator may book beyond it with a reason (audited by the
caller). Bus visits are the employer's own site: no fair share there.

A waitlist offer's held placeholders (``GroupBooking.waitlist_hold``) are the employer's
counter time while the offer is open (another group of his counts them), and only then:
accepting the offer releases them in its transaction before the workers are planned and
checked, so the workers who take the held places are counted once, not on top of the hold.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.exceptions import Forbidden, ValidationFailed
from core.roles import is_coordinator
from scheduling.errors import SchedulingError
from scheduling.selectors.availability import PlannedChain
from scheduling.selectors.capacity import (
    employer_booked_minutes,
    iso_week_days,
    location_open_minutes,
)


@dataclass(frozen=True)
class WeekShare:
    monday: dt.date
    booked_minutes: int  # the employer's, including this plan
    capacity_minutes: int
    limit_percent: int = 100

    @property
    def week_label(self) -> str:
        year, week, _day = self.monday.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def percent(self) -> int:
        return -(-self.booked_minutes * 100 // self.capacity_minutes)  # rounded up


def _override_allowed(actor, reason: str) -> bool:
    if not reason.strip():
        return False
    if not is_coordinator(actor):
        raise Forbidden(_("Only a coordinator may book beyond the fair share."))
    return True


def fair_share_check(
    *, employer, chains: list[PlannedChain], actor, override_reason: str = ""
) -> list[WeekShare]:
    """The weeks in which the plan takes the employer beyond the limit (empty: within).

    Raises ValidationFailed (``fair_share_exceeded``) naming the limit and the week, unless
    a coordinator gives ``override_reason``: then the weeks beyond are returned for the
    audit."""
    added: dict[tuple, int] = {}
    for chain in chains:
        if chain.bus_visit is not None or chain.location.fair_share_limit >= 100:
            continue
        monday = iso_week_days(chain.start.date())[0]
        minutes = sum((leg.end - leg.start).total_seconds() // 60 for leg in chain.legs)
        key = (chain.location, monday)
        added[key] = added.get(key, 0) + int(minutes)
    beyond = []
    for (location, monday), minutes in sorted(added.items(), key=lambda kv: kv[0][1]):
        sunday = iso_week_days(monday)[1]
        limit = location.fair_share_limit
        capacity = location_open_minutes(location=location, date_from=monday, date_to=sunday)
        booked = minutes + employer_booked_minutes(
            employer_id=employer.pk, location=location, date_from=monday, date_to=sunday
        )
        if capacity and booked * 100 <= capacity * limit:
            continue
        share = WeekShare(monday, booked, capacity, limit)
        if _override_allowed(actor, override_reason):
            beyond.append(share)
            continue
        raise ValidationFailed(
            _(
                "One employer may book at most %(limit)s%% of %(location)s's capacity in a "
                "week. In week %(week)s (from %(monday)s) this booking would take "
                "%(percent)s%% (%(booked)s of %(capacity)s counter minutes)."
            )
            % {
                "limit": limit,
                "location": location.name,
                "week": share.week_label,
                "monday": monday.isoformat(),
                "percent": share.percent if capacity else 100,
                "booked": booked,
                "capacity": capacity,
            },
            code=SchedulingError.FAIR_SHARE_EXCEEDED,
            details={"week": share.week_label, "limit_percent": limit},
        )
    return beyond
