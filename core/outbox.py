"""The outbox: after-commit tasks that must not be lost (confirmation and notice e-mails).

django-q2's Redis broker hands a task out by taking it off the list, with no acknowledgement:
a task taken by a qcluster that is then killed is gone, and so is one queued in a Redis that
stopped without saving, or one that could not be queued at all (``core.tasks``: broker away).
A service that must have its task run calls ``outbox_enqueue_on_commit`` instead of
``core.tasks.enqueue_on_commit``: an ``OutboxTask`` row is written in the service's own
transaction (it exists exactly when the change does) and the task is queued after commit.

- ``outbox_run`` (the queued task) claims the row with a conditional UPDATE (not done, not
  started within ``OUTBOX_RETRY_AFTER_S``), calls the dotted-path task with the stored ids and
  marks the row done. A second copy that arrives while the first runs, or after it is done,
  finds nothing to claim and does nothing.
- ``outbox_sweep`` (periodic, every minute) queues again every row not done
  ``OUTBOX_RETRY_AFTER_S`` after it was last queued or started, at most ``OUTBOX_MAX_QUEUED``
  times (then it logs an error for the operator), and deletes done rows after
  ``OUTBOX_KEEP_DAYS``.

Exactly once: the outbox makes the task run at least once; each e-mail's own durable marker,
claimed atomically in the transaction that sends it (``NotificationLog``'s unique key, the
invoice's ``emailed_at``), makes it sent at most once, also when a killed run is taken up
again half-way. The one window left: the mail server accepted a message and the database
went away before the marker's commit; that message is sent again (never lost).
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from core.models import OutboxTask
from core.tasks import enqueue_on_commit

logger = logging.getLogger(__name__)
RUN_TASK = "core.outbox.outbox_run_task"
SWEEP_BATCH = 500


def outbox_enqueue_on_commit(func: str, *args) -> OutboxTask:
    """Write the outbox row for ``func(*args)`` (a dotted path; ids only) in the current
    transaction and queue it when that commits. A rolled-back change leaves neither."""
    task = OutboxTask.objects.create(func=func, args=list(args))
    enqueue_on_commit(RUN_TASK, task.pk, task_name=f"outbox-{task.pk}")
    return task


def outbox_run(*, task_id: int, now: dt.datetime | None = None) -> bool:
    """Run the outbox task once; False when it is done, running elsewhere, or gone."""
    now = now or timezone.now()
    lease = now - dt.timedelta(seconds=settings.OUTBOX_RETRY_AFTER_S)
    claimed = (
        OutboxTask.objects.filter(pk=task_id, done_at__isnull=True)
        .filter(Q(started_at__isnull=True) | Q(started_at__lte=lease))
        .update(started_at=now)
    )
    if claimed != 1:
        return False
    task = OutboxTask.objects.get(pk=task_id)
    try:
        import_string(task.func)(*task.args)
    except Exception:
        # Not done, and no longer running: the sweep queues it again (a killed run keeps
        # its started_at and is taken up again once the lease has passed).
        OutboxTask.objects.filter(pk=task_id, started_at=now).update(started_at=None)
        raise
    OutboxTask.objects.filter(pk=task_id).update(done_at=timezone.now())
    return True


def outbox_run_task(task_id: int) -> bool:
    return outbox_run(task_id=task_id)


def outbox_sweep(*, now: dt.datetime | None = None) -> int:
    """Queue again the tasks not done in time; returns how many were queued."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.OUTBOX_RETRY_AFTER_S)
    stale = (
        OutboxTask.objects.filter(
            done_at__isnull=True,
            queued_at__lte=cutoff,
            queued_count__lte=settings.OUTBOX_MAX_QUEUED,
        )
        .filter(Q(started_at__isnull=True) | Q(started_at__lte=cutoff))
        .order_by("pk")
        .values_list("pk", "queued_at", "queued_count", "func")[:SWEEP_BATCH]
    )
    queued = 0
    with transaction.atomic():
        for pk, queued_at, count, func in stale:
            if count >= settings.OUTBOX_MAX_QUEUED:
                if count == settings.OUTBOX_MAX_QUEUED:  # once: the error, then left alone
                    logger.error("outbox task %s not done after %d tries: %s", pk, count, func)
                    OutboxTask.objects.filter(pk=pk).update(queued_count=count + 1)
                continue
            # Compare and set: two sweeps at once queue a row once.
            if OutboxTask.objects.filter(pk=pk, queued_at=queued_at).update(
                queued_at=now, queued_count=F("queued_count") + 1
            ):
                logger.warning("outbox task %s not done in time; queued again: %s", pk, func)
                enqueue_on_commit(RUN_TASK, pk, task_name=f"outbox-{pk}-{count + 1}")
                queued += 1
        OutboxTask.objects.filter(
            done_at__lt=now - dt.timedelta(days=settings.OUTBOX_KEEP_DAYS)
        ).delete()
    return queued


def outbox_sweep_task() -> int:
    return outbox_sweep()
