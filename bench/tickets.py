"""Benchmark: ticket PDFs.

One ticket PDF (warm) median and p95 in ms, a 50-ticket group PDF (cover + 50 pages) in
seconds, and the QR token's length and QR version; ``machine_calibration_start_ms`` and
``_end_ms`` time a fixed workload before and after (figures of a shared machine are only
comparable at a similar calibration). After the warm-up the heap is frozen as a gunicorn
worker's is (deploy/gunicorn.conf.py, ``pre_fork``). Builds its own throw-away database:
a SQLite temp file, or a scratch PostgreSQL database when DATABASE_URL is set.

    .venv/bin/python bench/tickets.py
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
from zoneinfo import ZoneInfo

from _common import (
    bench_database,
    emit,
    machine_calibration,
    percentile,
    timed,
    worker_heap_freeze,
)

BENCH = "tickets"
AMS = ZoneInfo("Europe/Amsterdam")
SINGLE_RUNS = 40
GROUP_SIZE = 50


def main() -> None:
    os.environ.setdefault("DEBUG", "1")
    with bench_database("tickets", debug=None, scratch_media=True):
        run()


def run() -> None:
    from django.utils import translation

    import scheduling.tickets.services as _st
    from scheduling.constants import LocationKind
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

    group_tickets_pdf, ticket_pdf_for_appointment = (
        _st.group_tickets_pdf,
        _st.ticket_pdf_for_appointment,
    )
    from scheduling.tickets.pdf import ticket_view_build

    reference_load()
    service_catalog_ensure()
    muni = Municipality.objects.get(cbs_code="GM0758")
    desk = Location.objects.create(
        name="Bench desk",
        slug="bench",
        kind=LocationKind.DESK,
        municipality=muni,
        region=muni.region,
        address="Claudius Prinsenlaan 10",
        postcode="4811 DJ",
        city="Breda",
    )
    services = {s.code: s for s in ServiceType.objects.all()}
    counters = []
    for i, codes in enumerate([["brp"], ["zvw"], ["ind"]]):
        counter = Counter.objects.create(location=desk, name=f"Balie {i + 1}")
        counter.services.set([services[c] for c in codes])
        counters.append(counter)
    employer = Employer.objects.create(
        name="Bench B.V.",
        kvk_number="12345678",
        contact_name="HR",
        contact_email="hr@bench.example",
        billing_email="b@bench.example",
    )
    day = dt.date.today() + dt.timedelta(days=14)
    group = GroupBooking.objects.create(
        employer=employer, location=desk, date_from=day, date_to=day
    )
    languages = ["pl", "ro", "bg", "hu", "nl", "en", "lt", "uk"]
    for i in range(GROUP_SIZE):
        non_eu = i % 5 == 0
        client = Client.objects.create(
            first_name=f"Worker{i}",
            last_name="Bench",
            birth_date=dt.date(1990, 1, 1),
            nationality="UA" if non_eu else "PL",
            language=languages[i % len(languages)],
            interpreter_needed=i % 7 == 0,
            expected_stay_months=12,
            municipality_of_residence=muni,
            employer=employer,
        )
        # Twenty visits a day, 20 minutes apart: no two legs on one counter overlap.
        visit_day = day + dt.timedelta(days=i // 20)
        start = dt.datetime.combine(visit_day, dt.time(8), tzinfo=AMS) + dt.timedelta(
            minutes=20 * (i % 20)
        )
        appt = Appointment.objects.create(
            client=client,
            location=desk,
            group_booking=group,
            start=start,
            end=start + dt.timedelta(minutes=70),
        )
        codes = ["brp", "zvw", "ind"] if non_eu else ["brp", "zvw"]
        Leg.objects.bulk_create(
            Leg(
                appointment=appt,
                position=n + 1,
                service=services[code],
                counter=counters[n],
                start=start + dt.timedelta(minutes=25 * n),
                end=start + dt.timedelta(minutes=25 * n + 20),
            )
            for n, code in enumerate(codes)
        )

    machine_calibration(BENCH, "start")
    one = Appointment.objects.filter(group_booking=group, client__language="bg").first()
    ticket_pdf_for_appointment(appointment=one, fmt="a4", actor=None)  # warm-up (fonts, CSS)
    worker_heap_freeze()
    timings, cpu, pdf = timed(
        lambda: ticket_pdf_for_appointment(appointment=one, fmt="a4", actor=None), SINGLE_RUNS
    )
    assert pdf.startswith(b"%PDF")
    emit(BENCH, "ticket_pdf_median_ms", round(statistics.median(timings), 1), "ms")
    emit(BENCH, "ticket_pdf_p95_ms", round(percentile(timings, 0.95, "lower"), 1), "ms")
    # CPU time of this process: shows the cost when the machine is shared (wall time inflates).
    emit(BENCH, "ticket_pdf_cpu_median_ms", round(statistics.median(cpu), 1), "ms")

    with translation.override("nl"):
        t0, c0 = time.perf_counter(), time.process_time()
        pdf = group_tickets_pdf(group=group, actor=None)
        elapsed = time.perf_counter() - t0
        elapsed_cpu = time.process_time() - c0
    import io

    import pypdf

    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert pages >= GROUP_SIZE + 1, pages  # the 50-row cover sheet may take two pages
    emit(BENCH, "group50_pdf_s", round(elapsed, 2), "s")
    emit(BENCH, "group50_pdf_cpu_s", round(elapsed_cpu, 2), "s")
    emit(BENCH, "group50_pdf_kb", round(len(pdf) / 1024), "KiB")

    view = ticket_view_build(one)
    emit(BENCH, "token_length", len(view.token), "chars")
    emit(BENCH, "qr_version", view.qr_version, "version")
    machine_calibration(BENCH, "end")


if __name__ == "__main__":
    main()
