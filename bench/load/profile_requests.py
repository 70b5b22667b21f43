"""One request of each hot API path, in-process: queries and a cProfile summary (no server).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres \
      .venv/bin/python bench/load/profile_requests.py [--repeat 20] [--top 25] [--sql]

Builds a scratch database with run.py's fixture (demo data, officers, employer tokens, kiosk
devices, today's booked visits), then with Django's test client (no nginx, no gunicorn) makes
the load test's requests: availability search (token), group booking POST (token), kiosk
check-in (device), call-next, start and record (officer session). Prints, per step, the
queries of one request and the median of --repeat requests' time, plus (--top) cProfile's
heaviest functions by cumulative time over the repeats. Judge changes by the query counts
and the profile's shares: wall-clock times on a shared machine are noise. The scratch
database is dropped afterwards (--keep to keep it).
"""

import argparse
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import random
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run as load  # noqa: E402 - bench/load/run.py, next to this file


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--top", type=int, default=0)
    ap.add_argument("--sql", action="store_true", help="print the SQL of one request")
    ap.add_argument("--only", default="", help="comma-separated steps")
    ap.add_argument("--keep", action="store_true")
    ap.add_argument(
        "--db", default="", help="build (first time) or reuse this database; kept afterwards"
    )
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="bmip-profile-"))
    env = load.environment(tmp, name=args.db or None, reuse=bool(args.db))
    args.keep = args.keep or bool(args.db)
    env["ALLOWED_HOSTS"] = "127.0.0.1,localhost,testserver"
    os.environ.update(env)
    import django

    django.setup()
    try:
        return profile(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            load.database_drop(env["DATABASE_URL"])
        shutil.rmtree(tmp, ignore_errors=True)


def profile(args) -> int:  # noqa: C901 - one script, steps as closures
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from scheduling.models import Location

    saved = Path(tempfile.gettempdir()) / f"bmip-profile-{args.db}.json"
    if args.db and saved.exists():  # reused: fresh visits for today to check in
        fixture = json.loads(saved.read_text())
        desks = list(Location.objects.filter(pk__in=fixture["desks"]).order_by("pk"))
        from django.db.models import Max

        from scheduling.models import Leg

        today = Leg.objects.filter(start__date=dt.date.today(), appointment__location__in=desks)
        last = today.aggregate(last=Max("end"))["last"]
        fixture["check_in_codes"] = load.visits_for_today(desks, after=last)
    else:
        call_command("migrate", verbosity=0, interactive=False)
        fixture = load.fixture_build()
        if args.db:
            saved.write_text(json.dumps(fixture))
    random.seed(7)
    book_from = dt.date.fromisoformat(fixture["book_from"])

    employer = Client(
        HTTP_AUTHORIZATION=f"Bearer {fixture['tokens'][0]}", HTTP_ACCEPT_LANGUAGE="en"
    )
    planner = Client(
        HTTP_AUTHORIZATION=f"Bearer {fixture['planner_tokens'][0]}", HTTP_ACCEPT_LANGUAGE="en"
    )
    device = fixture["devices"][0]
    kiosk = Client(HTTP_X_KIOSK_DEVICE=device["secret"], HTTP_ACCEPT_LANGUAGE="en")
    desk = next(
        d
        for d, s in zip(fixture["desks"], fixture["desk_slugs"], strict=True)
        if s == device["location"]
    )
    officer_name = next(n for n, d in fixture["officer_desk"].items() if d == str(desk))
    officer = Client(HTTP_ACCEPT_LANGUAGE="en")
    from django.contrib.auth import get_user_model

    officer.force_login(get_user_model().objects.get(username=officer_name))
    codes = list(fixture["check_in_codes"][device["location"]])

    def availability():
        start = book_from + dt.timedelta(days=random.randint(0, 20))
        return planner.get(
            "/api/v1/availability/",
            {
                "services": random.choice(["brp,welcome", "zvw", "rni,formhelp", "brp"]),
                "date_from": start.isoformat(),
                "date_to": (start + dt.timedelta(days=4)).isoformat(),
                "location": random.choice(fixture["desk_slugs"]),
            },
        )

    def booking():
        start = book_from + dt.timedelta(days=random.randint(0, 20))
        body = {
            "location": random.choice(fixture["desks"]),
            "date_from": start.isoformat(),
            "date_to": (start + dt.timedelta(days=4)).isoformat(),
            "po_reference": f"PO-{uuid.uuid4().hex[:6]}",
            "confirm": True,
            "workers": [
                {
                    "first_name": "Ana",
                    "last_name": f"Load{uuid.uuid4().hex[:8]}",
                    "birth_date": "1985-03-14",
                    "nationality": "PL",
                    "expected_stay_months": 12,
                    "municipality_of_residence": fixture["municipalities"][0],
                }
                for _ in range(2)
            ],
        }
        return employer.post(
            "/api/v1/group-bookings/", json.dumps(body), content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )  # fmt: skip

    def check_in():
        code = codes.pop(0) if codes else "NOPE"
        res = kiosk.post(
            "/api/v1/kiosk/check-in",
            json.dumps({"location": device["location"], "booking_code": code}),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )
        state["checked_in_leg"] = res.json()["ticket"]["leg"]
        return res

    state = {}

    def call_next():  # at the counter of the leg just checked in (it can serve it)
        from scheduling.models import Leg

        counter = Leg.objects.get(pk=state["checked_in_leg"]).counter_id
        res = officer.post(f"/api/v1/counters/{counter}/call-next")
        state["counter"], state["leg"] = counter, res.json().get("leg")
        return res

    def start():
        return officer.post(f"/api/v1/counters/{state['counter']}/start")

    def record():
        return officer.post(
            f"/api/v1/counter/legs/{state['leg']}/record/",
            json.dumps(load_record()), content_type="application/json",
        )  # fmt: skip

    # call-next, start and record go together (the officer serves the one called).
    visit = [("kiosk_check_in", check_in), ("call_next", call_next), ("start", start),
             ("record", record)]  # fmt: skip
    steps = [("availability", availability), ("booking", booking)] + visit
    only = set(filter(None, args.only.split(",")))
    times: dict = {name: [] for name, _ in steps}
    queries: dict = {}
    statuses: dict = {}
    profiler = cProfile.Profile()
    for round_ in range(args.repeat + 1):
        for name, fn in steps:
            with CaptureQueriesContext(connection) as ctx:
                if round_ > 0 and (not only or name in only):
                    profiler.enable()
                t0 = time.perf_counter()
                res = fn()
                elapsed = time.perf_counter() - t0
                profiler.disable()
            statuses.setdefault(name, {}).setdefault(res.status_code, 0)
            statuses[name][res.status_code] += 1
            if round_ == 0:  # the first round warms caches (translations, URL resolver)
                continue
            times[name].append(elapsed * 1000)
            if name not in queries:
                queries[name] = len(ctx.captured_queries)
                if args.sql and (not only or name in only):
                    print(f"--- {name} ({res.status_code})")
                    for q in ctx.captured_queries:
                        print("   ", q["sql"][:300])
    for name, _ in steps:
        print(json.dumps({
            "step": name, "queries": queries.get(name),
            "median_ms": round(statistics.median(times[name]), 1),
            "statuses": statuses[name],
        }))  # fmt: skip
    if args.top:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())
    return 0


def load_record():
    return {
        "outcome": "completed",
        "registration_date": dt.date.today().isoformat(),
        "insurance_result": "signed_up",
    }


if __name__ == "__main__":
    sys.exit(main())
