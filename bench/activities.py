"""Activities: register groups of 50 for a 300-place welcome day (group50_register_ms, target
< 1000 ms; median of five groups, each with its fee lines and audit entry) and issue the
government claim statements of a year of 55,000 registrations (claims_year_s, target < 2 s):
government split 50/25/25 with the municipal share to the client's municipality of
residence, so three claim lines per registration (165,000 lines), issued quarter by quarter.
The lines are bulk-created; they point at a pool of real visits and funded services (the
issue reads lines, not visits, so the pool size does not change the timing)."""

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
        claims_year(location)


def claims_year(location) -> None:
    import random

    from counter.models import FinancingVariant, FundedService, MunicipalBasis
    from counter.services.financing import financing_choice_create, region_municipalities
    from scheduling.models import ServiceType
    from settlement.models import ClaimLine, ClaimStatement
    from settlement.services.claims import claim_quarter_issue, claim_reference
    from tests import factories

    year = dt.date.today().year - 1
    choice = financing_choice_create(
        region=location.region,
        variant=FinancingVariant.GOVERNMENT_SPLIT,
        municipal_basis=MunicipalBasis.RESIDENCE,
        valid_from=dt.date(year, 1, 1),
        actor=None,
    )
    service = ServiceType.objects.filter(kind="extra").first()
    municipalities = list(region_municipalities(location.region))
    pool = []
    for i in range(200):
        appointment = factories.appointment(
            loc=location,
            start=factories.aware(dt.date(year, 1 + i % 12, 1 + i % 28), 10),
            codes=["brp"],
            cl=factories.client(first_name=f"C{i}"),
        )
        pool.append(
            FundedService.objects.create(
                appointment=appointment,
                service=service,
                financing=choice,
                amount=Decimal("50.00"),
                service_date=dt.date(year, 1, 1),
            )
        )
    rng = random.Random(18)
    start_day = dt.date(year, 1, 1)
    lines = []
    for n in range(55_000):
        funded = pool[n % len(pool)]
        day = start_day + dt.timedelta(days=rng.randrange(365))
        municipality = rng.choice(municipalities)
        common = {
            "variant": choice.variant,
            "reference": claim_reference("V", 10_000_000 + n),
            "service_date": day,
            "appointment_id": funded.appointment_id,
            "funded_service": funded,
            "financing": choice,
        }
        lines += [
            ClaimLine(party="state", party_key="state", amount=Decimal("25.00"), **common),
            ClaimLine(party="province", party_key="province", amount=Decimal("12.50"), **common),
            ClaimLine(
                party="municipality",
                municipality=municipality,
                party_key=municipality.cbs_code,
                amount=Decimal("12.50"),
                **common,
            ),
        ]
    ClaimLine.objects.bulk_create(lines, batch_size=5000)
    started, cpu = time.perf_counter(), time.process_time()
    for quarter in range(1, 5):
        claim_quarter_issue(quarter=f"{year}-Q{quarter}", actor=None)
    emit("activities", "claims_year_s", round(time.perf_counter() - started, 2), "s")
    # This process's CPU time (the database server's is not in it): less sensitive to load.
    emit("activities", "claims_year_cpu_s", round(time.process_time() - cpu, 2), "s")
    total = sum(ClaimStatement.objects.values_list("total", flat=True), Decimal(0))
    emit("activities", "claims_year_total_eur", float(total), "EUR")


if __name__ == "__main__":
    main()
