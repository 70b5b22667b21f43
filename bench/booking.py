"""Benchmark: group booking of 50 workers on a busy day, and (PostgreSQL) 50 racing bookers.

    .venv/bin/python bench/booking.py            # SQLite temp file
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/booking.py

Data: the availability benchmark's dataset (``bench/_common.py``: five desks with 4 counters,
the bus, 100k legs: a year of history and the next 8 weeks at about 70%). Each timed run books
50 workers (mixed nationalities, so 2-4 legs each) at the Breda desk over the next four weeks,
confirmed at once, inside a transaction that is rolled back so every run sees the same state.

Metrics: group50_median_ms, group50_p95_ms (target < 1000 ms); with PostgreSQL also
bookings_made, conflicts_returned, unexpected_errors and overlapping_legs (must be 0) after 50
threads each book a group of 5 at the same desk on the same day (a day just past the busy
weeks, so only some groups fit).
"""

from __future__ import annotations

import os
import sys

# bench/queue.py would shadow the standard library's queue module: keep this folder last
# on sys.path (it stays importable for _common).
_BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _BENCH_DIR] + [_BENCH_DIR]

import datetime as dt
import json
import statistics
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from _common import bench_database, emit, percentile  # noqa: E402

BENCH = "booking"
RUNS = int(os.environ.get("BENCH_RUNS", "15"))
NATIONALITIES = ["PL", "PL", "PL", "RO", "RO", "BG", "HU", "UA", "MA", "IN"]


def build() -> dict:
    """The availability benchmark's dataset plus an employer that books."""
    from _common import dataset_build
    from django.utils import timezone

    from scheduling.models import Employer
    from core.roles import roles_ensure

    roles_ensure()
    today = timezone.localdate()
    data = dataset_build(today=today)
    data["employer"] = Employer.objects.create(
        name="Bench Foods B.V.",
        kvk_number="87654321",
        contact_name="HR",
        contact_email="hr@bench.example",
        billing_email="billing@bench.example",
    )
    first = today + dt.timedelta(days=1)
    data["date_from"], data["date_to"] = first, first + dt.timedelta(days=27)
    # The race day: the first Monday after the 8 busy weeks (open, nothing booked yet).
    race_day = today + dt.timedelta(weeks=8, days=1)
    while race_day.weekday() != 0:
        race_day += dt.timedelta(days=1)
    data["race_day"] = race_day
    return data


def roster(n: int, *, tag: str):
    from scheduling.models import Municipality
    from scheduling.group_booking.roster import RosterWorker

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

    from scheduling.group_booking.services import group_booking_create

    actor = get_user_model().objects.create_user("bench-hr")
    desk = data["desks"][0]
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
                    date_from=data["date_from"],
                    date_to=data["date_to"],
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
    room for only some of them (two registration counters, one day)."""
    from django.contrib.auth import get_user_model
    from django.db import connection, connections

    from core.exceptions import DomainError
    from scheduling.group_booking.services import group_booking_create

    actor = get_user_model().objects.create_user("bench-racer")
    desk = data["desks"][1]
    day = data["race_day"]
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
        emit(BENCH, "legs_in_database", data["legs"], "legs")
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
