"""Activities: register groups of 50 for a 300-place welcome day (group50_register_ms, target
< 1000 ms; median of five groups, each with its fee lines and audit entry). claims_year_s
(the government claim statements) is not built yet: see docs/activities.md."""

from __future__ import annotations

import os
import sys

# bench/queue.py would shadow the standard library's queue module: keep this folder last.
_BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _BENCH_DIR] + [_BENCH_DIR]

import datetime as dt  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from decimal import Decimal  # noqa: E402

from _common import bench_database, emit, percentile  # noqa: E402


def main() -> None:
    with bench_database("activities"):
        from django.utils import timezone

        from activities.constants import ActivityKind, ParticipantKind
        from activities.models import Activity, Session
        from activities.services.fees import activity_fee_create
        from activities.services.registration import ParticipantIn, registration_create
        from scheduling.models import Employer, Location, Municipality
        from scheduling.services.catalog import service_catalog_ensure
        from scheduling.services.reference import reference_load

        reference_load()
        service_catalog_ensure()
        location = Location.objects.create(
            name="Bench desk",
            slug="bench",
            kind="desk",
            municipality=(m := Municipality.objects.first()),
            region=m.region,
        )
        employer = Employer.objects.create(
            name="Bench B.V.", kvk_number="99999999", billing_email="b@example.com"
        )
        activity = Activity.objects.create(kind=ActivityKind.WELCOME_DAY, title="Welcome day")
        activity_fee_create(
            activity=activity,
            adult_amount=Decimal("35.00"),
            child_amount=Decimal("0.00"),
            valid_from=dt.date(2020, 1, 1),
            actor=None,
        )
        session = Session.objects.create(
            activity=activity,
            date=timezone.localdate() + dt.timedelta(days=30),
            start_time=dt.time(10),
            end_time=dt.time(15),
            location=location,
            capacity=300,
        )
        timings = []
        for g in range(5):
            group = [ParticipantIn(ParticipantKind.WORKER, f"W{g}-{i}", "Bench") for i in range(50)]
            start = time.perf_counter()
            registration = registration_create(
                session=session, participants=group, actor=None, employer=employer
            )
            timings.append((time.perf_counter() - start) * 1000)
            assert registration.state == "confirmed"
        emit("activities", "group50_register_ms", round(statistics.median(timings), 1), "ms")
        emit("activities", "group50_register_p95_ms", round(percentile(timings, 0.95), 1), "ms")


if __name__ == "__main__":
    main()
