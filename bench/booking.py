"""Benchmark: group booking of 50 workers on a busy day, and (PostgreSQL) 50 racing bookers.

    .venv/bin/python bench/booking.py            # SQLite temp file
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/booking.py

Data: the five demo desks (4 counters each), Mon-Fri 9-17, with the next four weeks booked to
about 70% by single visits (plus a year of history on PostgreSQL-sized runs is not needed for
a booking: only the planned range is read). Each timed run books 50 workers (mixed
nationalities, so 2-4 legs each) at one desk over the four-week range, confirmed at once, inside
a transaction that is rolled back so every run sees the same busy state.

Metrics: group50_median_ms, group50_p95_ms (target < 1000 ms); with PostgreSQL also
bookings_made, conflicts_returned and overlapping_legs (must be 0) after 50 threads each
book a group of 5 on the same day at the same desk.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

try:  # the shared helpers of issue 3's availability benchmark, when present
    from _common import bench_database, emit, percentile
except ImportError:  # pragma: no cover - standalone fallback

    def emit(bench: str, metric: str, value, unit: str) -> None:
        print(json.dumps({"bench": bench, "metric": metric, "value": value, "unit": unit}))

    def percentile(values: list[float], p: float) -> float:
        ordered = sorted(values)
        k = (len(ordered) - 1) * p
        lo = int(k)
        hi = min(lo + 1, len(ordered) - 1)
        return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)

    @contextmanager
    def bench_database():
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bmip.settings")
        os.environ.setdefault("SECRET_KEY", "bench-only-secret")
        os.environ["DEBUG"] = "0"
        os.environ.setdefault("ALLOWED_HOSTS", "localhost")
        os.environ.setdefault("LOG_LEVEL", "WARNING")
        url = os.environ.get("DATABASE_URL", "")
        scratch, tmpdir = None, None
        if url.startswith(("postgres://", "postgresql://")):
            import psycopg

            base, _, _name = url.rpartition("/")
            scratch = f"bmip_bench_booking_{os.getpid()}"
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{scratch}"')
                conn.execute(f'CREATE DATABASE "{scratch}"')
            os.environ["DATABASE_URL"] = f"{base}/{scratch}"
        else:
            tmpdir = tempfile.mkdtemp(prefix="bmip-bench-")
            os.environ["DATABASE_URL"] = f"sqlite:///{tmpdir}/bench.sqlite3"
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        try:
            call_command("migrate", verbosity=0, interactive=False)
            yield
        finally:
            connections.close_all()
            if scratch:
                import psycopg

                with psycopg.connect(url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
                os.environ["DATABASE_URL"] = url
            if tmpdir:
                shutil.rmtree(tmpdir, ignore_errors=True)


BENCH = "booking"
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
AMS = None
NATIONALITIES = ["PL", "PL", "PL", "RO", "RO", "BG", "HU", "UA", "MA", "IN"]
DESKS = [
    ("Breda", "GM0758", True),
    ("Tilburg", "GM0855", False),
    ("'s-Hertogenbosch", "GM0796", False),
    ("Eindhoven", "GM0772", True),
    ("Helmond", "GM0794", False),
]
LAYOUT = {
    "Balie 1": ["brp", "rni", "welcome"],
    "Balie 2": ["brp", "rni", "formhelp"],
    "Balie 3": ["zvw", "toeslagen", "twv"],
    "Balie 4": ["ind", "twv", "zvw"],
}


def build() -> dict:
    """Desks with counters and hours, an employer and four weeks booked to about 70%."""
    from zoneinfo import ZoneInfo

    from scheduling.constants import AppointmentStatus, LocationKind
    from scheduling.models import (
        Appointment,
        Client,
        Counter,
        Employer,
        Leg,
        Location,
        Municipality,
        OpeningHours,
        ServiceType,
    )
    from scheduling.roles import roles_ensure
    from scheduling.services.catalog import service_catalog_ensure
    from scheduling.services.reference import reference_load

    global AMS
    AMS = ZoneInfo("Europe/Amsterdam")
    reference_load()
    service_catalog_ensure()
    roles_ensure()
    services = {s.code: s for s in ServiceType.objects.all()}
    desks = []
    for name, cbs, rni in DESKS:
        muni = Municipality.objects.get(cbs_code=cbs)
        loc = Location.objects.create(
            name=f"BMIP {name}",
            slug=f"bench-{cbs.lower()}",
            kind=LocationKind.DESK,
            municipality=muni,
            region=muni.region,
            address="Stationsplein 1",
            city=muni.name,
            is_rni_desk=rni,
            rni_non_eu_allowed=rni,
        )
        for weekday in range(5):
            OpeningHours.objects.create(
                location=loc, weekday=weekday, opens=dt.time(9), closes=dt.time(17)
            )
        for cname, codes in LAYOUT.items():
            counter = Counter.objects.create(location=loc, name=cname)
            counter.services.set([services[c] for c in codes])
        desks.append(loc)
    employer = Employer.objects.create(
        name="Bench Foods B.V.",
        kvk_number="87654321",
        contact_name="HR",
        contact_email="hr@bench.example",
        billing_email="billing@bench.example",
    )
    residence = Municipality.objects.get(cbs_code="GM0826")
    rng = random.Random(7)
    today = dt.date.today()
    first = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)  # next Monday
    days = [
        first + dt.timedelta(days=i)
        for i in range(28)
        if (first + dt.timedelta(days=i)).weekday() < 5
    ]
    # Busy: each counter's day is 15-minute slots, 70% of them taken at random.
    clients = Client.objects.bulk_create(
        Client(
            first_name=f"P{i}",
            last_name="Bench",
            birth_date=dt.date(1990, 1, 1),
            nationality="PL",
            expected_stay_months=12,
            municipality_of_residence=residence,
        )
        for i in range(200)
    )
    appointments, legs_spec = [], []
    for loc in desks:
        counters = list(loc.counters.all())
        for day in days:
            for counter in counters:
                service = services[LAYOUT[counter.name][0]]
                t = dt.datetime.combine(day, dt.time(9), AMS)
                close = dt.datetime.combine(day, dt.time(17), AMS)
                while t + dt.timedelta(minutes=15) <= close:
                    if rng.random() < 0.7:
                        end = t + dt.timedelta(minutes=15)
                        appointments.append(
                            Appointment(
                                client=rng.choice(clients),
                                location=loc,
                                status=AppointmentStatus.BOOKED,
                                start=t,
                                end=end,
                            )
                        )
                        legs_spec.append((counter, service, t, end))
                    t += dt.timedelta(minutes=15)
    Appointment.objects.bulk_create(appointments, batch_size=2000)
    Leg.objects.bulk_create(
        (
            Leg(appointment=a, position=1, service=s, counter=c, start=lo, end=hi)
            for a, (c, s, lo, hi) in zip(appointments, legs_spec, strict=True)
        ),
        batch_size=2000,
    )
    return {"desks": desks, "employer": employer, "days": days, "legs": len(legs_spec)}


def roster(n: int, *, tag: str):
    from scheduling.models import Municipality
    from scheduling.services.roster import RosterWorker

    residence = Municipality.objects.get(cbs_code="GM0826")
    return [
        RosterWorker(
            first_name=f"W{tag}{i}",
            last_name="Bench",
            birth_date=dt.date(1980, 1, 1) + dt.timedelta(days=i),
            nationality=NATIONALITIES[i % len(NATIONALITIES)],
            expected_stay_months=12,
            municipality_of_residence=residence,
            language="pl",
            row=i + 1,
        )
        for i in range(n)
    ]


class _Rollback(Exception):
    pass


def time_group50(data) -> list[float]:
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from scheduling.services.group_booking import group_booking_create

    actor = get_user_model().objects.create_user("bench-hr")
    desk = data["desks"][0]
    days = data["days"]
    workers = roster(50, tag="g")
    timings = []
    for _run in range(RUNS):
        started = time.perf_counter()
        try:
            with transaction.atomic():
                group = group_booking_create(
                    employer=data["employer"],
                    actor=actor,
                    workers=workers,
                    location=desk,
                    date_from=days[0],
                    date_to=days[-1],
                    confirm=True,
                )
                elapsed = (time.perf_counter() - started) * 1000
                assert group.appointments.count() == 50
                raise _Rollback
        except _Rollback:
            timings.append(elapsed)
    return timings


def race(data) -> dict:
    """50 threads, each booking a group of 5 at the same desk on the same day, a day with
    room for only some of them (the Monday after the busy range: about 6 groups fit)."""
    from django.contrib.auth import get_user_model
    from django.db import connection, connections

    from scheduling.exceptions import DomainError
    from scheduling.services.group_booking import group_booking_create

    actor = get_user_model().objects.create_user("bench-racer")
    desk = data["desks"][1]
    day = data["days"][-1] + dt.timedelta(days=3)
    results = {"made": 0, "conflicts": 0, "errors": []}
    lock = threading.Lock()
    barrier = threading.Barrier(50)

    def booker(i: int):
        try:
            barrier.wait()
            group_booking_create(
                employer=data["employer"],
                actor=actor,
                workers=roster(5, tag=f"r{i}-"),
                location=desk,
                date_from=day,
                date_to=day,
                confirm=True,
            )
            with lock:
                results["made"] += 1
        except DomainError as exc:
            with lock:
                results["conflicts"] += 1
                results.setdefault("codes", {}).setdefault(exc.code, 0)
                results["codes"][exc.code] += 1
        except Exception as exc:  # noqa: BLE001 - reported, must be none
            with lock:
                results["errors"].append(repr(exc)[:200])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=booker, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM scheduling_leg a JOIN scheduling_leg b
              ON a.counter_id = b.counter_id AND a.id < b.id
             AND a.start < b."end" AND b.start < a."end"
             WHERE a.state <> 'cancelled' AND b.state <> 'cancelled'
            """
        )
        overlapping = cursor.fetchone()[0]
    return {**results, "overlapping": overlapping}


def main() -> None:
    with bench_database():
        from django.db import connection

        data = build()
        emit(BENCH, "busy_legs", data["legs"], "legs")
        timings = time_group50(data)
        emit(BENCH, "group50_median_ms", round(statistics.median(timings), 1), "ms")
        emit(BENCH, "group50_p95_ms", round(percentile(timings, 0.95), 1), "ms")
        if connection.vendor == "postgresql":
            result = race(data)
            emit(BENCH, "bookings_made", result["made"], "groups")
            emit(BENCH, "conflicts_returned", result["conflicts"], "groups")
            emit(BENCH, "unexpected_errors", len(result["errors"]), "errors")
            emit(BENCH, "overlapping_legs", result["overlapping"], "pairs")
            print(
                json.dumps({"bench": BENCH, "conflict_codes": result.get("codes", {})}),
                file=sys.stderr,
            )
            for error in result["errors"][:3]:
                print(json.dumps({"bench": BENCH, "error": error}), file=sys.stderr)


if __name__ == "__main__":
    main()
