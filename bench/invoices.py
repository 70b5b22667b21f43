"""Monthly employer invoice run: time and queries for a busy month.

50 employers x 40 closed visits x 2 extra services = 4,000 fee lines in one month.
Prints JSON lines; builds its own throw-away database (SQLite temp file, or a scratch
PostgreSQL database next to DATABASE_URL).
"""

import os
import sys

# bench/queue.py would shadow the standard library's queue module: keep this folder last
# on sys.path (it stays importable for _common).
_BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _BENCH_DIR] + [_BENCH_DIR]

import datetime as dt
import time
from decimal import Decimal

from _common import bench_database, emit

BENCH = "invoices"
EMPLOYERS, VISITS_PER_EMPLOYER = 50, 40


def build():
    from zoneinfo import ZoneInfo

    from counter.models import FeeLine, Tariff, VisitClosure
    from counter.services.setup import counter_setup
    from scheduling.constants import AppointmentStatus, LocationKind
    from scheduling.models import (
        Appointment,
        Client,
        Employer,
        GroupBooking,
        Location,
        Municipality,
        ServiceType,
    )
    from scheduling.services.catalog import service_catalog_ensure
    from scheduling.services.reference import reference_load

    reference_load()
    service_catalog_ensure()
    counter_setup()
    ams = ZoneInfo("Europe/Amsterdam")
    breda = Municipality.objects.get(cbs_code="GM0758")
    loc = Location.objects.create(
        name="Bench desk",
        slug="bench",
        kind=LocationKind.DESK,
        municipality=breda,
        region=breda.region,
    )
    extras = list(ServiceType.objects.filter(code__in=["welcome", "formhelp"]))
    tariffs = {t.service_id: t for t in Tariff.objects.filter(service__in=extras)}
    year, month = 2025, 3
    employers = Employer.objects.bulk_create(
        Employer(
            name=f"Bench {i} B.V.",
            kvk_number=f"{70000000 + i:08d}",
            contact_name="HR",
            contact_email=f"hr{i}@bench.example",
            billing_email=f"billing{i}@bench.example",
        )
        for i in range(EMPLOYERS)
    )
    fee_lines, closures = [], []
    for i, employer in enumerate(employers):
        group = GroupBooking.objects.create(
            employer=employer,
            date_from=dt.date(year, month, 3),
            date_to=dt.date(year, month, 28),
            po_reference=f"PO-{i}",
        )
        clients = Client.objects.bulk_create(
            Client(
                first_name="Worker",
                last_name=f"{i}-{v}",
                birth_date=dt.date(1990, 1, 1),
                nationality="PL",
                expected_stay_months=12,
                municipality_of_residence=breda,
                employer=employer,
            )
            for v in range(VISITS_PER_EMPLOYER)
        )
        start = dt.datetime(year, month, 10, 10, tzinfo=ams)
        appointments = Appointment.objects.bulk_create(
            Appointment(
                client=c,
                location=loc,
                group_booking=group,
                status=AppointmentStatus.COMPLETED,
                start=start,
                end=start + dt.timedelta(hours=1),
            )
            for c in clients
        )
        for appt in appointments:
            closures.append(VisitClosure(appointment=appt))
            for service in extras:
                fee_lines.append(
                    FeeLine(
                        appointment=appt,
                        service=service,
                        tariff=tariffs[service.pk],
                        amount=tariffs[service.pk].amount,
                        payer_employer=employer,
                    )
                )
    VisitClosure.objects.bulk_create(closures)
    FeeLine.objects.bulk_create(fee_lines, batch_size=500)
    FeeLine.objects.update(created_at=dt.datetime(year, month, 10, 12, tzinfo=ams))
    return year, month, len(fee_lines)


def main():
    os.environ["EMAIL_BACKEND"] = "locmem"
    with bench_database("inv"):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from counter.models import FeeLine, Invoice
        from counter.services.invoices import invoice_run

        year, month, n_lines = build()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            invoices = invoice_run(year=year, month=month)
            elapsed = time.perf_counter() - started
        emit(BENCH, "fee_lines", n_lines, "lines")
        emit(BENCH, "invoices_issued", len(invoices), "invoices")
        emit(BENCH, "run_s", round(elapsed, 3), "s")
        emit(
            BENCH, "queries_per_invoice", round(len(queries) / max(len(invoices), 1), 1), "queries"
        )
        started = time.perf_counter()
        again = invoice_run(year=year, month=month)
        emit(BENCH, "rerun_s", round(time.perf_counter() - started, 3), "s")
        emit(BENCH, "rerun_invoices_issued", len(again), "invoices")
        totals = sum(i.total for i in Invoice.objects.all())
        fees = sum(f.amount for f in FeeLine.objects.all())
        emit(BENCH, "total_minus_fee_lines", str(totals - fees), "EUR")
        assert totals - fees == Decimal("0.00")


if __name__ == "__main__":
    main()
