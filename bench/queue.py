"""Queue benchmark: a busy day at one desk with 20 counters and 400 checked-in visits of
2-3 legs.

Phase 1 (latency, one thread): check in 400 visits (``checkin_median_ms``), then serve the
whole day round-robin over the 20 counters, timing every call-next
(``call_next_median_ms``, ``call_next_p95_ms``).
Phase 2 (correctness under concurrency): a second desk, 400 visits checked in by 20 threads
at once, then 20 counter threads serving the day concurrently. Prints ``duplicate_calls``
(the same person called for the same leg twice, must be 0) and ``number_gaps`` (missing or
doubled queue numbers, must be 0). On SQLite the threads serialise on the write lock; on
PostgreSQL (DATABASE_URL set) they really run in parallel.

Builds its own throw-away database: a temporary SQLite file, or a scratch PostgreSQL
database created next to the one in DATABASE_URL and dropped afterwards.
"""

import os
import sys

# This file is named queue.py: keep its folder off sys.path so it does not shadow the
# standard library's ``queue`` module (used by concurrent.futures, asgiref, ...).
_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _HERE]

import datetime as dt  # noqa: E402
import statistics  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The bench folder is off sys.path (see above): reach the shared helpers through the
# project root, as the (namespace) package ``bench``.
from bench._common import bench_database, emit, percentile  # noqa: E402

BENCH = "queue"
VISITS = 400
COUNTERS = 20
THREADS = 20


def build_desk(slug: str):
    from kiosk.models import KioskSettings
    from scheduling.constants import LocationKind
    from scheduling.models import Counter, Location, Municipality, ServiceType

    muni = Municipality.objects.get(cbs_code="GM0758")
    desk = Location.objects.create(
        name=f"Bench {slug}",
        slug=slug,
        kind=LocationKind.DESK,
        municipality=muni,
        region=muni.region,
    )
    # Wide windows: every visit of the day may check in now.
    KioskSettings.objects.create(location=desk, early_minutes=1440, late_minutes=1440)
    services = {s.code: s for s in ServiceType.objects.all()}
    layout = [("brp",)] * 8 + [("zvw",)] * 8 + [("ind", "twv")] * 4
    for i, codes in enumerate(layout[:COUNTERS]):
        counter = Counter.objects.create(location=desk, name=f"Balie {i + 1:02d}")
        counter.services.set([services[c] for c in codes])
    return desk


def build_visits(desk, count: int):
    """``count`` booked visits today, 2 or 3 legs each (every third visit needs the IND)."""
    from django.utils import timezone

    from scheduling.constants import AppointmentStatus, LegState
    from scheduling.models import Appointment, Client, Leg, ServiceType

    services = {s.code: s for s in ServiceType.objects.all()}
    # All visits on today's date, even when the bench runs late in the evening: the kiosk
    # refuses a booking of another day, and the wide windows accept earlier starts.
    day_end = dt.datetime.combine(
        timezone.localdate(), dt.time(23, 59), tzinfo=timezone.get_current_timezone()
    )
    now = min(timezone.now(), day_end - dt.timedelta(seconds=10 * count, minutes=90))
    clients = Client.objects.bulk_create(
        Client(
            first_name=f"W{i}",
            last_name="Bench",
            birth_date=dt.date(1990, 1, 1),
            nationality="PL" if i % 3 else "UA",
            expected_stay_months=12,
            municipality_of_residence=desk.municipality,
        )
        for i in range(count)
    )
    appointments = Appointment.objects.bulk_create(
        Appointment(
            client=c,
            location=desk,
            status=AppointmentStatus.BOOKED,
            start=now + dt.timedelta(seconds=10 * i),
            end=now + dt.timedelta(seconds=10 * i, minutes=45),
            booking_code=f"B{desk.slug[-1].upper()}{i:06d}",
        )
        for i, c in enumerate(clients)
    )
    legs = []
    for i, appt in enumerate(appointments):
        codes = ["brp", "zvw"] + (["ind"] if i % 3 == 0 else [])
        for pos, code in enumerate(codes):
            start = appt.start + dt.timedelta(minutes=15 * pos)
            legs.append(
                Leg(
                    appointment=appt,
                    position=pos + 1,
                    service=services[code],
                    start=start,
                    end=start + dt.timedelta(minutes=15),
                    state=LegState.PLANNED,
                )
            )
    Leg.objects.bulk_create(legs)
    return appointments


def serve_round_robin(counters, timings):
    from kiosk.constants import OPEN_TICKET_STATES, TicketState
    from kiosk.models import QueueTicket
    from kiosk.services.calls import (
        counter_current_ticket,
        ticket_call_next,
        ticket_finish,
        ticket_start,
    )
    from core.exceptions import NotFound

    location = counters[0].location
    while QueueTicket.objects.filter(location=location, state__in=OPEN_TICKET_STATES).exists():
        for counter in counters:
            current = counter_current_ticket(counter)
            if current is None:
                t0 = time.perf_counter()
                try:
                    ticket_call_next(counter=counter, actor=None)
                except NotFound:
                    continue
                timings.append((time.perf_counter() - t0) * 1000)
            elif current.state == TicketState.CALLED:
                ticket_start(counter=counter, actor=None)
            else:
                ticket_finish(counter=counter, actor=None)


def serve_concurrently(counters, timings, errors, deadline_s=900):
    """20 counter threads serve the day at once. Each thread drives only its own counter:
    call next -> start -> finish, retrying an action that lost a lock race (Busy)."""
    from django.db import OperationalError, connections

    from kiosk.constants import OPEN_TICKET_STATES, TicketState
    from kiosk.models import QueueTicket
    from kiosk.services.calls import (
        counter_current_ticket,
        ticket_call_next,
        ticket_finish,
        ticket_start,
    )
    from core.exceptions import Busy, NotFound

    location = counters[0].location
    barrier = threading.Barrier(len(counters))
    lock = threading.Lock()
    stop = threading.Event()
    deadline = time.monotonic() + deadline_s

    def work(counter):
        try:
            barrier.wait()
            while not stop.is_set():
                if time.monotonic() > deadline:
                    errors.append("deadline exceeded")
                    stop.set()
                    return
                try:
                    current = counter_current_ticket(counter)
                    if current is None:
                        t0 = time.perf_counter()
                        try:
                            ticket_call_next(counter=counter, actor=None)
                        except NotFound:
                            if not QueueTicket.objects.filter(
                                location=location, state__in=OPEN_TICKET_STATES
                            ).exists():
                                return
                            time.sleep(0.01)
                            continue
                        with lock:
                            timings.append((time.perf_counter() - t0) * 1000)
                    elif current.state == TicketState.CALLED:
                        ticket_start(counter=counter, actor=None)
                    else:
                        ticket_finish(counter=counter, actor=None)
                except (Busy, OperationalError):
                    time.sleep(0.01)  # lost a lock race: try again
        except Exception as exc:  # noqa: BLE001 - reported, and the other threads stop
            errors.append(repr(exc))
            print(f"worker {counter.name}: {exc!r}", file=sys.stderr, flush=True)
            stop.set()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(c,)) for c in counters]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def check_in_concurrently(desk, appointments, errors):
    from django.db import connections

    from kiosk.services.tickets import kiosk_check_in
    from scheduling.tokens import ticket_token_make

    tokens = [ticket_token_make(a) for a in appointments]
    chunks = [tokens[i::THREADS] for i in range(THREADS)]
    barrier = threading.Barrier(THREADS)

    def work(chunk):
        try:
            barrier.wait()
            for token in chunk:
                kiosk_check_in(location=desk, token=token)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(c,)) for c in chunks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def count_problems(desk) -> tuple[int, int]:
    from django.db.models import Count, Exists, OuterRef

    from kiosk.constants import CallAction
    from kiosk.models import CallEvent, QueueTicket

    undone = CallEvent.objects.filter(undoes=OuterRef("pk"))
    duplicates = sum(
        row["n"] - 1
        for row in CallEvent.objects.filter(ticket__location=desk, action=CallAction.CALL)
        .filter(~Exists(undone))
        .values("ticket_id", "leg_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    gaps = 0
    prefixes = QueueTicket.objects.filter(location=desk).values_list("service_date", "prefix")
    for day, prefix in set(prefixes):
        numbers = sorted(
            QueueTicket.objects.filter(location=desk, service_date=day, prefix=prefix).values_list(
                "number", flat=True
            )
        )
        expected = list(range(1, len(numbers) + 1))
        gaps += len(set(expected) ^ set(numbers)) + (len(numbers) - len(set(numbers)))
    return duplicates, gaps


def main() -> int:
    os.environ["LOG_LEVEL"] = "WARNING"
    with bench_database("queue"):
        from django.db import connection

        from scheduling.services.catalog import service_catalog_ensure
        from scheduling.services.reference import reference_load

        reference_load()
        service_catalog_ensure()
        from kiosk.services.tickets import kiosk_check_in
        from scheduling.models import Leg
        from scheduling.tokens import ticket_token_make

        # Phase 1: latency.
        desk = build_desk("bench-a")
        appointments = build_visits(desk, VISITS)
        tokens = [ticket_token_make(a) for a in appointments]
        checkin_ms = []
        for token in tokens:
            t0 = time.perf_counter()
            kiosk_check_in(location=desk, token=token)
            checkin_ms.append((time.perf_counter() - t0) * 1000)
        counters = list(desk.counters.order_by("name"))
        call_ms: list[float] = []
        serve_round_robin(counters, call_ms)
        legs_left = Leg.objects.filter(appointment__location=desk, state="planned").count()
        emit(BENCH, "checkin_median_ms", round(statistics.median(checkin_ms), 2), "ms")
        emit(BENCH, "call_next_median_ms", round(statistics.median(call_ms), 2), "ms")
        emit(BENCH, "call_next_p95_ms", round(percentile(call_ms, 0.95, "nearest_rank"), 2), "ms")
        emit(BENCH, "calls", len(call_ms), "count")

        # Phase 2: concurrency.
        desk_b = build_desk("bench-b")
        appointments_b = build_visits(desk_b, VISITS)
        errors: list[str] = []
        check_in_concurrently(desk_b, appointments_b, errors)
        counters_b = list(desk_b.counters.order_by("name"))
        concurrent_ms: list[float] = []
        serve_concurrently(counters_b, concurrent_ms, errors)
        duplicates, gaps = count_problems(desk_b)
        legs_left += Leg.objects.filter(appointment__location=desk_b, state="planned").count()
        emit(
            BENCH,
            "call_next_concurrent_median_ms",
            round(statistics.median(concurrent_ms), 2),
            "ms",
        )
        emit(BENCH, "duplicate_calls", duplicates, "count")
        emit(BENCH, "number_gaps", gaps, "count")
        emit(BENCH, "legs_not_served", legs_left, "count")
        emit(BENCH, "errors", len(errors), "count")
        for error in errors[:5]:
            print(error, file=sys.stderr)
        emit(BENCH, "database", 1 if connection.vendor == "postgresql" else 0, "is_postgresql")
        return 0 if not (duplicates or gaps or errors or legs_left) else 1


if __name__ == "__main__":
    sys.exit(main())
