"""Failure drill: the load of run.py, and meanwhile things break (loopback only).

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/2 \
      .venv/bin/python bench/load/drill.py [--users 20] [--seconds 100]

Same stack and fixture as run.py (nginx -> gunicorn, two qclusters, PostgreSQL, Redis). While
locust runs, at fixed moments: SIGKILL one gunicorn worker (the master starts another), SIGKILL
one whole qcluster (its process group; started again 5 s later, as systemd's Restart= would),
restart Redis (``redis-cli shutdown nosave``, then ``redis-server REDIS_CONF --daemonize yes``:
everything it held is gone, as in a crash), and then restart PostgreSQL once
(``pg_ctlcluster 15 main restart``, PG_RESTART to change it). Needs root for the restarts;
it touches the machine's one Redis and PostgreSQL, so other users of them see the restarts too.

Afterwards the same checks as run.py plus ``bookings_half_written`` (a group whose
appointments do not all have their legs, or not all-or-nothing: a group with fewer visits than
workers sent, or a booking answered 201 that is not in the database), the 5xx answers by step
and whether each 503 carried Retry-After. Every event is printed as a JSON line
(metric ``event``) with the second it happened.
"""

import argparse
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import run as load  # noqa: E402 - bench/load/run.py, next to this file

BENCH = "load_drill"
emit = load.emit
REDIS_CONF = os.environ.get("REDIS_CONF", "/etc/redis/redis.conf")
PG_RESTART = os.environ.get("PG_RESTART", "pg_ctlcluster 15 main restart")


def event(t0: float, what: str, **facts):
    value = {"at_s": round(time.monotonic() - t0, 1), "what": what, **facts}
    print(json.dumps({"bench": BENCH, "metric": "event", "value": value, "unit": "event"}))
    sys.stdout.flush()


def children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def wait_until(check, seconds: float) -> float | None:
    """Seconds until check() is true, None when it never was."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        try:
            if check():
                return round(time.monotonic() - start, 1)
        except Exception:
            pass
        time.sleep(0.5)
    return None


def redis_up() -> bool:
    out = subprocess.run(["redis-cli", "ping"], capture_output=True, text=True).stdout
    return out.strip() == "PONG"


def pg_up() -> bool:
    url = os.environ["DATABASE_URL"]
    import psycopg

    with psycopg.connect(url, connect_timeout=2) as conn:
        return conn.execute("SELECT 1").fetchone() == (1,)


def kill_web_worker(stack, t0):
    master = stack.procs["web"].pid
    workers = children(master)
    if not workers:
        return event(t0, "gunicorn worker: none found")
    victim = workers[0]
    os.kill(victim, signal.SIGKILL)
    back = wait_until(lambda: len(children(master)) >= len(workers), 30)
    event(t0, "gunicorn worker SIGKILL", pid=victim, workers=len(workers), replaced_after_s=back)


def kill_qcluster(stack, t0):
    proc = stack.procs["worker-2"]
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    event(t0, "qcluster worker-2 SIGKILL (whole process group)", pid=proc.pid)
    time.sleep(5)
    stack.start(
        "worker-2", [sys.executable, "manage.py", "qcluster"], {"Q_SCHEDULER": "0"}
    )  # as systemd's Restart= would
    event(t0, "qcluster worker-2 started again", pid=stack.procs["worker-2"].pid)


def restart_redis(t0):
    subprocess.run(["redis-cli", "shutdown", "nosave"], capture_output=True)
    down = time.monotonic()
    event(t0, "redis shutdown nosave")
    time.sleep(2)
    subprocess.run(["redis-server", REDIS_CONF, "--daemonize", "yes"], check=True)
    back = wait_until(redis_up, 30)
    event(t0, "redis started", down_s=round(time.monotonic() - down, 1), ping_after_s=back)


def restart_postgres(t0):
    started = time.monotonic()
    event(t0, "postgresql restart")
    res = subprocess.run(PG_RESTART.split(), capture_output=True, text=True)
    back = wait_until(pg_up, 60)
    event(
        t0,
        "postgresql back",
        rc=res.returncode,
        took_s=round(time.monotonic() - started, 1),
        select_1_after_s=back,
    )


def half_written(since, booked_by_client: list) -> dict:
    """Groups that are not all-or-nothing, visits without all their legs, 201s not stored."""
    from django.db.models import Count, Q

    from scheduling.models import Appointment, GroupBooking

    groups = GroupBooking.objects.filter(created_at__gte=since).annotate(
        visits=Count("appointments", distinct=True)
    )
    by_ref = {g.reference: g for g in groups}
    legless = (
        Appointment.objects.filter(group_booking__created_at__gte=since, start__isnull=False)
        .annotate(n=Count("legs"), planned=Count("legs", filter=~Q(legs__state="cancelled")))
        .filter(Q(n=0) | (Q(planned=0) & ~Q(status="cancelled")))
        .count()
    )
    missing = short = 0
    for reference, workers in booked_by_client:
        group = by_ref.get(reference)
        if group is None or group.status != "confirmed":
            missing += 1
        elif group.visits != workers:
            short += 1
    empty_confirmed = sum(1 for g in groups if g.status == "confirmed" and g.visits == 0)
    return {
        "bookings_half_written": legless + short + empty_confirmed,
        "bookings_lost": missing,
        "groups_in_database": len(by_ref),
    }


def drill(stack, t0, plan, stop: threading.Event):
    for at, name, action in plan:
        while time.monotonic() - t0 < at:
            if stop.wait(0.2):
                return
        try:
            action()
        except Exception as exc:  # the drill reports, it does not stop the load
            event(t0, f"{name} failed", error=repr(exc))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=20)
    ap.add_argument("--seconds", type=int, default=100)
    ap.add_argument("--port", type=int, default=8161)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    args.profile = "stress"  # the drill's load: run.py's stress profile (bench/load/profiles.py)
    load_plan = load.plan_from_args(args)
    if os.geteuid() != 0:
        sys.exit("drill.py restarts Redis and PostgreSQL: run it as root")
    tmp = Path(tempfile.mkdtemp(prefix="bmip-drill-"))
    env = load.environment(tmp)
    env["SECRET_KEY"] = env.get("SECRET_KEY") or secrets.token_urlsafe(40)
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections
    from django.utils import timezone

    stack = load.Stack(env, args.port, tmp)
    stop = threading.Event()
    try:
        call_command("migrate", verbosity=0, interactive=False)
        fixture = load.fixture_build()
        (tmp / "fixture.json").write_text(json.dumps(fixture))
        (tmp / "plan.json").write_text(json.dumps(load_plan))
        from django_q.brokers import get_broker

        get_broker().purge_queue()
        connections.close_all()  # the drill restarts PostgreSQL: no connection held across it
        since = timezone.now()
        stack.start_all()
        t0 = time.monotonic()
        s = args.seconds
        plan = [
            (s * 0.15, "kill gunicorn worker", lambda: kill_web_worker(stack, t0)),
            (s * 0.30, "kill qcluster", lambda: kill_qcluster(stack, t0)),
            (s * 0.45, "restart redis", lambda: restart_redis(t0)),
            (s * 0.65, "restart postgresql", lambda: restart_postgres(t0)),
        ]
        breaker = threading.Thread(target=drill, args=(stack, t0, plan, stop), daemon=True)
        breaker.start()
        records = load.locust_run(
            f"http://127.0.0.1:{args.port}",
            tmp / "fixture.json",
            tmp / "requests.jsonl",
            load_plan["users"],
            args.seconds,
            20000,
            tmp / "plan.json",
        )
        stop.set()
        breaker.join(120)
        elapsed = time.monotonic() - t0
        unexpected = load.report(records, elapsed, bench=BENCH, also_expected={503})
        server_errors: dict = {}
        no_retry_after = 0
        for name, _ms, status, *rest in records:
            if status >= 500 or status == 0:
                server_errors.setdefault(name, {}).setdefault(str(status), 0)
                server_errors[name][str(status)] += 1
            if status == 503 and not (rest and rest[0]):
                no_retry_after += 1
        print(json.dumps({"bench": BENCH, "metric": "server_errors", "value": server_errors}))
        emit(BENCH, "unavailable_without_retry_after", no_retry_after, "count")
        connections.close_all()
        left = load.wait_tasks_done(90)
        stack.stop()
        emit(BENCH, "tasks_left_in_queue", left, "count")
        found = load.checks(tmp / "mail", since)
        booked = [
            tuple(json.loads(line))
            for line in (tmp / "requests.jsonl.bookings").read_text().splitlines()
        ]
        found.update(half_written(since, booked))
        for metric, value in found.items():
            emit(BENCH, metric, value, "count")
        bad = unexpected + sum(
            found[k]
            for k in (
                "overlapping_legs",
                "queue_number_faults",
                "emails_lost",
                "emails_doubled",
                "bookings_half_written",
                "bookings_lost",
            )
        )
        return 1 if bad else 0
    finally:
        stop.set()
        stack.stop()
        if not redis_up():
            subprocess.run(["redis-server", REDIS_CONF, "--daemonize", "yes"])
        connections.close_all()
        if not args.keep:
            load.database_drop(env["DATABASE_URL"])
        print(f"# logs in {tmp}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
