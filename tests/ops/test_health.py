"""/healthz and /readyz: what a load balancer and the operator see."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from core import health

pytestmark = pytest.mark.django_db

SECRET_WORDS = ("password", "secret", "redis://", "postgres", "127.0.0.1", "key")


def test_healthz_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.fixture
def worker_alive(monkeypatch):
    """A django-q2 cluster that reported a moment ago."""

    class FakeStat:
        timestamp = timezone.now() - dt.timedelta(seconds=2)

    monkeypatch.setattr(
        "django_q.status.Stat.get_all", staticmethod(lambda broker=None: [FakeStat])
    )


def test_readyz_ok_lists_every_check_and_the_schedules(client, worker_alive):
    response = client.get("/readyz")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "migrations": True,
        "broker": True,
        "workers": True,
    }
    assert body["checks"]["workers"]["clusters"] == 1
    assert body["checks"]["migrations"]["unapplied"] == 0
    # The periodic tasks (core.schedules) are created by migrate: each is listed.
    assert body["schedules"]
    assert all({"next_run", "ran", "overdue"} <= set(s) for s in body["schedules"].values())


def test_readyz_without_a_worker_heartbeat_is_503_with_retry_after(client, monkeypatch):
    monkeypatch.setattr("django_q.status.Stat.get_all", staticmethod(lambda broker=None: []))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["checks"]["workers"] == {
        "ok": False,
        "clusters": 0,
        "heartbeat_age_s": None,
        "max_age_s": 30,
    }


def test_readyz_stale_heartbeat_counts_as_no_worker(client, monkeypatch):
    class OldStat:
        timestamp = timezone.now() - dt.timedelta(minutes=5)

    monkeypatch.setattr("django_q.status.Stat.get_all", staticmethod(lambda broker=None: [OldStat]))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["workers"]["heartbeat_age_s"] >= 299


def test_readyz_broker_down_is_503_and_tells_no_secrets(client, worker_alive, monkeypatch):
    def refuse():
        raise ConnectionError("Error 111 connecting to redis://:s3cret@10.0.0.5:6379")

    monkeypatch.setitem(health.CHECKS, "broker", refuse)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == {"ok": False}
    text = response.content.decode().lower()
    assert "s3cret" not in text and "10.0.0.5" not in text
    for word in SECRET_WORDS:
        assert word not in text


def test_readyz_unapplied_migrations_is_503(client, worker_alive, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)

    class Plan:
        def __init__(self, connection):
            self.loader = type("L", (), {"graph": type("G", (), {"leaf_nodes": lambda s: []})()})()

        def migration_plan(self, targets):
            return [("scheduling", "0099_new")]

    monkeypatch.setattr("django.db.migrations.executor.MigrationExecutor", Plan)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == {"ok": False, "unapplied": 1}


def test_readyz_overdue_schedule_is_reported_not_failed(client, worker_alive):
    from django_q.models import Schedule

    Schedule.objects.update(next_run=timezone.now() - dt.timedelta(hours=3))
    response = client.get("/readyz")
    assert response.status_code == 200
    assert all(s["overdue"] for s in response.json()["schedules"].values())


def test_readyz_is_json_for_anonymous_and_not_cached(client, worker_alive):
    response = client.get("/readyz")
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    json.loads(response.content)
