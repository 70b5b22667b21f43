"""Operations board benchmark: the board's refresh (its JSON feed, as a coordinator's browser
polls it) on a busy day with 20 counters busy.

Five desks with four counters each (20 counters) and the bus with two, open now (the clock is
set to 11:00 today); every desk counter serving a number; realistic queues: 12-40 people
waiting per desk, a few late numbers held for the reception, no-shows, and the numbers done
since the morning; the bus at a site with a short queue. Thirty earlier working days of
finished numbers (about 16,000) sit behind today's in the same table.

Prints ``board_refresh_median_ms`` and ``board_refresh_p95_ms`` (the feed through the test
client, 200 refreshes after 10 warm-up ones; target median < 50 ms), ``board_selector_median_ms``
(the selector alone) and ``board_queries`` (constant, whatever the number of locations).
SQLite temp file; a scratch PostgreSQL database when DATABASE_URL points at PostgreSQL.
"""

import os
import sys

_BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _BENCH_DIR] + [_BENCH_DIR]

import datetime as dt  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from zoneinfo import ZoneInfo  # noqa: E402

from _common import bench_database, emit, percentile  # noqa: E402

BENCH = "board"
AMS = ZoneInfo("Europe/Amsterdam")
HISTORY_DAYS = 30
REFRESHES = 200


def _ticket_rows(loc, day, rng, *, waiting, serving_counters, done, late, no_show, now):
    """(state, counter, waiting_since) of one location's numbers on ``day``."""
    rows = []
    for i in range(done):
        rows.append(
            (
                "done",
                serving_counters[i % len(serving_counters)],
                now - dt.timedelta(minutes=rng.randrange(20, 120)),
            )
        )
    for counter in serving_counters:
        rows.append(("serving", counter, now - dt.timedelta(minutes=rng.randrange(5, 40))))
    for _ in range(waiting):
        rows.append(("waiting", None, now - dt.timedelta(minutes=rng.randrange(0, 55))))
    rows += [("late", None, now - dt.timedelta(minutes=rng.randrange(0, 20)))] * late
    rows += [("no_show", serving_counters[0], now - dt.timedelta(minutes=90))] * no_show
    return rows


def build(today: dt.date, now: dt.datetime):
    from _common import places_build

    from kiosk.constants import TicketPriority
    from kiosk.models import QueueTicket
    from scheduling.constants import AppointmentStatus, LegState
    from scheduling.models import Appointment, BusVisit, Client, Leg

    rng = random.Random(16)
    desks, bus, services = places_build()
    visit = BusVisit.objects.create(
        location=bus,
        date=today,
        site_name="Site",
        address="Havenweg 1",
        opens=dt.time(10),
        closes=dt.time(15),
    )
    visit.counters.set(bus.counters.all())
    plan = []  # (location, day, state, counter, since)
    days = [today - dt.timedelta(days=n) for n in range(1, HISTORY_DAYS * 7 // 5 + 1)]
    days = [d for d in days if d.weekday() < 5][:HISTORY_DAYS]
    for loc in desks:
        counters = list(loc.counters.all())
        for d in days:
            past = dt.datetime.combine(d, dt.time(15), tzinfo=AMS)
            for state, counter, since in _ticket_rows(
                loc,
                d,
                rng,
                waiting=0,
                serving_counters=counters,
                done=100,
                late=0,
                no_show=6,
                now=past,
            ):
                plan.append((loc, d, "done" if state == "serving" else state, counter, since))
        for state, counter, since in _ticket_rows(
            loc,
            today,
            rng,
            waiting=rng.randrange(12, 41),
            serving_counters=counters,
            done=rng.randrange(30, 60),
            late=rng.randrange(0, 4),
            no_show=rng.randrange(1, 5),
            now=now,
        ):
            plan.append((loc, today, state, counter, since))
    for state, counter, since in _ticket_rows(
        bus,
        today,
        rng,
        waiting=6,
        serving_counters=list(bus.counters.all())[:1],
        done=10,
        late=0,
        no_show=1,
        now=now,
    ):
        plan.append((bus, today, state, counter, since))
    client = Client.objects.create(
        first_name="B",
        last_name="Bench",
        birth_date=dt.date(1990, 1, 1),
        nationality="PL",
        expected_stay_months=12,
        municipality_of_residence=desks[0].municipality,
    )
    appointments = Appointment.objects.bulk_create(
        Appointment(
            client=client,
            location=loc,
            status=AppointmentStatus.CHECKED_IN,
            start=since,
            end=since + dt.timedelta(minutes=20),
            booking_code=f"BB{i:08d}",
        )
        for i, (loc, _d, _s, _c, since) in enumerate(plan)
    )
    legs = Leg.objects.bulk_create(
        Leg(
            appointment=a,
            position=1,
            service=services["welcome"],
            start=a.start,
            end=a.end,
            state=LegState.PLANNED,
        )
        for a in appointments
    )
    numbers: dict = {}
    tickets = []
    for (loc, d, state, counter, since), appt, leg in zip(plan, appointments, legs, strict=True):
        n = numbers[(loc.pk, d)] = numbers.get((loc.pk, d), 0) + 1
        tickets.append(
            QueueTicket(
                location=loc,
                service_date=d,
                prefix="A",
                number=n,
                code=f"A{n:03d}",
                appointment=appt,
                priority=TicketPriority.BOOKED,
                state=state,
                leg=leg,
                counter=counter,
                issued_at=since,
                waiting_since=since,
                called_at=since if state in ("called", "serving") else None,
            )
        )
    QueueTicket.objects.bulk_create(tickets, batch_size=2000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return len(tickets), sum(1 for p in plan if p[1] == today and p[2] == "waiting")


def run():
    import time_machine
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from core.roles import Role
    from kiosk.board import operations_board
    from scheduling.services.staff import staff_user_upsert

    today = timezone.localdate()
    now = dt.datetime.combine(today, dt.time(11), tzinfo=AMS)
    with time_machine.travel(now, tick=True):
        tickets, waiting = build(today, now)
        user = staff_user_upsert(
            username="bench-coord", password="bench-pass-123456", role=Role.COORDINATOR
        )
        client = Client()
        client.force_login(user)
        url = reverse("kiosk:board-feed")
        for _ in range(10):
            first = client.get(url, secure=True)
            assert first.status_code == 200, (first.status_code, first.get("Location"))
        timings = []
        for _ in range(REFRESHES):
            started = time.perf_counter()
            response = client.get(url, secure=True)
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        data = response.json()
        assert data["totals"]["counters_serving"] == 21, data["totals"]
        selector = []
        for _ in range(REFRESHES):
            started = time.perf_counter()
            operations_board()
            selector.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            operations_board()
    print(
        f"{connection.vendor}: {tickets} tickets, {waiting} waiting today, load {os.getloadavg()}",
        file=sys.stderr,
    )
    emit(BENCH, "board_refresh_median_ms", round(statistics.median(timings), 2), "ms")
    emit(BENCH, "board_refresh_p95_ms", round(percentile(timings, 0.95), 2), "ms")
    emit(BENCH, "board_selector_median_ms", round(statistics.median(selector), 2), "ms")
    emit(BENCH, "board_queries", len(queries.captured_queries), "queries")


def main():
    os.environ["ALLOWED_HOSTS"] = "localhost,testserver"  # django.test.Client's host
    with bench_database("board"):
        run()


if __name__ == "__main__":
    main()
