"""Statistics benchmark: the statistics pages over one year of 55,000 registrations.

Builds a throw-away database (SQLite temp file; scratch PostgreSQL when DATABASE_URL is
set) with bulk_create: clients, completed appointments at the five desks and the bus, one
BRP/RNI leg each (done, with service start and finish), its service record, 10% no-shows
in group bookings, a queue ticket and its call (the wait) per visit served. Then opens the statistics page as a coordinator and as a municipality
user (warm, best of 3) and prints:
- stats_page_max_s: the slowest page (target < 1 s on PostgreSQL),
- stats_queries_max: the most queries one page needs (constant, whatever the data).
``STATS_BENCH_N`` sets the number of registrations (default 55,000).
"""

import os
import sys

_BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _BENCH_DIR] + [_BENCH_DIR]

import datetime as dt
import random
import time
from zoneinfo import ZoneInfo

from _common import bench_database, emit

BENCH = "stats"
N = int(os.environ.get("STATS_BENCH_N", "55000"))
YEAR = 2025
AMS = ZoneInfo("Europe/Amsterdam")


def main():
    with bench_database("stats"):
        run()


def build():
    from counter.models import ServiceRecord
    from kiosk.constants import CallAction, TicketPriority, TicketState
    from kiosk.models import CallEvent, QueueTicket
    from scheduling.constants import AppointmentStatus, LegState, LocationKind
    from scheduling.models import (
        Appointment,
        Client,
        Counter,
        Employer,
        GroupBooking,
        Leg,
        Location,
        Municipality,
        ServiceType,
    )
    from scheduling.services.catalog import service_catalog_ensure
    from scheduling.services.reference import reference_load

    reference_load()
    service_catalog_ensure()
    municipalities = list(Municipality.objects.all())
    cores = [m for m in municipalities if m.is_core]
    locations = []
    for i, core in enumerate(cores):
        loc = Location.objects.create(
            name=f"Desk {core.name}",
            slug=f"desk-{i}",
            kind=LocationKind.DESK,
            municipality=core,
            region=core.region,
        )
        counters = [Counter.objects.create(location=loc, name=f"Balie {n}") for n in range(1, 5)]
        locations.append((loc, counters))
    bus = Location.objects.create(
        name="Bus", slug="bus", kind=LocationKind.BUS, municipality=cores[0], region=cores[0].region
    )
    counters = [Counter.objects.create(location=bus, name=f"Bus {n}") for n in range(1, 5)]
    locations.append((bus, counters))
    booked = [0] * len(locations)
    services = {s.code: s for s in ServiceType.objects.filter(code__in=["brp", "rni"])}
    employers = Employer.objects.bulk_create(
        Employer(
            name=f"Employer {i}",
            kvk_number=f"{10000000 + i}",
            contact_name="HR",
            contact_email=f"hr{i}@x.example",
            billing_email=f"b{i}@x.example",
        )
        for i in range(40)
    )
    groups = GroupBooking.objects.bulk_create(
        GroupBooking(
            employer=e,
            reference=f"GB{i:06d}",
            date_from=dt.date(YEAR, 1, 1),
            date_to=dt.date(YEAR, 12, 31),
        )
        for i, e in enumerate(employers)
    )
    rng = random.Random(16)
    nationalities = ["PL", "RO", "BG", "UA", "IN", "PT", "LT"]
    batch = 5000
    for start in range(0, N, batch):
        size = min(batch, N - start)
        clients = Client.objects.bulk_create(
            Client(
                first_name="A",
                last_name="B",
                birth_date=dt.date(1990, 1, 1),
                nationality=rng.choice(nationalities),
                expected_stay_months=rng.choice([3, 12]),
                municipality_of_residence=rng.choice(municipalities),
            )
            for _ in range(size)
        )
        plan = []
        for client in clients:
            # The k-th visit at a location gets its own (day, counter, 20-minute slot): no two
            # legs overlap on a counter (PostgreSQL's exclusion constraint).
            place = rng.randrange(len(locations))
            (loc, counters), k = locations[place], booked[place]
            booked[place] += 1
            day = dt.date(YEAR, 1, 1) + dt.timedelta(days=k % 365)
            counter = counters[k // 365 % len(counters)]
            minutes = 20 * (k // 365 // len(counters))
            at = dt.datetime(day.year, day.month, day.day, 8, tzinfo=AMS)
            at += dt.timedelta(minutes=minutes)
            no_show = rng.random() < 0.1
            plan.append((client, loc, counter, day, at, no_show))
        appointments = Appointment.objects.bulk_create(
            Appointment(
                client=c,
                location=loc,
                start=at,
                end=at + dt.timedelta(minutes=20),
                booking_code=f"S{start + i:09d}",
                group_booking=rng.choice(groups),
                status=AppointmentStatus.NO_SHOW if ns else AppointmentStatus.COMPLETED,
            )
            for i, (c, loc, _counter, _day, at, ns) in enumerate(plan)
        )
        legs = Leg.objects.bulk_create(
            Leg(
                appointment=a,
                position=1,
                counter=p[2],
                service=services["brp" if p[0].expected_stay_months > 4 else "rni"],
                start=p[4],
                end=p[4] + dt.timedelta(minutes=20),
                state=LegState.NOT_DONE if p[5] else LegState.DONE,
                started_at=None if p[5] else p[4] + dt.timedelta(minutes=rng.randrange(0, 30)),
                finished_at=None if p[5] else p[4] + dt.timedelta(minutes=rng.randrange(35, 60)),
            )
            for a, p in zip(appointments, plan, strict=True)
        )
        ServiceRecord.objects.bulk_create(
            ServiceRecord(
                leg=leg,
                outcome="completed",
                registration_kind="brp" if p[0].expected_stay_months > 4 else "rni",
                registration_date=p[3],
                residence_municipality=p[0].municipality_of_residence,
                performing_municipality=p[1].municipality,
            )
            for leg, p in zip(legs, plan, strict=True)
            if not p[5]
        )
        served = [(leg, p) for leg, p in zip(legs, plan, strict=True) if not p[5]]
        tickets = QueueTicket.objects.bulk_create(
            QueueTicket(
                location=p[1],
                service_date=p[3],
                prefix="B",
                number=start + i + 1,
                code="B000",
                appointment=leg.appointment,
                priority=TicketPriority.BOOKED,
                state=TicketState.DONE,
                leg=leg,
                counter=p[2],
                issued_at=p[4] - dt.timedelta(minutes=10),
                waiting_since=p[4] - dt.timedelta(minutes=10),
                done_at=leg.finished_at,
            )
            for i, (leg, p) in enumerate(served)
        )
        CallEvent.objects.bulk_create(
            CallEvent(
                ticket=t,
                counter=p[2],
                leg=leg,
                action=CallAction.CALL,
                at=leg.started_at,
                wait_seconds=int((leg.started_at - t.waiting_since).total_seconds()),
            )
            for t, (leg, p) in zip(tickets, served, strict=True)
        )
    return cores[0]


def analyze():
    """Planner statistics after the bulk load, as a live database keeps them (autovacuum)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    best, queries = None, 0
    for _ in range(3):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url, secure=True)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        best = elapsed if best is None else min(best, elapsed)
        queries = len(ctx.captured_queries)
    return best, queries


def tables_time():
    """Each table's build time for the whole year (coordinator), slowest first (stderr)."""
    from core.stats import Period, StatsScope, statistics_table_paths
    from django.utils.module_loading import import_string

    period, times = Period(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)), []
    for path in statistics_table_paths():
        started = time.perf_counter()
        import_string(path)(period=period, scope=StatsScope())
        times.append((time.perf_counter() - started, path))
    for seconds, path in sorted(times, reverse=True):
        print(f"  {seconds:.3f} s  {path}", file=sys.stderr)


def run():
    from django.test import Client

    from core.roles import Role, roles_ensure
    from scheduling.services.staff import staff_user_upsert

    started = time.perf_counter()
    municipality = build()
    roles_ensure()
    analyze()
    build_s = time.perf_counter() - started
    url = f"/statistics/?from={YEAR}-01-01&to={YEAR}-12-31"
    results = []
    for role, tie in ((Role.COORDINATOR, {}), (Role.MUNICIPALITY, {"municipality": municipality})):
        user = staff_user_upsert(
            username=f"bench-{role}", password="pw-bench-123", role=role, **tie
        )
        client = Client(SERVER_NAME="localhost")
        client.force_login(user)
        results.append(measure(client, url))
    tables_time()
    emit(BENCH, "registrations", N, "count")
    emit(BENCH, "build_s", round(build_s, 1), "s")
    emit(BENCH, "stats_page_max_s", round(max(r[0] for r in results), 3), "s")
    emit(BENCH, "stats_queries_max", max(r[1] for r in results), "queries")


if __name__ == "__main__":
    main()
