"""Background tasks: the one way a service hands work to the django-q2 workers.

``enqueue_on_commit`` queues the task only when the surrounding transaction commits, so a
rolled-back change sends nothing; outside a transaction it queues at once. Tasks load their
objects by id, call one service and are safe to run twice.
"""

from django.db import transaction


def enqueue_on_commit(func: str, *args, task_name: str | None = None, **kwargs) -> None:
    """Queue the django-q2 task ``func`` (a dotted path) with ``args`` after commit."""
    from django_q.tasks import async_task

    options = {"task_name": task_name} if task_name else {}
    transaction.on_commit(lambda: async_task(func, *args, **options, **kwargs))
