"""Confirmation e-mails through the outbox (core.outbox): a task lost by the broker is queued
again by the sweep and sent once; an original that runs late, or at the same time as the
sweep's copy, sends nothing twice."""

import datetime as dt
import threading
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection
from django.utils import timezone

from core.models import OutboxTask
from core.outbox import outbox_run, outbox_run_task, outbox_sweep
from core.roles import Role
from scheduling.group_booking.services import group_booking_create
from scheduling.models import NotificationLog
from tests import factories as f
from tests.scheduling.group_helpers import english, worker  # noqa: F401

pytestmark = pytest.mark.usefixtures("english")
CONFIRMATION = "scheduling.tasks.group_booking_confirmation_task"
MAILS_PER_GROUP = 3  # the employer and the two workers with an e-mail address


def _book_with_lost_task(next_monday, capture):
    """Book and confirm a group while the broker takes the task and loses it."""
    employer = f.employer()
    lost = []
    with (
        mock.patch("django_q.tasks.async_task", lambda *a, **kw: lost.append(a)),
        capture(execute=True),
    ):
        group = group_booking_create(
            employer=employer,
            actor=f.user(Role.EMPLOYER, employer=employer),
            workers=[
                worker(1, email="piotr@example.org"),
                worker(2, email="ana@example.org"),
                worker(3),
            ],
            location=f.location(counters={"Balie 1": ["brp", "rni"], "Balie 2": ["zvw"]}),
            date_from=next_monday,
            date_to=next_monday,
            confirm=True,
        )
    task = OutboxTask.objects.get(func=CONFIRMATION, args=[group.pk])
    assert lost == [("core.outbox.outbox_run_task", task.pk)]
    return group, task


def _later(minutes=11):
    return timezone.now() + dt.timedelta(minutes=minutes)


@pytest.mark.django_db
def test_lost_confirmation_is_sent_once_by_the_sweep(
    reference, next_monday, django_capture_on_commit_callbacks
):
    group, task = _book_with_lost_task(next_monday, django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert outbox_sweep(now=_later(5)) == 0  # not yet: the original may still come
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_sweep(now=_later()) == 1
    assert len(mail.outbox) == MAILS_PER_GROUP
    assert group.reference in mail.outbox[0].subject
    task.refresh_from_db()
    assert task.done_at is not None and task.queued_count == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_sweep(now=_later(30)) == 0  # done: never queued again
    assert len(mail.outbox) == MAILS_PER_GROUP


@pytest.mark.django_db
def test_original_running_late_after_the_sweep_sends_nothing_twice(
    reference, next_monday, django_capture_on_commit_callbacks
):
    _group, task = _book_with_lost_task(next_monday, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        outbox_sweep(now=_later())
    assert len(mail.outbox) == MAILS_PER_GROUP
    assert outbox_run_task(task.pk) is False  # the original, taken from a slow queue at last
    assert len(mail.outbox) == MAILS_PER_GROUP


@pytest.mark.django_db
def test_run_killed_after_sending_is_taken_up_again_without_doubles(
    reference, next_monday, django_capture_on_commit_callbacks
):
    """A worker killed after the mails went out but before the row was marked done: the sweep
    queues it again once the lease has passed, and the mails' own markers send nothing twice."""
    _group, task = _book_with_lost_task(next_monday, django_capture_on_commit_callbacks)
    assert outbox_run(task_id=task.pk) is True
    assert len(mail.outbox) == MAILS_PER_GROUP
    OutboxTask.objects.filter(pk=task.pk).update(done_at=None)  # killed before this update
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_sweep(now=_later(5)) == 0  # started recently: maybe still running
    assert outbox_run(task_id=task.pk, now=_later()) is True
    assert len(mail.outbox) == MAILS_PER_GROUP
    assert NotificationLog.objects.filter(group_booking_id=task.args[0]).count() == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_sweep_copy_racing_a_slow_original_sends_exactly_one_mail(
    reference, next_monday, django_capture_on_commit_callbacks
):
    """PostgreSQL, two threads: the original is slow at the mail server; the sweep's copy runs
    meanwhile (its lease check passed: the worst case). Each message is still sent once."""
    _group, task = _book_with_lost_task(next_monday, django_capture_on_commit_callbacks)
    real_send = EmailMessage.send
    barrier = threading.Barrier(2)
    errors, results = [], []

    def slow_send(self, *args, **kwargs):
        time.sleep(0.3)
        return real_send(self, *args, **kwargs)

    def run(now):
        try:
            barrier.wait()
            results.append(outbox_run(task_id=task.pk, now=now))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    with mock.patch.object(EmailMessage, "send", slow_send):
        threads = [
            threading.Thread(target=run, args=(timezone.now(),)),
            threading.Thread(target=run, args=(_later(),)),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not errors
    assert len(mail.outbox) == MAILS_PER_GROUP
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        {m.to[0] for m in mail.outbox}
    )  # no address twice
    assert NotificationLog.objects.filter(group_booking_id=task.args[0]).count() == 3
    assert OutboxTask.objects.get(pk=task.pk).done_at is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_copies_at_once_run_the_task_once(
    reference, next_monday, django_capture_on_commit_callbacks
):
    _group, task = _book_with_lost_task(next_monday, django_capture_on_commit_callbacks)
    barrier = threading.Barrier(4)
    results = []

    def run():
        try:
            barrier.wait()
            results.append(outbox_run(task_id=task.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False, False, False, True]
    assert len(mail.outbox) == MAILS_PER_GROUP


@pytest.mark.django_db
def test_mail_server_away_leaves_the_task_for_the_sweep_and_nothing_doubles(
    reference, next_monday, django_capture_on_commit_callbacks
):
    """The server drops the connection after the employer's mail went out: the task fails,
    the sweep runs it again later, and only the workers' mails are sent then."""
    _group, task = _book_with_lost_task(next_monday, django_capture_on_commit_callbacks)
    real_send = EmailMessage.send
    calls = []

    def drop_after_first(self, *args, **kwargs):
        calls.append(self.to[0])
        if len(calls) > 1:
            raise ConnectionResetError("mail server went away")
        return real_send(self, *args, **kwargs)

    with (
        mock.patch.object(EmailMessage, "send", drop_after_first),
        pytest.raises(ConnectionResetError),
    ):
        outbox_run(task_id=task.pk)
    assert len(mail.outbox) == 1
    assert OutboxTask.objects.get(pk=task.pk).done_at is None
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox_sweep(now=_later()) == 1
    assert len(mail.outbox) == MAILS_PER_GROUP
    assert len({m.to[0] for m in mail.outbox}) == MAILS_PER_GROUP
    assert OutboxTask.objects.get(pk=task.pk).done_at is not None


@pytest.mark.django_db
def test_a_refused_address_does_not_stop_the_others_nor_fail_the_task(
    reference, next_monday, django_capture_on_commit_callbacks
):
    from smtplib import SMTPRecipientsRefused

    _group, task = _book_with_lost_task(next_monday, django_capture_on_commit_callbacks)
    real_send = EmailMessage.send

    def refuse_piotr(self, *args, **kwargs):
        if self.to == ["piotr@example.org"]:
            raise SMTPRecipientsRefused({"piotr@example.org": (550, b"no such user")})
        return real_send(self, *args, **kwargs)

    with mock.patch.object(EmailMessage, "send", refuse_piotr):
        assert outbox_run(task_id=task.pk) is True
    assert len(mail.outbox) == MAILS_PER_GROUP - 1
