"""Liveness and readiness for load balancers and monitoring (public, no secrets).

``/healthz``: the process answers (no database, no broker): restart the process when it fails.
``/readyz``: JSON with one entry per check and 200 when all pass, 503 (``Retry-After``) when
one fails: the database answers, every migration is applied, the django-q2 broker answers,
a worker cluster reported a heartbeat within ``READYZ_WORKER_MAX_AGE_S`` seconds (django-q2
clusters write their stats to the broker every few seconds and they expire after 3 s). The
periodic schedules (``core.schedules``) are listed with their next run and whether they are
overdue; an overdue schedule is reported, not failed (one late reminder run must not take
every web process out of the pool). Only names, booleans, counts and times are returned:
no host names, URLs, versions or error texts.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)
_migrations_applied = False  # once true for this process it stays true (a deploy restarts)


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


def check_database() -> dict:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True}


def check_migrations() -> dict:
    global _migrations_applied
    if not _migrations_applied:
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            return {"ok": False, "unapplied": len(plan)}
        _migrations_applied = True
    return {"ok": True, "unapplied": 0}


def check_broker() -> dict:
    from django_q.brokers import get_broker

    broker = get_broker()
    broker.ping()
    return {"ok": True, "kind": "redis" if "redis" in settings.Q_CLUSTER else "orm"}


def check_workers(now: dt.datetime | None = None) -> dict:
    from django_q.brokers import get_broker
    from django_q.status import Stat

    now = now or timezone.now()
    max_age = settings.READYZ_WORKER_MAX_AGE_S
    ages = [(now - stat.timestamp).total_seconds() for stat in Stat.get_all(broker=get_broker())]
    fresh = [age for age in ages if age <= max_age]
    return {
        "ok": bool(fresh),
        "clusters": len(fresh),
        "heartbeat_age_s": round(min(ages), 1) if ages else None,
        "max_age_s": max_age,
    }


def schedules_report(now: dt.datetime | None = None) -> dict:
    from django_q.models import Schedule

    now = now or timezone.now()
    grace = dt.timedelta(seconds=settings.READYZ_SCHEDULE_GRACE_S)
    report = {}
    for name, next_run, task_id in Schedule.objects.values_list("name", "next_run", "task"):
        report[name] = {
            "next_run": next_run.isoformat() if next_run else None,
            "ran": bool(task_id),
            "overdue": bool(next_run and next_run < now - grace),
        }
    return report


CHECKS = {
    "database": check_database,
    "migrations": check_migrations,
    "broker": check_broker,
    "workers": check_workers,
}


@never_cache
@require_GET
def readyz(request):
    checks = {}
    for name, check in CHECKS.items():
        try:
            checks[name] = check()
        except Exception as exc:  # a failing dependency is the answer, not a 500
            logger.warning("readyz: %s failed: %s", name, type(exc).__name__)
            checks[name] = {"ok": False}
    required = [n for n in CHECKS if n != "workers" or settings.READYZ_REQUIRE_WORKER]
    ready = all(checks[n]["ok"] for n in required)
    body = {"status": "ok" if ready else "unavailable", "checks": checks}
    if checks["database"]["ok"]:
        try:
            body["schedules"] = schedules_report()
        except Exception as exc:
            logger.warning("readyz: schedules failed: %s", type(exc).__name__)
    response = JsonResponse(body, status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = "5"
    return response
