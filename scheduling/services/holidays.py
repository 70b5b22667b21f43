"""Dutch public holidays offered as closures that a coordinator confirms.

The holidays come from ``core.calendar``; Good Friday and Liberation Day (5 May) are
not general days off for a desk, so neither is proposed (docs/domain.md: closures are configurable per
location; a coordinator adds them by hand where a desk does close). Weekend holidays
(Easter Sunday, Whit Sunday) are proposed too: harmless, and right for a desk open on Sundays.
Proposals are unconfirmed closures (``source=holiday``): they close nothing until confirmed.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from core.audit import audit_log
from core.calendar import desk_holiday_proposals
from scheduling.constants import ClosureSource
from scheduling.models import Closure, Location


def public_holidays(year: int) -> list[tuple[dt.date, str]]:
    """The Dutch public holidays of a year proposed as desk closures, with their Dutch names."""
    return desk_holiday_proposals(year)


@transaction.atomic
def holiday_closures_propose(
    *, year: int, actor, locations: Iterable[Location] | None = None
) -> list[Closure]:
    """Create unconfirmed holiday closures for each active location (idempotent)."""
    targets = (
        list(locations) if locations is not None else list(Location.objects.filter(is_active=True))
    )
    days = public_holidays(year)
    existing = set(
        Closure.objects.filter(
            location__in=targets,
            source=ClosureSource.HOLIDAY,
            date_from__year=year,
        ).values_list("location_id", "date_from")
    )
    created = Closure.objects.bulk_create(
        [
            Closure(
                location=location,
                date_from=day,
                date_to=day,
                reason=name,
                source=ClosureSource.HOLIDAY,
                confirmed=False,
            )
            for location in targets
            for day, name in days
            if (location.pk, day) not in existing
        ]
    )
    if created:
        audit_log(
            actor=actor,
            action="closure.holidays_proposed",
            object_type="scheduling.closure",
            year=year,
            count=len(created),
            locations=sorted(loc.pk for loc in targets),
        )
    return created


@transaction.atomic
def closures_confirm(*, closures: Iterable[Closure], actor) -> int:
    """Confirm proposed closures: from now on they close their location."""
    count = 0
    for closure in Closure.objects.select_for_update().filter(
        pk__in=[c.pk for c in closures], confirmed=False
    ):
        closure.confirmed = True
        closure.save(update_fields=["confirmed"])
        audit_log(
            actor=actor,
            action="closure.confirm",
            obj=closure,
            location=closure.location_id,
            date_from=closure.date_from.isoformat(),
        )
        count += 1
    return count
