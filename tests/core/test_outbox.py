"""core.outbox: written with the change, queued after commit, queued again by the sweep a
bounded number of times, done rows purged."""

import datetime as dt
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone

from core.models import OutboxTask
from core.outbox import outbox_enqueue_on_commit, outbox_run, outbox_sweep

pytestmark = pytest.mark.django_db
RAN = []


def record_task(*args):
    RAN.append(args)


def failing_task(*args):
    raise OSError("mail server away")


def _later(minutes):
    return timezone.now() + dt.timedelta(minutes=minutes)


@pytest.fixture
def lost():
    """The broker loses every task queued while this is active."""
    RAN.clear()
    with mock.patch("django_q.tasks.async_task", lambda *a, **kw: None):
        yield


def test_rolled_back_change_leaves_no_outbox_row(django_capture_on_commit_callbacks):
    with mock.patch("django_q.tasks.async_task") as queued:
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
            with transaction.atomic():
                outbox_enqueue_on_commit("tests.core.test_outbox.record_task", 1)
                raise RuntimeError
    assert not OutboxTask.objects.exists()
    queued.assert_not_called()


def test_failing_task_is_queued_again_then_given_up_with_an_error(
    lost, django_capture_on_commit_callbacks, settings, caplog
):
    settings.OUTBOX_MAX_QUEUED = 3
    with django_capture_on_commit_callbacks(execute=True):
        task = outbox_enqueue_on_commit("tests.core.test_outbox.failing_task", 7)
    with pytest.raises(OSError):
        outbox_run(task_id=task.pk)
    minutes = 11
    for expected in (1, 1, 0, 0):
        with django_capture_on_commit_callbacks(execute=True):
            assert outbox_sweep(now=_later(minutes)) == expected
        minutes += 11
    task.refresh_from_db()
    assert task.done_at is None and task.queued_count == 4  # 3 queued, then marked given up
    assert [r.levelname for r in caplog.records if "not done after" in r.message] == ["ERROR"]


def test_two_sweeps_with_the_same_view_queue_a_row_once(lost, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        task = outbox_enqueue_on_commit("tests.core.test_outbox.record_task", 7)
    stale = OutboxTask.objects.get(pk=task.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_sweep(now=_later(11)) == 1
    # A second sweep that read the row before the first moved it finds it changed.
    assert not OutboxTask.objects.filter(pk=task.pk, queued_at=stale.queued_at).exists()
    task.refresh_from_db()
    assert task.queued_count == 2


def test_done_rows_are_purged_after_the_keep_days(lost, settings):
    settings.OUTBOX_KEEP_DAYS = 7
    task = outbox_enqueue_on_commit("tests.core.test_outbox.record_task", 7)
    assert outbox_run(task_id=task.pk) and RAN == [(7,)]
    outbox_sweep(now=_later(60 * 24 * 6))
    assert OutboxTask.objects.filter(pk=task.pk).exists()
    outbox_sweep(now=_later(60 * 24 * 8))
    assert not OutboxTask.objects.filter(pk=task.pk).exists()


def test_the_sweep_is_a_periodic_task():
    from core.schedules import periodic_tasks

    sweep = [t for t in periodic_tasks() if t.func == "core.outbox.outbox_sweep_task"]
    assert len(sweep) == 1 and sweep[0].minutes == 1
