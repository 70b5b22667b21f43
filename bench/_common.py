"""Shared benchmark setup: a throw-away database and the realistic BMIP dataset.

Usage in a bench script (before importing any model)::

    from _common import bench_database, emit
    with bench_database():
        from _common import dataset_build
        data = dataset_build()
        ...

SQLite temp file by default; when DATABASE_URL points at PostgreSQL a scratch database
``bmip_bench_<pid>`` (``bmip_bench_<suffix>_<pid>`` with a suffix) is created next to it and
dropped afterwards. Every bench script uses this one helper for its database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def emit(bench: str, metric: str, value, unit: str) -> None:
    print(json.dumps({"bench": bench, "metric": metric, "value": value, "unit": unit}), flush=True)


def _calibration_work() -> int:
    """A fixed pure-Python workload (dict and string work, like template and PDF code)."""
    table: dict[str, tuple[int, str]] = {}
    for i in range(60_000):
        table[f"k{i % 512}"] = (i, str(i))
    return sum(len(value[1]) for value in table.values())


def machine_calibration(bench: str, when: str = "start") -> float:
    """Emit ``machine_calibration_<when>_ms``: the median of 7 runs of the same fixed workload.
    Shared machines change speed from minute to minute (the same code measured 50 ms at one
    time and 80 ms half an hour later): a figure is only comparable with another taken at a
    similar calibration."""
    runs = []
    for _ in range(7):
        t0 = time.perf_counter()
        _calibration_work()
        runs.append((time.perf_counter() - t0) * 1000)
    value = round(sorted(runs)[3], 1)
    emit(bench, f"machine_calibration_{when}_ms", value, "ms")
    return value


def worker_heap_freeze() -> None:
    """Freeze what the process holds so far (the application, the bench's own dataset) into
    the collector's permanent generation, as deploy/gunicorn.conf.py does before forking a
    worker: the timed requests then see the collection pauses a production worker sees, not
    ones that walk the bench's dataset."""
    import gc

    gc.collect()
    gc.freeze()


def timed(render, runs: int):
    """Wall and CPU milliseconds of ``runs`` calls of ``render``, and its last result (CPU
    time shows the cost when the machine is shared: the wall clock inflates)."""
    wall, cpu, result = [], [], None
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        result = render()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return wall, cpu, result


def percentile(values: list[float], p: float, method: str = "linear") -> float:
    """The ``p`` quantile (0 <= p <= 1) of ``values``.

    ``linear`` interpolates between the two ranks around ``(n - 1) * p``; ``lower`` takes the
    lower of them; ``nearest_rank`` takes rank ``round(n * p)`` (1-based, at least 1). The
    scripts' published figures each use one of these definitions: keep it when reusing this.
    """
    ordered = sorted(values)
    if method == "nearest_rank":
        return ordered[max(int(round(p * len(ordered))) - 1, 0)]
    k = (len(ordered) - 1) * p
    lo = int(k)
    if method == "lower":
        return ordered[lo]
    if method != "linear":
        raise ValueError(f"unknown percentile method {method!r}")
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


@contextmanager
def bench_database(suffix: str = "", *, debug: bool | None = False, scratch_media: bool = False):
    """Point Django at a scratch database, migrate it, yield its URL, then throw it away.

    ``suffix`` goes into the PostgreSQL database's name (``bmip_bench_<suffix>_<pid>``).
    ``debug`` False/True sets DEBUG off/on; None leaves DEBUG as the environment has it.
    ``scratch_media`` points MEDIA_ROOT into the throw-away temp folder as well.
    Call before importing any model; settings the script needs besides these (e.g. the
    e-mail backend) go into os.environ before the call.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bmip.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-secret")
    if debug is not None:
        os.environ["DEBUG"] = "1" if debug else "0"
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("EMAIL_BACKEND", "locmem")  # console is refused without DEBUG
    url = os.environ.get("DATABASE_URL", "")
    scratch_pg = None
    tmpdir = None
    if scratch_media or not url.startswith(("postgres://", "postgresql://")):
        tmpdir = tempfile.mkdtemp(prefix="bmip-bench-")
    if scratch_media:
        os.environ["MEDIA_ROOT"] = f"{tmpdir}/media"
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        base, _, _name = url.rpartition("/")
        scratch_pg = f"bmip_bench_{suffix}_{os.getpid()}" if suffix else f"bmip_bench_{os.getpid()}"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{scratch_pg}"')
            conn.execute(f'CREATE DATABASE "{scratch_pg}"')
        os.environ["DATABASE_URL"] = f"{base}/{scratch_pg}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{tmpdir}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    try:
        call_command("migrate", verbosity=0, interactive=False)
        yield os.environ["DATABASE_URL"]
    finally:
        connections.close_all()
        if scratch_pg:
            import psycopg

            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{scratch_pg}" WITH (FORCE)')
            os.environ["DATABASE_URL"] = url
        if tmpdir:
            import shutil

            shutil.rmtree(tmpdir, ignore_errors=True)


# Five desks x 4 counters (as in the demo) plus the bus with 2 counters.
COUNTER_LAYOUT = {
    "Balie 1": ["brp", "rni", "welcome"],
    "Balie 2": ["brp", "rni", "formhelp"],
    "Balie 3": ["zvw", "toeslagen", "formhelp"],
    "Balie 4": ["ind", "twv", "welcome"],
}
BUS_LAYOUT = {"Bus 1": ["brp", "welcome"], "Bus 2": ["zvw", "ind", "twv", "formhelp"]}
DESKS = [
    ("breda", "GM0758", True),
    ("tilburg", "GM0855", False),
    ("den-bosch", "GM0796", False),
    ("eindhoven", "GM0772", True),
    ("helmond", "GM0794", False),
]


def places_build():
    """Reference data, services, five desks with 4 counters each and the bus (idempotent)."""
    from scheduling.constants import LocationKind
    from scheduling.models import Counter, Location, Municipality, OpeningHours
    from scheduling.services.catalog import service_catalog_ensure
    from scheduling.services.reference import reference_load

    reference_load()
    services = service_catalog_ensure()
    desks = []
    for slug, code, rni in DESKS:
        muni = Municipality.objects.get(cbs_code=code)
        loc, created = Location.objects.get_or_create(
            slug=slug,
            defaults=dict(
                name=f"BMIP {muni.name}",
                kind=LocationKind.DESK,
                municipality=muni,
                region=muni.region,
                is_rni_desk=rni,
            ),
        )
        if created:
            OpeningHours.objects.bulk_create(
                OpeningHours(location=loc, weekday=d, opens=dt.time(9), closes=dt.time(17))
                for d in range(5)
            )
            for name, codes in COUNTER_LAYOUT.items():
                c = Counter.objects.create(location=loc, name=name)
                c.services.set([services[x] for x in codes])
        desks.append(loc)
    breda = Municipality.objects.get(cbs_code="GM0758")
    bus, created = Location.objects.get_or_create(
        slug="bus",
        defaults=dict(
            name="BMIP Bus", kind=LocationKind.BUS, municipality=breda, region=breda.region
        ),
    )
    if created:
        for name, codes in BUS_LAYOUT.items():
            c = Counter.objects.create(location=bus, name=name)
            c.services.set([services[x] for x in codes])
    return desks, bus, services


def dataset_build(
    *,
    total_legs: int = 100_000,
    future_weeks: int = 8,
    future_occupancy: float = 0.70,
    today: dt.date | None = None,
    seed: int = 42,
    history_days: int = 365,
) -> dict:
    """Build the benchmark dataset in the current database and return a summary.

    A year of history behind ``today`` plus ``future_weeks`` ahead at ``future_occupancy`` of
    counter time, ``total_legs`` legs in all (history takes what the future leaves), the bus
    at employers' sites three days a week with its legs. Deterministic (``seed``).
    ``history_days`` other than 365 keeps the same history density (the legs a year of
    history would get, per day) over a longer or shorter history: ``total_legs`` stays the
    size of "a year of history plus the future".
    """
    from django.db import connection
    from django.utils import timezone

    rng = random.Random(seed)
    started = time.perf_counter()
    desks, bus, services = places_build()
    today = today or timezone.localdate()
    work_days, bus_days = _dataset_days(today, future_weeks, history_days)
    visits, bus_counters = _bus_visits_build(bus, bus_days)
    slots = _counter_slots(desks, bus_counters, work_days, bus_days)
    legs_plan = _legs_plan(slots, today, total_legs, future_occupancy, rng, history_days)
    groups = _legs_grouped(legs_plan)
    _appointments_write(groups, _bench_clients(), visits, bus, rng)
    # Fresh statistics and visibility map, as autovacuum would give a live database (without
    # VACUUM, PostgreSQL cannot use index-only scans on the freshly inserted legs).
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    return {
        "desks": desks,
        "bus": bus,
        "services": services,
        "today": today,
        "legs": len(legs_plan),
        "future_legs": sum(1 for x in legs_plan if not x[4]),
        "appointments": len(groups),
        "build_s": time.perf_counter() - started,
    }


def _dataset_days(today: dt.date, future_weeks: int, history_days: int = 365) -> tuple[list, list]:
    """Working days from ``history_days`` ago to ``future_weeks`` ahead, and the bus days."""
    from core.calendar import is_working_day

    first = today - dt.timedelta(days=history_days)
    last = today + dt.timedelta(weeks=future_weeks)
    days = [first + dt.timedelta(n) for n in range((last - first).days + 1)]
    work_days = [d for d in days if is_working_day(d)]
    return work_days, [d for d in work_days if d.weekday() in (1, 2, 3)]


def _bus_visits_build(bus, bus_days) -> tuple[list, list]:
    from django.db import transaction

    from scheduling.models import BusVisit

    with transaction.atomic():
        visits = BusVisit.objects.bulk_create(
            BusVisit(
                location=bus,
                date=d,
                site_name=f"Site {i % 7}",
                address="Havenweg 1",
                opens=dt.time(10),
                closes=dt.time(15),
            )
            for i, d in enumerate(bus_days)
        )
        bus_counters = list(bus.counters.all())
        BusVisit.counters.through.objects.bulk_create(
            BusVisit.counters.through(busvisit_id=v.pk, counter_id=c.pk)
            for v in visits
            for c in bus_counters
        )
    return visits, bus_counters


def _counter_slots(desks, bus_counters, work_days, bus_days) -> list[tuple]:
    """(counter, services able, day, opens, closes) for every counter-day."""
    slots = []
    for desk in desks:
        for counter in desk.counters.prefetch_related("services"):
            able = sorted(counter.services.all(), key=lambda s: s.code)
            slots += [(counter, able, d, 9, 17) for d in work_days]
    for counter in bus_counters:
        able = sorted(counter.services.all(), key=lambda s: s.code)
        slots += [(counter, able, d, 10, 15) for d in bus_days]
    return slots


def _legs_plan(slots, today, total_legs, future_occupancy, rng, history_days=365) -> list[tuple]:
    """(counter, service, start, end, past) for every leg: the future at its occupancy, the
    history at what the total leaves."""
    from scheduling.selectors.availability import AMS

    future = [s for s in slots if s[2] >= today]
    past = [s for s in slots if s[2] < today]
    future_minutes = sum((s[4] - s[3]) * 60 for s in future)
    avg_leg = 15
    future_legs = int(future_minutes * future_occupancy / avg_leg)
    # The occupancy a year of history would have (minutes of a year: its share of the past).
    past_minutes = sum((s[4] - s[3]) * 60 for s in past) * 365 / history_days
    past_occupancy = min(0.95, max(0.05, (total_legs - future_legs) * avg_leg / past_minutes))
    legs_plan = []
    for group, occupancy in ((past, past_occupancy), (future, future_occupancy)):
        for counter, able, day, opens, closes in group:
            cursor = dt.datetime.combine(day, dt.time(opens), tzinfo=AMS)
            close = dt.datetime.combine(day, dt.time(closes), tzinfo=AMS)
            while True:
                service = able[rng.randrange(len(able))]
                length = dt.timedelta(minutes=service.duration_minutes)
                # Free time comes in blocks of 15-60 minutes (people book whole slots), as
                # often as needed for `occupancy` of the counter time to be used on average.
                idle = service.duration_minutes * (1 - occupancy) / occupancy
                if rng.random() < idle / 37.5:
                    cursor += dt.timedelta(minutes=rng.choice((15, 30, 45, 60)))
                if cursor + length > close:
                    break
                legs_plan.append((counter, service, cursor, cursor + length, day < today))
                cursor += length
    return legs_plan


def _legs_grouped(legs_plan) -> list[list]:
    """Legs three by three (same location and day): one appointment each."""
    legs_plan.sort(key=lambda x: (x[0].location_id, x[2].date(), x[2]))
    groups, current = [], []
    for leg in legs_plan:
        if current and (
            len(current) == 3
            or current[0][0].location_id != leg[0].location_id
            or current[0][2].date() != leg[2].date()
        ):
            groups.append(current)
            current = []
        current.append(leg)
    if current:
        groups.append(current)
    return groups


def _bench_clients() -> list:
    from django.db import transaction

    from scheduling.models import Client, Municipality

    residence = list(Municipality.objects.values_list("pk", flat=True))
    with transaction.atomic():
        return Client.objects.bulk_create(
            Client(
                first_name=f"Worker{i}",
                last_name="Bench",
                birth_date=dt.date(1990, 1, 1),
                nationality="PL",
                language="pl",
                expected_stay_months=12,
                municipality_of_residence_id=residence[i % len(residence)],
            )
            for i in range(500)
        )


def _appointment_status(is_past: bool, rng):
    from scheduling.constants import AppointmentStatus

    if not is_past and rng.random() < 0.03:
        return AppointmentStatus.CANCELLED
    return AppointmentStatus.COMPLETED if is_past else AppointmentStatus.BOOKED


def _booking_codes(rng, used: set[str]):
    """Booking codes unique within the dataset (and against ``used``), deterministic: drawn
    from a copy of the dataset's ``rng``, so the draws after it (statuses) stay as before.
    The model default draws at random and a few hundred thousand codes of 8 symbols from 31
    meet now and then: the bulk insert would fail on the unique booking code."""
    from scheduling.models.appointments import BOOKING_CODE_ALPHABET, BOOKING_CODE_LENGTH

    codes_rng = random.Random()
    codes_rng.setstate(rng.getstate())
    while True:
        code = "".join(codes_rng.choices(BOOKING_CODE_ALPHABET, k=BOOKING_CODE_LENGTH))
        if code not in used:
            used.add(code)
            yield code


def _appointments_write(groups, clients, visits, bus, rng, batch: int = 2000) -> None:
    from django.db import transaction

    from scheduling.constants import AppointmentStatus, LegState
    from scheduling.models import Appointment, Leg

    visits_by_day = {v.date: v for v in visits}
    codes = _booking_codes(rng, set(Appointment.objects.values_list("booking_code", flat=True)))
    for i in range(0, len(groups), batch):
        chunk = groups[i : i + batch]
        with transaction.atomic():
            appts = []
            for n, g in enumerate(chunk):
                loc_id = g[0][0].location_id
                appts.append(
                    Appointment(
                        booking_code=next(codes),
                        client=clients[(i + n) % len(clients)],
                        location_id=loc_id,
                        bus_visit=visits_by_day.get(g[0][2].date()) if loc_id == bus.pk else None,
                        status=_appointment_status(g[0][4], rng),
                        start=min(x[2] for x in g),
                        end=max(x[3] for x in g),
                    )
                )
            appts = Appointment.objects.bulk_create(appts)
            rows = []
            for appt, g in zip(appts, chunk, strict=True):
                state = (
                    LegState.CANCELLED
                    if appt.status == AppointmentStatus.CANCELLED
                    else LegState.DONE
                    if g[0][4]
                    else LegState.PLANNED
                )
                rows += [
                    Leg(
                        appointment=appt,
                        position=p,
                        service=s,
                        counter=c,
                        start=a,
                        end=b,
                        state=state,
                    )
                    for p, (c, s, a, b, _past) in enumerate(g, start=1)
                ]
            Leg.objects.bulk_create(rows)
