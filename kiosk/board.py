"""Selector of the live operations board (coordinators): every location and the bus on one
screen. Reads only, in a fixed number of queries whatever the number of locations:
``schedule_load`` (the planner's own notion of today's opening windows and counters: six
queries) plus two on today's queue tickets.

Per location, now:

- ``waiting``: numbers waiting to be called (held late numbers not included);
- ``longest_wait_minutes``: how long the longest-waiting of them has waited (whole minutes);
- ``counters_serving``: counters with a number called or being served;
- ``counters_open``: counters inside today's opening window now (desk hours; the bus: a
  visit's hours, its counters on board), plus any counter still serving outside it;
- ``counters_idle``: open counters not serving;
- ``no_shows``: numbers of today closed as no-show (at a counter or by the reception);
- ``late``: late arrivals whose numbers wait for the reception's decision.
"""

import datetime as dt
from dataclasses import asdict, dataclass, field

from django.db.models import Count, Min, Q
from django.utils import timezone

from kiosk.constants import AT_COUNTER_STATES, TicketState
from kiosk.models import QueueTicket
from scheduling.constants import LocationKind
from scheduling.selectors.availability import schedule_load

FIGURES = (
    "waiting",
    "longest_wait_minutes",
    "counters_open",
    "counters_serving",
    "counters_idle",
    "no_shows",
    "late",
)


@dataclass
class LocationNow:
    id: int
    name: str
    kind: str
    kind_label: str
    is_open: bool = False
    waiting: int = 0
    longest_wait_minutes: int | None = None
    counters_open: int = 0
    counters_serving: int = 0
    counters_idle: int = 0
    no_shows: int = 0
    late: int = 0
    _open_ids: set[int] = field(default_factory=set, repr=False)
    _serving_ids: set[int] = field(default_factory=set, repr=False)

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if not k.startswith("_")}


def _minutes(seconds: float) -> int:
    return max(int(seconds // 60), 0)


def operations_board(*, now: dt.datetime | None = None) -> dict:
    """Every active location (desks first, then the bus) with today's figures, and totals."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    stamp = now.timestamp()
    schedule = schedule_load(date_from=today, date_to=today, with_bookings=False)
    rows = {
        loc.pk: LocationNow(loc.pk, loc.name, loc.kind, loc.get_kind_display())
        for loc in sorted(
            schedule.locations.values(), key=lambda x: (x.kind != LocationKind.DESK, x.name)
        )
    }
    for place in schedule.places:
        row = rows[place.location.pk]
        if any(lo <= stamp < hi for lo, hi in place.windows):
            row.is_open = True
            row._open_ids.update(place.capabilities)
    tickets = (
        QueueTicket.objects.filter(service_date=today, location_id__in=list(rows))
        .values("location_id")
        .annotate(
            waiting=Count("pk", filter=Q(state=TicketState.WAITING)),
            late=Count("pk", filter=Q(state=TicketState.LATE)),
            no_shows=Count("pk", filter=Q(state=TicketState.NO_SHOW)),
            oldest=Min("waiting_since", filter=Q(state=TicketState.WAITING)),
        )
        .order_by()
    )
    for line in tickets:
        row = rows[line["location_id"]]
        row.waiting, row.late, row.no_shows = line["waiting"], line["late"], line["no_shows"]
        if line["oldest"] is not None:
            row.longest_wait_minutes = _minutes((now - line["oldest"]).total_seconds())
    for location_id, counter_id in (
        QueueTicket.objects.filter(
            service_date=today,
            location_id__in=list(rows),
            state__in=AT_COUNTER_STATES,
            counter__isnull=False,
        )
        .values_list("location_id", "counter_id")
        .order_by()
    ):
        rows[location_id]._serving_ids.add(counter_id)
    for row in rows.values():
        row.counters_serving = len(row._serving_ids)
        row.counters_open = len(row._open_ids | row._serving_ids)
        row.counters_idle = row.counters_open - row.counters_serving
    locations = list(rows.values())
    waits = [r.longest_wait_minutes for r in locations if r.longest_wait_minutes is not None]
    totals = {name: sum(getattr(r, name) or 0 for r in locations) for name in FIGURES}
    totals["longest_wait_minutes"] = max(waits) if waits else None
    return {"now": now, "locations": locations, "totals": totals}
