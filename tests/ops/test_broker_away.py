"""The broker (Redis) briefly away when a booking commits: the booking's answer is not a 500
and its task is still queued once the broker is back (drill: bench/load/drill.py)."""

import logging

import pytest
import redis
from django.db import transaction

from core import tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_wait(monkeypatch):
    monkeypatch.setattr(tasks.time, "sleep", lambda s: None)


def _broker(failures: int, queued: list):
    calls = {"n": 0}

    def async_task(func, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] <= failures:
            raise redis.exceptions.ConnectionError("Error 111 connecting to 127.0.0.1:6379.")
        queued.append((func, args))
        return "task-id"

    return async_task


def test_a_task_enqueued_while_redis_restarts_is_queued_when_it_is_back(
    monkeypatch, no_wait, django_capture_on_commit_callbacks
):
    queued: list = []
    monkeypatch.setattr("django_q.tasks.async_task", _broker(3, queued))
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            tasks.enqueue_on_commit("scheduling.tasks.group_confirmed_task", 7)
    assert queued == [("scheduling.tasks.group_confirmed_task", (7,))]


def test_a_broker_away_for_long_does_not_fail_the_committed_request(
    monkeypatch, no_wait, django_capture_on_commit_callbacks, caplog
):
    queued: list = []
    monkeypatch.setattr("django_q.tasks.async_task", _broker(10_000, queued))
    with caplog.at_level(logging.ERROR, logger="core.tasks"):
        with django_capture_on_commit_callbacks(execute=True):
            with transaction.atomic():
                tasks.enqueue_on_commit("scheduling.tasks.group_confirmed_task", 7)
    assert queued == []
    # Logged for the operator (which task, no personal data: ids only), not raised.
    assert "scheduling.tasks.group_confirmed_task" in caplog.text
    assert "not queued" in caplog.text
