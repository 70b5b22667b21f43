"""Availability benchmark: 3-leg package, next 4 weeks, all desks and the bus, 100k legs.

Prints search_median_ms, search_p95_ms, queries_per_search (and the same count on the
near-empty database, before any leg exists), booking_median_ms, booking_p95_ms; then the
availability API as the load test calls it (bench/load/locustfile.py: one desk, five days,
a random package, a coordinator's token; in-process, no HTTP server): api_median_ms,
api_p95_ms and queries per request, with the availability cache off and on
(scheduling.availability_cache; "on" needs a fast shared cache: REDIS_URL).
Run: .venv/bin/python bench/availability.py [RUNS]
"""

import os
import sys

# bench/queue.py would shadow the standard library's queue module: keep this folder last
# on sys.path (it stays importable for _common).
_BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _BENCH_DIR] + [_BENCH_DIR]

import datetime as dt
import statistics
import time


from _common import bench_database, emit, percentile  # noqa: E402

BENCH = "availability"


def main(runs: int = 30) -> None:
    with bench_database():
        from _common import dataset_build, places_build
        from django.db import connection
        from django.test.utils import CaptureQueriesContext
        from django.utils import timezone

        from scheduling.models import Client, Leg
        from scheduling.selectors.availability import availability_search
        from scheduling.services.booking import appointment_book

        _desks, _bus, services = places_build()
        package = [services["brp"], services["zvw"], services["ind"]]
        today = timezone.localdate()
        window = dict(services=package, date_from=today, date_to=today + dt.timedelta(days=27))

        with CaptureQueriesContext(connection) as empty:
            availability_search(**window)
        data = dataset_build(today=today)
        emit(BENCH, "legs_in_database", Leg.objects.count(), "legs")
        emit(BENCH, "dataset_build_s", round(data["build_s"], 1), "s")

        availability_search(**window)  # warm-up
        timings, query_counts, results = [], [], None
        for _ in range(runs):
            started = time.perf_counter()
            results = availability_search(**window)
            timings.append((time.perf_counter() - started) * 1000)
            # Count queries in a separate run: capturing them slows the cursor down.
            with CaptureQueriesContext(connection) as queries:
                availability_search(**window)
            query_counts.append(len(queries))
        emit(BENCH, "search_median_ms", round(statistics.median(timings), 1), "ms")
        emit(BENCH, "search_p95_ms", round(percentile(timings, 0.95), 1), "ms")
        emit(BENCH, "queries_per_search", max(query_counts), "queries")
        emit(BENCH, "queries_per_search_empty_db", len(empty), "queries")
        emit(BENCH, "offered_start_times", sum(len(r.starts) for r in results), "starts")

        # Booking latency: book offered chains spread over the weeks (each re-checks under lock).
        client = Client.objects.first()
        candidates = [(r, s) for r in results for s in r.starts[::7]]
        step = max(1, len(candidates) // runs)
        booking_ms = []
        for day, start in candidates[::step][:runs]:
            started = time.perf_counter()
            appointment_book(
                client=client,
                location=day.location,
                start=start,
                services=package,
                actor=None,
                bus_visit=day.bus_visit,
            )
            booking_ms.append((time.perf_counter() - started) * 1000)
        emit(BENCH, "booking_median_ms", round(statistics.median(booking_ms), 1), "ms")
        emit(BENCH, "booking_p95_ms", round(percentile(booking_ms, 0.95), 1), "ms")
        api_measure(data, runs=max(runs * 3, 60))


def api_measure(data, runs: int) -> None:
    """The availability API with the load test's parameters, cache off and on."""
    import random

    from django.conf import settings
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from core.roles import Role
    from core.tokens import api_token_create
    from scheduling.services.staff import staff_user_upsert

    user = staff_user_upsert(
        username="bench-coordinator", password="bench-Long-pass-2024", role=Role.COORDINATOR
    )
    client = APIClient(HTTP_AUTHORIZATION=f"Bearer {api_token_create(user=user, name='b')[1]}")
    slugs = [d.slug for d in data["desks"]]
    book_from = data["today"] + dt.timedelta(days=7)

    def request(rng):
        start = book_from + dt.timedelta(days=rng.randint(0, 20))
        response = client.get(
            "/api/v1/availability/",
            {
                "services": rng.choice(["brp,welcome", "zvw", "rni,formhelp", "brp"]),
                "date_from": start.isoformat(),
                "date_to": (start + dt.timedelta(days=4)).isoformat(),
                "location": rng.choice(slugs),
            },
            secure=True,
            HTTP_HOST="localhost",
        )
        assert response.status_code == 200, response.status_code

    cache_backend = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    emit(BENCH, "api_cache_backend", cache_backend, "")
    for label, seconds in (("cache_off", 0), ("cache_on", 30)):
        settings.AVAILABILITY_CACHE_S = seconds
        cache.clear()
        rng = random.Random(7)
        for _ in range(runs // 2):  # warm-up (fills the cache when on)
            request(rng)
        timings, counts = [], []
        for _ in range(runs):
            started = time.perf_counter()
            request(rng)
            timings.append((time.perf_counter() - started) * 1000)
        for _ in range(10):
            with CaptureQueriesContext(connection) as queries:
                request(rng)
            counts.append(len(queries))
        emit(BENCH, f"api_{label}_median_ms", round(statistics.median(timings), 1), "ms")
        emit(BENCH, f"api_{label}_p95_ms", round(percentile(timings, 0.95), 1), "ms")
        emit(BENCH, f"api_{label}_queries_per_request", max(counts), "queries")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
