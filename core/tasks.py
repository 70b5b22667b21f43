"""Background tasks: the one way a service hands work to the django-q2 workers.

``enqueue_on_commit`` queues the task only when the surrounding transaction commits, so a
rolled-back change sends nothing; outside a transaction it queues at once. Tasks load their
objects by id, call one service and are safe to run twice.

The broker may be briefly away when the transaction commits (Redis restarting: the failure
drill, bench/load/drill.py). The change is committed by then, so the request must not fail:
queuing is tried again for about ten seconds (a restart takes one or two),
and a task that still could not be queued is logged as an error (its dotted path and its
arguments: ids only) for the operator to run again, instead of turning a done booking into
a 500.
"""

import logging
import time

from django.db import transaction

logger = logging.getLogger(__name__)
ENQUEUE_PAUSES_S = (0.2, 0.5, 1, 2, 2, 2, 2)  # ~10 s in all


def _enqueue(func: str, args: tuple, options: dict, kwargs: dict) -> None:
    from django_q.tasks import async_task

    for pause in (*ENQUEUE_PAUSES_S, None):
        try:
            async_task(func, *args, **options, **kwargs)
            return
        except Exception as exc:  # the broker's errors differ per broker (Redis, ORM)
            if pause is None:
                logger.error(
                    "task not queued (broker unavailable: %s): %s args=%r; run it again",
                    type(exc).__name__,
                    func,
                    args,
                )
                return
            logger.warning("broker unavailable (%s); queuing %s again", type(exc).__name__, func)
            time.sleep(pause)


def enqueue_on_commit(func: str, *args, task_name: str | None = None, **kwargs) -> None:
    """Queue the django-q2 task ``func`` (a dotted path) with ``args`` after commit."""
    options = {"task_name": task_name} if task_name else {}
    transaction.on_commit(lambda: _enqueue(func, args, options, kwargs))
