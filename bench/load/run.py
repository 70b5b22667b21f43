"""Load test: a desk day through gunicorn + two qclusters on PostgreSQL and Redis (loopback).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/2 \
      .venv/bin/python bench/load/run.py [--profile deskday|stress] [--seconds N] \
      [--users 20 (stress only)] [--max-requests 20000]

Creates a scratch database (bmip_load_<pid>, dropped afterwards unless --keep), seeds the
demo data plus officers, employers (API tokens), today's booked visits and paired kiosk
devices, starts make serve's nginx (deploy/nginx, rate limits on) in front of gunicorn
(WEB_WORKERS, default 4) and two qcluster processes (one scheduler) on 127.0.0.1, runs locust
headless (bench/load/locustfile.py) bounded in time and requests, stops everything and checks
the database: overlapping legs, duplicate queue numbers, group confirmation e-mails sent
exactly once (file backend). The app's DRF throttles are off for the run (THROTTLE_*=off;
docs/deploy.md). Prints JSON lines in the bench/ format. Not run by `make bench` (it lives
under bench/load/). bench/load/drill.py runs the same load while things break.

Two traffic profiles (bench/load/profiles.py, printed as ``plan`` and ``plan_*`` lines):
``deskday`` (default, 300 s) is the peak hour of a desk day at ten times Noord-Brabant's
volume, each user paced from the model's numbers (34 users: an officer per counter, a kiosk
per desk, employers, planners, municipalities; about 2 requests/s); ``stress`` (60 s, 20
users) is the old 0.3-1.5 s think time, to find where the machine saturates. Both print the
same metrics; ``intended_requests_per_s`` (the plan; for stress the ceiling at zero latency)
beside ``requests_per_s`` and ``steady_requests_per_s`` (what was achieved) tells whether the
load was what it claims. SIGTERM/SIGINT stop the stack and drop the scratch database too.
"""

import argparse
import importlib.util
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import profiles

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

# bench/_common.py's emit and percentile, loaded by path: putting bench/ on sys.path would let
# bench/queue.py shadow the standard library's queue module.
_spec = importlib.util.spec_from_file_location("bench_common", HERE.parent / "_common.py")
_common = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_common)
emit, percentile = _common.emit, _common.percentile

BENCH = "load"
PASSWORD = "load-test-1234"


def database_create(url: str, keep_name: str | None, reuse: bool = False) -> str:
    """A fresh scratch database (``reuse``: the named one as it is, created if missing)."""
    import psycopg

    base, _, _ = url.rpartition("/")
    name = keep_name or f"bmip_load_{os.getpid()}"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if reuse and exists:
            return f"{base}/{name}"
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


def database_drop(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def fixture_build(officers_per_desk: int = 4, employers: int = 5) -> dict:
    """Demo data plus the load's users and devices; returns what the locustfile needs."""
    import datetime as dt

    from django.core.management import call_command
    from django.utils import timezone

    from core.roles import Role
    from core.tokens import api_token_create
    from kiosk.models import KioskDevice, KioskSettings, WalkInPolicy
    from kiosk.services.devices import _secret_hash
    from scheduling.models import Employer, Location, Municipality, ServiceType
    from scheduling.services.staff import staff_user_upsert

    call_command("load_reference", verbosity=0)
    call_command("seed_demo", verbosity=0)
    desks = list(Location.objects.filter(kind="desk", is_active=True).order_by("pk"))
    walk_in = list(ServiceType.objects.filter(code__in=["welcome", "formhelp", "zvw"]))
    fixture = {
        "password": PASSWORD,
        "desks": [d.pk for d in desks],
        "desk_slugs": [d.slug for d in desks],
        "municipalities": list(
            Municipality.objects.filter(region__isnull=False).values_list("cbs_code", flat=True)[
                :20
            ]
        ),
        "walk_in_services": [s.code for s in walk_in],
        "logins": {"officer": [], "employer": [], "coordinator": [], "municipality": []},
        "officer_desk": {},
        "officer_seats": [],  # [counter, login]: an officer per counter (deskday)
        "counters": {},
        "devices": [],
        "book_from": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
    }
    for desk in desks:
        fixture["counters"][str(desk.pk)] = list(
            desk.counters.filter(is_active=True).values_list("pk", flat=True)
        )
        # Check-in opens the whole day: the visits made for today (visits_for_today) run on
        # from now, past the default window.
        KioskSettings.objects.update_or_create(
            location=desk, defaults={"kiosk_walk_ins": True, "early_minutes": 24 * 60}
        )
        for service in walk_in:
            WalkInPolicy.objects.update_or_create(
                location=desk, service=service, defaults={"daily_cap": 999}
            )
        secret = secrets.token_urlsafe(32)
        KioskDevice.objects.create(
            location=desk,
            name=f"load kiosk {desk.slug}",
            secret_hash=_secret_hash(secret),
            paired_at=timezone.now(),
        )
        fixture["devices"].append({"location": desk.slug, "secret": secret})
        for i in range(officers_per_desk):
            name = f"load-officer-{desk.slug}-{i}"
            staff_user_upsert(username=name, password=PASSWORD, role=Role.OFFICER, location=desk)
            fixture["logins"]["officer"].append(name)
            fixture["officer_desk"][name] = str(desk.pk)
        names = [f"load-officer-{desk.slug}-{i}" for i in range(officers_per_desk)]
        for i, counter in enumerate(fixture["counters"][str(desk.pk)]):
            fixture["officer_seats"].append([counter, names[i % len(names)]])
    fixture["tokens"] = []
    for i, employer in enumerate(Employer.objects.order_by("pk")[:employers]):
        name = f"load-employer-{i}"
        user = staff_user_upsert(
            username=name, password=PASSWORD, role=Role.EMPLOYER, employer=employer
        )
        fixture["tokens"].append(api_token_create(user=user, name="load test")[1])
    fixture["check_in_codes"] = visits_for_today(desks)
    # Planners and municipalities read through the API with tokens too (integrations); only the
    # counter officers log in with a session (the counter console is a browser).
    user = staff_user_upsert(username="load-coordinator", password=PASSWORD, role=Role.COORDINATOR)
    fixture["planner_tokens"] = [api_token_create(user=user, name="load test")[1]]
    muni = Municipality.objects.get(cbs_code="GM0826")
    user = staff_user_upsert(
        username="load-municipality", password=PASSWORD, role=Role.MUNICIPALITY, municipality=muni
    )
    fixture["municipality_tokens"] = [api_token_create(user=user, name="load test")[1]]
    return fixture


def visits_for_today(desks, per_desk: int = 60, after=None) -> dict:
    """Booked visits for today from now on (one leg each), for the kiosks to check in.

    The run's "today" is the real one and may fall outside opening hours (an evening run), so
    they are written directly (as tests/factories.appointment does), not through the booking
    engine: every leg on a counter able to do it, never two legs on one counter at once. A
    visit that would run past midnight is left out. ``after``: start then instead of now. Returns {location slug: [booking codes]}.
    """
    import datetime as dt

    from django.utils import timezone

    from scheduling.models import Appointment, Leg, ServiceType

    services = list(ServiceType.objects.filter(code__in=["brp", "zvw", "welcome"]))
    now = timezone.localtime(after or timezone.now()).replace(second=0, microsecond=0)
    midnight = (now + dt.timedelta(days=1)).replace(hour=0, minute=0)
    codes: dict = {}
    for desk in desks:
        client_ids = list(desk_clients(desk, per_desk))
        free_at: dict = {}
        codes[desk.slug] = []
        for i, client_id in enumerate(client_ids):
            service = services[i % len(services)]
            able = list(desk.counters.filter(is_active=True, services=service).order_by("pk"))
            if not able:
                continue
            counter = min(able, key=lambda c: free_at.get(c.pk, now))
            start = free_at.get(counter.pk, now)
            end = start + dt.timedelta(minutes=service.duration_minutes)
            if end >= midnight:
                continue
            free_at[counter.pk] = end
            appt = Appointment.objects.create(
                client_id=client_id, location=desk, status="booked", start=start, end=end
            )
            Leg.objects.create(
                appointment=appt, position=1, service=service, counter=counter,
                start=start, end=end, state="planned",
            )  # fmt: skip
            codes[desk.slug].append(appt.booking_code)
    return codes


def desk_clients(desk, count: int):
    """``count`` new clients for the desk's visits of today."""
    from scheduling.models import Client, Municipality

    muni = Municipality.objects.get(cbs_code="GM0826")
    for i in range(count):
        yield Client.objects.create(
            first_name="Kiosk", last_name=f"Load{desk.pk}x{i}", birth_date="1990-05-17",
            nationality="PL", language="pl", expected_stay_months=12,
            municipality_of_residence=muni,
        ).pk  # fmt: skip


class Stack:
    """gunicorn + two qclusters, each in its own process group."""

    def __init__(self, env: dict, port: int, logdir: Path):
        # nginx listens on `port` (what the clients use); gunicorn on port + 1 behind it.
        self.env, self.port, self.app_port, self.logdir = env, port, port + 1, logdir
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, args: list[str], extra_env: dict | None = None):
        log = open(self.logdir / f"{name}.log", "ab")
        self.procs[name] = subprocess.Popen(
            args,
            cwd=ROOT,
            env={**self.env, **(extra_env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_all(self):
        bindir = Path(sys.executable).parent
        self.start(
            "web",
            [str(bindir / "gunicorn"), "-c", "deploy/gunicorn.conf.py", "bmip.wsgi"],
            {"WEB_BIND": f"127.0.0.1:{self.app_port}"},
        )
        self.start("worker-1", [sys.executable, "manage.py", "qcluster"], {"Q_SCHEDULER": "1"})
        self.start("worker-2", [sys.executable, "manage.py", "qcluster"], {"Q_SCHEDULER": "0"})
        self.start(
            "nginx", [nginx_binary(), "-c", str(self.nginx_config()), "-p", str(self.logdir)]
        )
        wait_http(f"http://127.0.0.1:{self.port}/healthz", 60)

    def nginx_config(self) -> Path:
        """make serve's nginx (deploy/nginx templates, bin/render-nginx) in the measured path,
        with its rate limits in place (NGINX_*_RATE to change them)."""
        run = self.logdir
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (run / sub).mkdir(exist_ok=True)
        env = {
            **os.environ,
            "PREFIX": str(run),
            "UPSTREAM": f"127.0.0.1:{self.app_port}",
            "LISTEN": f"127.0.0.1:{self.port}",
            "SERVER_NAME": "localhost",
            "ACCESS_LOG": str(run / "nginx-access.log"),
            "STATIC_ROOT": str(run / "static"),
            "CLIENT_MAX_BODY": str(2 * 1024 * 1024 + 65536),
            "KIOSK_RATE": os.environ.get("NGINX_KIOSK_RATE", "20r/s"),
            "KIOSK_BURST": "40",
            "API_RATE": os.environ.get("NGINX_API_RATE", "30r/s"),
            "API_BURST": "60",
            "ANON_RATE": os.environ.get("NGINX_ANON_RATE", "10r/s"),
            "ANON_BURST": "30",
        }
        render = [sys.executable, str(ROOT / "bin" / "render-nginx")]
        tpl = ROOT / "deploy" / "nginx"
        subprocess.run(
            [*render, tpl / "bmip.conf.template", run / "bmip.conf"], env=env, check=True
        )
        subprocess.run(
            [*render, tpl / "serve-main.conf.template", run / "nginx.conf"], env=env, check=True
        )
        return run / "nginx.conf"

    def stop(self, name: str | None = None, timeout: float = 15):
        names = [name] if name else list(self.procs)
        for n in names:
            try:
                os.killpg(self.procs[n].pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + timeout
        for n in names:
            try:
                self.procs[n].wait(max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                os.killpg(self.procs[n].pid, signal.SIGKILL)
                self.procs[n].wait()


def nginx_binary() -> str:
    import shutil

    found = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(found):
        sys.exit("bench/load needs nginx (apt-get install nginx-light), as `make serve` does")
    return found


def wait_http(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as res:
                if res.status == 200:
                    return True
        except Exception:
            time.sleep(0.5)
    return False


def locust_run(
    host: str,
    fixture_path: Path,
    out: Path,
    users: int,
    seconds: int,
    max_requests: int,
    plan_path: Path,
):
    env = {
        **os.environ,
        "LOAD_PLAN": str(plan_path),
        "LOAD_FIXTURE": str(fixture_path),
        "LOAD_OUT": str(out),
        "LOAD_MAX_REQUESTS": str(max_requests),
    }
    assert host.startswith(("http://127.0.0.1", "http://localhost")), "loopback only"
    subprocess.run(
        [
            str(Path(sys.executable).parent / "locust"),
            "-f", str(HERE / "locustfile.py"),
            "--headless", "--users", str(users), "--spawn-rate", str(users),
            "--run-time", f"{seconds}s", "--host", host, "--only-summary",
            "--loglevel", "WARNING", "--stop-timeout", "10",
        ],
        env=env, check=False, cwd=HERE, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return [json.loads(line) for line in out.read_text().splitlines()]


def report(records: list, seconds: float, bench: str = BENCH, also_expected=frozenset()) -> int:
    from locustfile_expected import EXPECTED  # noqa: PLC0415

    by_name: dict[str, list] = {}
    unexpected = 0
    statuses: dict[str, dict] = {}
    for name, ms, status, *_ in records:
        by_name.setdefault(name, []).append(ms)
        statuses.setdefault(name, {}).setdefault(str(status), 0)
        statuses[name][str(status)] += 1
        if status not in EXPECTED.get(name, {200}) and status not in also_expected:
            unexpected += 1
    emit(bench, "requests", len(records), "count")
    emit(bench, "requests_per_s", round(len(records) / seconds, 1), "req/s")
    for name, values in sorted(by_name.items()):
        for p in (50, 95, 99):
            emit(bench, f"{name}_p{p}_ms", round(percentile(values, p / 100), 1), "ms")
        emit(bench, f"{name}_count", len(values), "count")
    print(json.dumps({"bench": bench, "metric": "statuses", "value": statuses, "unit": "count"}))
    emit(bench, "unexpected_errors", unexpected, "count")
    steady_report(records, bench)
    return unexpected


def plan_report(plan: dict, bench: str = BENCH) -> None:
    """The profile's numbers, one JSON line each: what the load is meant to be."""
    emit(bench, "profile", plan["profile"], "name")
    emit(bench, "users", plan["users"], "count")
    emit(bench, "intended_requests_per_s", plan["intended_requests_per_s"], "req/s")
    for key, value in {**plan.get("model", {}), **plan.get("derived", {})}.items():
        emit(bench, f"plan_{key}", value, "")
    for name, cls in plan["classes"].items():
        print(json.dumps({"bench": bench, "metric": f"plan_class_{name}", "value": cls}))


def steady_report(records: list, bench: str) -> None:
    """The same percentiles once every user has logged in. All users start together and log
    in during the first seconds (a password hash each, on the same cores as the server),
    which a desk day spreads over the morning: the figures above include that burst, the
    ``steady_*`` ones leave it out (requests that ended after the last log-in ended)."""
    ends = [record[4] for record in records if len(record) > 4 and record[0] == "login"]
    if not ends:
        return
    since = max(ends)
    steady = [record for record in records if len(record) > 4 and record[4] > since]
    last = max((record[4] for record in steady), default=since)
    emit(bench, "steady_window_s", round(last - since, 1), "s")
    if last > since:
        emit(bench, "steady_requests_per_s", round(len(steady) / (last - since), 2), "req/s")
    by_name: dict[str, list] = {}
    for name, ms, *_ in steady:
        by_name.setdefault(name, []).append(ms)
    for name, values in sorted(by_name.items()):
        emit(bench, f"steady_{name}_p95_ms", round(percentile(values, 0.95), 1), "ms")
        emit(bench, f"steady_{name}_count", len(values), "count")


def checks(mail_dir: Path, since) -> dict:
    """After the run: the database and the sent mail tell whether anything went wrong."""
    from django.db import connection

    from scheduling.models import GroupBooking

    with connection.cursor() as cur:
        cur.execute(
            """SELECT count(*) FROM scheduling_leg a JOIN scheduling_leg b
                 ON a.counter_id = b.counter_id AND a.id < b.id
                AND a.start < b."end" AND b.start < a."end"
                AND a.state <> 'cancelled' AND b.state <> 'cancelled'"""
        )
        overlapping = int(cur.fetchone()[0])
        cur.execute(
            """SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) n FROM kiosk_queueticket
                GROUP BY location_id, service_date, code HAVING count(*) > 1) d"""
        )
        duplicate_numbers = int(cur.fetchone()[0])
        cur.execute("SELECT count(*) FROM kiosk_queueticket WHERE code = '' OR code IS NULL")
        missing_numbers = int(cur.fetchone()[0])
    refs = list(
        GroupBooking.objects.filter(created_at__gte=since, status="confirmed").values_list(
            "reference", flat=True
        )
    )
    mails = [p.read_text(errors="replace") for p in mail_dir.glob("*.log")]
    subjects = [line for text in mails for line in text.splitlines() if line.startswith("Subject:")]
    lost = doubled = 0
    for ref in refs:
        count = sum(1 for s in subjects if ref in s)
        lost += count == 0
        doubled += count > 1
    return {
        "overlapping_legs": overlapping,
        "queue_number_faults": duplicate_numbers + missing_numbers,
        "groups_booked": len(refs),
        "emails_lost": lost,
        "emails_doubled": doubled,
    }


def wait_tasks_done(seconds: float = 60) -> int:
    """Wait until the broker's queue is empty; returns the tasks still queued."""
    from django_q.brokers import get_broker

    broker = get_broker()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if broker.queue_size() == 0:
            time.sleep(3)  # the last ones being run
            if broker.queue_size() == 0:
                return 0
        time.sleep(1)
    return broker.queue_size()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--profile", choices=["deskday", "stress"], default="deskday")
    ap.add_argument(
        "--users", type=int, default=None, help="stress only (default 20); deskday: the model's"
    )
    ap.add_argument("--seconds", type=int, default=None, help="deskday 300, stress 60")
    ap.add_argument("--max-requests", type=int, default=20000)
    ap.add_argument("--port", type=int, default=8111)
    ap.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = ap.parse_args()
    args.plan = plan_from_args(args)
    if args.seconds is None:
        args.seconds = 300 if args.profile == "deskday" else 60
    # A SIGTERM (timeout, systemd, kill) runs run()'s clean-up like Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    return run(args)


def plan_from_args(args) -> dict:
    plan = profiles.plan_for(args.profile)
    if args.profile == "deskday":
        if args.users not in (None, plan["users"]):
            print(
                f"# deskday: {plan['users']} users from the model (bench/load/profiles.py); "
                f"--users {args.users} ignored",
                file=sys.stderr,
            )
        return plan
    users = args.users or plan["users"]
    if users != plan["users"]:  # scale every class; at least one user each
        factor = users / plan["users"]
        for cls in plan["classes"].values():
            new = max(1, round(cls["users"] * factor))
            cls["actions_per_s"] = {
                a: round(r * new / cls["users"], 4) for a, r in cls["actions_per_s"].items()
            }
            cls["users"] = new
        plan = {**plan, **profiles.totals(plan["classes"])}
    return plan


def environment(tmp: Path, name: str | None = None, reuse: bool = False) -> dict:
    url = os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/load needs PostgreSQL (DATABASE_URL=postgresql://...)")
    (tmp / "mail").mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bmip.settings",
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", secrets.token_urlsafe(40)),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/2"),
        "EMAIL_BACKEND": "file",
        "EMAIL_FILE_PATH": str(tmp / "mail"),
        "MEDIA_ROOT": str(tmp / "media"),
        "LOG_LEVEL": "WARNING",
        "WEB_WORKERS": os.environ.get("WEB_WORKERS", "4"),
        # Plain HTTP on loopback, as make serve (bin/run-serve): no TLS, so no HTTPS redirect.
        "SECURE_SSL_REDIRECT": "0",
        # The app's own DRF throttles (per user, per device, per address) are meant for one
        # misbehaving client; the load's 20 users from one address would hit them and measure
        # 429s instead of the app. nginx's limits (per token / device address) stay in place.
        "THROTTLE_ANON": "off",
        "THROTTLE_USER": "off",
        "THROTTLE_KIOSK_DEVICE": "off",
        "THROTTLE_LOGIN": "off",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
    }
    env["DATABASE_URL"] = database_create(url, name, reuse)
    return env


def run(args) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="bmip-load-"))
    env = environment(tmp)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    stack = Stack(env, args.port, tmp)
    try:
        call_command("migrate", verbosity=0, interactive=False)
        fixture = fixture_build()
        (tmp / "fixture.json").write_text(json.dumps(fixture))
        (tmp / "plan.json").write_text(json.dumps(args.plan))
        plan_report(args.plan)
        from django_q.brokers import get_broker

        get_broker().purge_queue()
        since = timezone.now()
        stack.start_all()
        started = time.monotonic()
        records = locust_run(
            f"http://127.0.0.1:{args.port}",
            tmp / "fixture.json",
            tmp / "requests.jsonl",
            args.plan["users"],
            args.seconds,
            args.max_requests,
            tmp / "plan.json",
        )
        elapsed = time.monotonic() - started
        unexpected = report(records, elapsed)
        left = wait_tasks_done()
        stack.stop()
        emit(BENCH, "tasks_left_in_queue", left, "count")
        found = checks(tmp / "mail", since)
        for metric, value in found.items():
            emit(BENCH, metric, value, "count")
        bad = unexpected + sum(
            found[k]
            for k in ("overlapping_legs", "queue_number_faults", "emails_lost", "emails_doubled")
        )
        return 1 if bad else 0
    finally:
        stack.stop()
        from django.db import connections

        connections.close_all()
        if not args.keep:
            database_drop(env["DATABASE_URL"])
        print(f"# logs in {tmp}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
