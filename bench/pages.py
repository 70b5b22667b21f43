"""Page budget: every staff and portal page and every API list, at one and at five years of
history (the same future), logged in as the role that uses it.

Each size lives in its own child process (its own scratch database: SQLite temp file, or a
scratch PostgreSQL database when DATABASE_URL is set; the two are built in parallel): the
benchmark dataset (bench/_common.py) with ``history_days`` of history, a large employer whose
group bookings cover the busiest desk's visits, settlement lines and statements of a
municipality with many lines, and a user of every role. Every route is requested
``BENCH_PAGES_REPS`` times after one warm-up (django.test.Client, force_login), one request at
a time and alternating the sizes (1y 5y 5y 1y ...): a shared machine changes speed by 1.5-2x
within minutes, and timed one size after the other, fixed-size pages "grew" by that much.
Prints one JSON line per route and size (median_ms, p95_ms, queries, kb) and the summary
metrics:

- pages_slowest_median_ms: the slowest route's median (over both sizes),
- pages_growth_ratio: the slowest route's five-year median / its one-year median, among the
  routes that show the same page at both sizes (as many list items or table rows: ``items``),
- pages_machine_drift: the median growth of those routes (most read no history: with the
  sizes interleaved it should be near 1.0; it shows what drift is left), and
  pages_growth_ratio_vs_drift: the slowest route's growth divided by it,
- pages_max_growth_ratio and pages_worst_growth: the largest growth of any such route,
  pages_growth_over_1_3: the routes that grew more than 1.3x,
- pages_items_differ: the routes whose page holds more at five years (a list a year of
  history cannot fill: 12 monthly statements against a page of 50), with their growth,
- pages_query_growth: routes whose query count differs between the two sizes.

After both sizes, one ``route_growth`` line per route (medians, growth, queries and items at
both sizes), so that no route hides behind the slowest. Progress (with the load average) goes
to stderr; stdout has the JSON lines only.

Each route row also has cpu_median_ms (this process's CPU time), summarised as
pages_slowest_cpu_median_ms and pages_cpu_growth_ratio: steadier than the wall clock on a
loaded machine. machine_calibration_start_ms and _end_ms time a fixed workload before and
after, machine_calibration_1y_ms and _5y_ms when each size is built (a shared machine changes
speed: compare figures taken at a similar calibration).

Knobs: BENCH_PAGES_LEGS (legs of a year of history plus the future, default 100,000; the
five-year dataset has the same density), BENCH_PAGES_REPS (default 15), BENCH_PAGES_YEARS
(default "1,5"), BENCH_PAGES_ONLY (route names, comma-separated), BENCH_PAGES_PROFILE=1
(a cProfile of each route to stderr; BENCH_PAGES_SORT=tottime sorts it by own time). A quick run: BENCH_PAGES_LEGS=20000 BENCH_PAGES_REPS=5.
"""

import os
import sys

_BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _BENCH_DIR] + [_BENCH_DIR]

import datetime as dt
import json
import statistics
import subprocess
import time

from _common import bench_database, emit, machine_calibration, percentile, worker_heap_freeze

BENCH = "pages"
LEGS = int(os.environ.get("BENCH_PAGES_LEGS", "100000"))
REPS = int(os.environ.get("BENCH_PAGES_REPS", "15"))
YEARS = [int(y) for y in os.environ.get("BENCH_PAGES_YEARS", "1,5").split(",")]
BUSY_DESK = "breda"
MANY_LINES = "GM0826"  # Oosterhout: pays Breda for its residents' registrations
LINES_PER_MONTH = 400
# Documents (files, not pages): timed and listed, left out of the page budget's summary.
DOCUMENTS = {"scheduling:employer-feed"}


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--years":
        years = int(sys.argv[2])
        os.environ["ALLOWED_HOSTS"] = "localhost,testserver"  # django.test.Client's host
        # django.test.Client speaks plain HTTP: without this every page is a 301 to https://
        # (DEBUG off turns SECURE_SSL_REDIRECT on) and nothing is measured.
        os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
        with bench_database(f"pages{years}"):
            serve(years)
        return
    machine_calibration(BENCH, "start")
    started = time.perf_counter()
    progress(f"building {', '.join(f'{y}y' for y in YEARS)} in child processes (in parallel)")
    sizes = {years: _Size(years) for years in YEARS}
    for size in sizes.values():
        size.ready()
    emit(BENCH, "build_s", round(time.perf_counter() - started, 1), "s")
    results = interleave(sizes)
    for size in sizes.values():
        size.close()
    emit(BENCH, "run_s", round(time.perf_counter() - started, 1), "s")
    summarise(results)


class _Size:
    """A child process holding one size's dataset: it builds it, then times one request of a
    route each time it is asked (a JSON line in, a JSON line out)."""

    def __init__(self, years: int):
        self.years = years
        # The child's stderr (its progress and any route that failed) goes straight through.
        self.process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--years", str(years)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def _read(self) -> dict:
        while True:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError(f"the {self.years}y child stopped")
            row = json.loads(line)
            if "metric" in row:  # the child's own figures (dataset size, calibration)
                print(json.dumps(row), flush=True)
                continue
            return row

    def ready(self) -> None:
        self.routes = self._read()["routes"]

    def ask(self, route: str) -> dict:
        self.process.stdin.write(json.dumps({"route": route}) + "\n")
        self.process.stdin.flush()
        return self._read()

    def close(self) -> None:
        self.process.stdin.close()
        if self.process.wait() != 0:
            raise RuntimeError(f"the {self.years}y child failed")


def interleave(sizes: dict) -> dict:
    """Every route, one request at a time, alternating the sizes (ABBA: 1y 5y 5y 1y ...), so a
    machine that changes speed while the routes are timed slows both sizes alike and the
    growth between them is the history's, not the minute's."""
    order = list(sizes)
    names = [
        name for name in sizes[order[0]].routes if all(name in s.routes for s in sizes.values())
    ]
    results = {years: {} for years in sizes}
    for n, name in enumerate(names, start=1):
        samples = {years: [] for years in sizes}
        failed = None
        for rep in range(REPS + 1):  # the first request of each size is its warm-up
            for years in order if rep % 2 == 0 else order[::-1]:
                answer = sizes[years].ask(name)
                if "error" in answer:
                    failed = answer
                    break
                samples[years].append(answer)
            if failed:
                break
        if failed:
            print(json.dumps(failed), file=sys.stderr)
            continue
        for years, answers in samples.items():
            row = _row(answers[1:])
            results[years][name] = row
            print(json.dumps({"bench": BENCH, "years": years, "route": name, **row}), flush=True)
        progress(
            f"{n}/{len(names)} {name} "
            + " ".join(f"{y}y {results[y][name]['median_ms']} ms" for y in order)
        )
    return results


def _row(answers: list[dict]) -> dict:
    timings = [a["ms"] for a in answers]
    last = answers[-1]
    return {
        "role": last["role"],
        "url": last["url"],
        "median_ms": round(statistics.median(timings), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        # The child's CPU time (SQLite runs in it; a PostgreSQL server's does not count):
        # on a shared, loaded machine a steadier figure than the wall clock.
        "cpu_median_ms": round(statistics.median(a["cpu_ms"] for a in answers), 2),
        "queries": last["queries"],
        "kb": last["kb"],
        "items": last["items"],
    }


def progress(message: str) -> None:
    """A progress line on stderr (stdout carries the JSON lines only), with the load average."""
    stamp = time.strftime("%H:%M:%S")
    print(f"[pages {stamp} load {os.getloadavg()[0]:.2f}] {message}", file=sys.stderr, flush=True)


def summarise(results: dict) -> None:
    results = {
        years: {name: row for name, row in rows.items() if name not in DOCUMENTS}
        for years, rows in results.items()
    }
    small, large = results[min(results)], results[max(results)]
    both = [name for name in large if name in small]
    # Growth per route, one JSON line each, so that no route hides behind the slowest one.
    # A route "shows the same page" at both sizes when its list holds as many items at both
    # (a list the short history cannot fill grows by rows, not by slower queries): only those
    # enter the growth summary; the others are listed by name with their own figures.
    growth, same_page = {}, []
    for name in both:
        s, lg = small[name], large[name]
        growth[name] = round(lg["median_ms"] / max(s["median_ms"], 0.001), 2)
        same = s.get("items") == lg.get("items")
        if same:
            same_page.append(name)
        print(
            json.dumps(
                {
                    "bench": BENCH,
                    "metric": "route_growth",
                    "route": name,
                    "median_ms": [s["median_ms"], lg["median_ms"]],
                    "growth": growth[name],
                    "cpu_growth": round(lg["cpu_median_ms"] / max(s["cpu_median_ms"], 0.001), 2),
                    "queries": [s["queries"], lg["queries"]],
                    "items": [s.get("items"), lg.get("items")],
                    "same_page": same,
                }
            ),
            flush=True,
        )
    slowest = max(same_page, key=lambda name: large[name]["median_ms"])
    slowest_any = max(max(r["median_ms"] for r in size.values()) for size in results.values())
    emit(BENCH, "pages_slowest_route", slowest, "route")
    emit(BENCH, "pages_slowest_median_ms", slowest_any, "ms")
    emit(BENCH, "pages_growth_ratio", growth[slowest], "ratio")
    # The machine's own drift between the two runs (a shared machine changes speed by 1.5-2x
    # from one quarter hour to the next): the median growth of the routes that show the same
    # page, most of which read no history at all. Growth beyond it is the history's.
    drift = statistics.median(growth[name] for name in same_page)
    emit(BENCH, "pages_machine_drift", round(drift, 2), "ratio")
    emit(BENCH, "pages_growth_ratio_vs_drift", round(growth[slowest] / drift, 2), "ratio")
    worst = max(same_page, key=lambda name: growth[name])
    emit(BENCH, "pages_max_growth_ratio", growth[worst], "ratio")
    emit(
        BENCH,
        "pages_worst_growth",
        f"{worst} {small[worst]['median_ms']} -> {large[worst]['median_ms']} ms",
        "route",
    )
    grown = sorted(name for name in same_page if growth[name] > 1.3)
    emit(BENCH, "pages_growth_over_1_3", ",".join(grown), "routes")
    emit(
        BENCH,
        "pages_items_differ",
        ",".join(
            f"{name} {small[name].get('items')}->{large[name].get('items')} items x{growth[name]}"
            for name in both
            if name not in same_page
        ),
        "routes",
    )
    slowest_cpu = max(same_page, key=lambda name: large[name]["cpu_median_ms"])
    emit(BENCH, "pages_slowest_cpu_route", slowest_cpu, "route")
    emit(
        BENCH,
        "pages_slowest_cpu_median_ms",
        max(max(r["cpu_median_ms"] for r in size.values()) for size in results.values()),
        "ms",
    )
    emit(
        BENCH,
        "pages_cpu_growth_ratio",
        round(
            large[slowest_cpu]["cpu_median_ms"] / max(small[slowest_cpu]["cpu_median_ms"], 0.001),
            2,
        ),
        "ratio",
    )
    emit(BENCH, "load_average_1m", round(os.getloadavg()[0], 2), "load")
    machine_calibration(BENCH, "end")
    query_grown = sorted(name for name in both if large[name]["queries"] != small[name]["queries"])
    emit(BENCH, "pages_query_growth", len(query_grown), "routes")
    if query_grown:
        emit(BENCH, "pages_query_growth_routes", ",".join(query_grown), "routes")


# --- One size ---------------------------------------------------------------------------------


def serve(years: int) -> None:
    """The child: build the size's dataset, then answer the parent's requests (stdin: one
    ``{"route": name}`` per line; stdout: one timed request's figures per line)."""
    from _common import dataset_build

    started = time.perf_counter()
    progress(f"{years}y: building the dataset ({LEGS:,} legs a year plus the future)")
    data = dataset_build(total_legs=LEGS, history_days=365 * years)
    progress(f"{years}y: {data['legs']:,} legs in {data['build_s']:.0f} s; building the world")
    world = world_build(data)
    # Fresh statistics once more: dataset_build analysed the tables before world_build filled
    # group bookings and settlement lines, and with those stale figures SQLite reads the
    # group's visits through the start index over all history (a plan no live database
    # with current statistics would choose).
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    emit(BENCH, f"dataset_{years}y_legs", data["legs"], "legs")
    emit(BENCH, f"dataset_{years}y_build_s", round(time.perf_counter() - started, 1), "s")
    progress(f"{years}y: dataset and world ready after {time.perf_counter() - started:.0f} s")
    worker_heap_freeze()
    machine_calibration(BENCH, f"{years}y")
    only = os.environ.get("BENCH_PAGES_ONLY", "")
    todo = {r[0]: r for r in routes(world) if not only or r[0] in only.split(",")}
    print(json.dumps({"routes": list(todo)}), flush=True)
    clients = {}
    for line in sys.stdin:
        name, role, url = todo[json.loads(line)["route"]]
        if name not in clients:
            if os.environ.get("BENCH_PAGES_PROFILE"):
                profile_route(world["users"][role], url)
            clients[name] = _client(world["users"][role])
        answer = {"role": role, **time_request(clients[name], url)}
        print(json.dumps(answer), flush=True)


def profile_route(user, url: str) -> None:
    """BENCH_PAGES_PROFILE=1: the top of a cProfile of one request (to stderr)."""
    import cProfile
    import pstats

    from django.test import Client

    client = Client()
    client.force_login(user)
    client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    print(f"== {url}", file=sys.stderr)
    pstats.Stats(profiler, stream=sys.stderr).sort_stats(
        os.environ.get("BENCH_PAGES_SORT", "cumulative")
    ).print_stats(30)


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def time_request(client, url: str) -> dict:
    """One request: wall and CPU milliseconds, queries, size and items (or the error)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        t0, c0 = time.perf_counter(), time.process_time()
        response = client.get(url)
        body = response.content if not response.streaming else b"".join(response)
        ms = (time.perf_counter() - t0) * 1000
        cpu_ms = (time.process_time() - c0) * 1000
    if response.status_code != 200:
        return {"url": url, "status": response.status_code, "error": body[:300].decode()}
    return {
        "url": url,
        "ms": ms,
        "cpu_ms": cpu_ms,
        "queries": len(queries.captured_queries),
        "kb": round(len(body) / 1024, 1),
        "items": _items(response, body),
    }


def _items(response, body: bytes) -> int | None:
    """How many items a page holds: a JSON list's items (a page's ``results``), an HTML
    page's table rows; None for anything else. Equal at both sizes = the same page."""
    content_type = response.get("Content-Type", "")
    if "html" in content_type:
        return body.count(b"<tr")
    if "json" not in content_type:
        return None
    data = json.loads(body)
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        return len(data["results"])
    return len(data) if isinstance(data, list) else None


def world_build(data: dict) -> dict:
    """Users of every role with their ties, a large employer's group bookings on the busy
    desk, settlement lines and statements of a municipality with many lines."""
    from core.roles import Role, roles_ensure
    from scheduling.models import Employer, Municipality
    from scheduling.services.staff import staff_user_upsert

    roles_ensure()
    desk = next(d for d in data["desks"] if d.slug == BUSY_DESK)
    employer = Employer.objects.create(
        name="Groot Uitzendbureau BV",
        kvk_number="12345678",
        contact_name="HR",
        contact_email="hr@example.nl",
        billing_email="hr@example.nl",
    )
    municipality = Municipality.objects.get(cbs_code=MANY_LINES)
    pw = "bench-pw-12345"
    users = {
        "coordinator": staff_user_upsert(
            username="coordinator", password=pw, role=Role.COORDINATOR
        ),
        "receptionist": staff_user_upsert(
            username="receptionist", password=pw, role=Role.RECEPTIONIST, location=desk
        ),
        "officer": staff_user_upsert(
            username="officer", password=pw, role=Role.OFFICER, location=desk
        ),
        "employer": staff_user_upsert(
            username="employer", password=pw, role=Role.EMPLOYER, employer=employer
        ),
        "municipality": staff_user_upsert(
            username="municipality", password=pw, role=Role.MUNICIPALITY, municipality=municipality
        ),
    }
    groups = _groups_build(employer, desk, data["today"])
    statement = _settlement_build(municipality, desk.municipality, data["today"])
    return {
        "data": data,
        "desk": desk,
        "employer": employer,
        "municipality": municipality,
        "users": users,
        "group": groups[-1],
        "statement": statement,
    }


def _groups_build(employer, desk, today):
    """One confirmed group booking per working day of the busy desk, holding half that day's
    visits (the employer's workers): a large employer over the whole history."""
    from django.db import transaction

    from scheduling.constants import GroupBookingStatus
    from scheduling.models import Appointment, GroupBooking

    days = {}
    for pk, start in (
        Appointment.objects.filter(location=desk).order_by("start").values_list("pk", "start")
    ):
        days.setdefault(start.astimezone(dt.UTC).date(), []).append(pk)
    with transaction.atomic():
        groups = GroupBooking.objects.bulk_create(
            GroupBooking(
                employer=employer,
                status=GroupBookingStatus.CONFIRMED,
                location=desk,
                date_from=day,
                date_to=day,
            )
            for day in sorted(days)
        )
        for group, day in zip(groups, sorted(days), strict=True):
            Appointment.objects.filter(pk__in=days[day][::2]).update(group_booking=group)
    # The one shown: the last group that starts today or later.
    upcoming = [g for g in groups if g.date_from >= today]
    return upcoming[:1] or groups[-1:]


def _settlement_build(payer, payee, today):
    """LINES_PER_MONTH lines a month over the history from ``payer`` to ``payee`` and an
    issued statement for each closed month (both municipalities), as issuing would leave."""
    from decimal import Decimal

    from django.db import transaction
    from django.db.models import Count, Min, Sum
    from django.utils import timezone

    from settlement.models import (
        SettlementLine,
        SettlementPayment,
        SettlementPeriod,
        SettlementTariff,
        Statement,
    )
    from settlement.services.periods import period_ensure

    tariff = SettlementTariff.objects.get()
    first = SettlementLine.objects.none()
    from scheduling.models import Appointment

    first = Appointment.objects.aggregate(first=Min("start"))["first"].date()
    month = first.replace(day=1)
    lines, periods = [], []
    n = 0
    while month < today.replace(day=1):
        period = period_ensure(month)
        periods.append(period)
        for i in range(LINES_PER_MONTH):
            n += 1
            lines.append(
                SettlementLine(
                    kind="charge",
                    payer=payer,
                    payee=payee,
                    amount=tariff.amount,
                    reference=f"R-{n:010d}",
                    registration_date=month + dt.timedelta(days=i % 28),
                    registration_kind="brp",
                    period=period,
                    tariff=tariff,
                )
            )
        month = (month + dt.timedelta(days=32)).replace(day=1)
    SettlementLine.objects.bulk_create(lines, batch_size=5000)
    totals = {
        row["period"]: row
        for row in SettlementLine.objects.values("period").annotate(
            count=Count("pk"), total=Sum("amount")
        )
    }
    statements, seq = [], {}
    now = timezone.now()
    for period in periods:
        row = totals[period.pk]
        for muni, receivable, payable in (
            (payer, Decimal("0.00"), row["total"]),
            (payee, row["total"], Decimal("0.00")),
        ):
            year = period.start.year
            seq[year] = seq.get(year, 0) + 1
            statements.append(
                Statement(
                    municipality=muni,
                    period=period,
                    year=year,
                    sequence=seq[year],
                    number=f"AFR-{year}-{seq[year]:05d}",
                    issued_at=now,
                    issue_date=today,
                    receivable_total=receivable,
                    payable_total=payable,
                    net_total=receivable - payable,
                    line_count=row["count"],
                    content_hash="0" * 64,
                )
            )
    with transaction.atomic():
        Statement.objects.bulk_create(statements)
        # Issuing closes the period (settlement.services.issue): its nets come from the
        # statements from then on, not from its lines.
        SettlementPeriod.objects.filter(pk__in=[p.pk for p in periods]).update(issued_at=now)
        # The paying municipality paid every statement but the last two (the payments list).
        paying = [s for s in statements if s.municipality_id == payer.pk][:-2]
        SettlementPayment.objects.bulk_create(
            SettlementPayment(
                statement=s,
                amount=s.payable_total,
                received_on=today,
                reference=f"BANK-{s.number}",
            )
            for s in paying
        )
    return Statement.objects.filter(municipality=payer).order_by("-period__start").first()


def routes(world: dict) -> list[tuple[str, str, str]]:
    """(route name, role, URL) for every staff and portal page and every API list, with
    realistic parameters: today, the busy desk, the large employer, the municipality."""
    from django.urls import reverse

    from scheduling.models import Appointment

    desk, group, statement = world["desk"], world["group"], world["statement"]
    today = world["data"]["today"]
    counter = desk.counters.order_by("pk").first()
    visit = (
        Appointment.objects.filter(
            location=desk, start__gte=dt.datetime.combine(today, dt.time.min, tzinfo=dt.UTC)
        )
        .order_by("start")
        .first()
    )
    code = visit.booking_code
    period = statement.period.label
    week = (today + dt.timedelta(days=7)).isoformat()
    return [
        # Staff pages
        (
            "scheduling:planner",
            "coordinator",
            f"{reverse('scheduling:planner')}?location={desk.slug}&date={today}",
        ),
        ("scheduling:book", "receptionist", reverse("scheduling:book")),
        (
            "scheduling:appointment-detail",
            "officer",
            reverse("scheduling:appointment-detail", args=[code]),
        ),
        ("kiosk:reception", "receptionist", reverse("kiosk:reception")),
        ("kiosk:reception-lists", "receptionist", reverse("kiosk:reception-lists")),
        ("kiosk:officer", "officer", reverse("kiosk:officer") + "?choose=1"),
        ("kiosk:officer-counter", "officer", reverse("kiosk:officer-counter", args=[counter.pk])),
        ("kiosk:officer-waiting", "officer", reverse("kiosk:officer-waiting", args=[counter.pk])),
        ("kiosk:display", "receptionist", reverse("kiosk:display", args=[desk.slug])),
        ("kiosk:display-feed", "receptionist", reverse("kiosk:display-feed", args=[desk.slug])),
        ("counter:visits", "officer", reverse("counter:visits")),
        ("counter:visits(coordinator)", "coordinator", reverse("counter:visits")),
        ("counter:visit", "officer", reverse("counter:visit", args=[visit.pk])),
        ("counter:tariffs", "coordinator", reverse("counter:tariffs")),
        ("counter:invoices", "coordinator", reverse("counter:invoices")),
        ("settlement:index", "municipality", reverse("settlement:index")),
        ("settlement:index(coordinator)", "coordinator", reverse("settlement:index")),
        ("settlement:ageing", "municipality", reverse("settlement:ageing")),
        (
            "settlement:statement",
            "municipality",
            reverse("settlement:statement", args=[statement.pk]),
        ),
        ("settlement:period", "coordinator", reverse("settlement:period", args=[period])),
        ("settlement:netting", "coordinator", reverse("settlement:netting", args=[period])),
        # Portal
        ("scheduling:portal", "employer", reverse("scheduling:portal")),
        (
            "scheduling:portal-group",
            "employer",
            reverse("scheduling:portal-group", args=[group.reference]),
        ),
        (
            "scheduling:group-tickets",
            "employer",
            reverse("scheduling:group-tickets", args=[group.reference]),
        ),
        (
            "scheduling:employer-feed",
            "employer",
            reverse("scheduling:employer-feed", args=[world["employer"].calendar_feed_token]),
        ),
        # API lists
        ("api-group-bookings", "employer", reverse("api-group-bookings")),
        ("api-group-booking", "employer", reverse("api-group-booking", args=[group.reference])),
        (
            "api-availability",
            "receptionist",
            f"{reverse('api-availability')}?location={desk.slug}&services=brp&date_from={today}&date_to={week}",
        ),
        ("display", "receptionist", reverse("display", args=[desk.slug])),
        ("counter-invoices", "employer", reverse("counter-invoices")),
        ("settlement-statements", "municipality", reverse("settlement-statements")),
        (
            "settlement-statement-lines",
            "municipality",
            reverse("settlement-statement-lines", args=[statement.pk]),
        ),
        ("settlement-lines", "municipality", reverse("settlement-lines")),
        ("settlement-payments", "municipality", reverse("settlement-payments")),
        # The two lists a year of history cannot fill (12 statements and 10 payments against
        # a page of 50) once more at a page both histories fill: the same page at both sizes.
        (
            "settlement-statements?limit=10",
            "municipality",
            reverse("settlement-statements") + "?limit=10",
        ),
        (
            "settlement-payments?limit=10",
            "municipality",
            reverse("settlement-payments") + "?limit=10",
        ),
    ]


if __name__ == "__main__":
    main()
