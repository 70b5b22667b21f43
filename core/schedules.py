"""Periodic django-q2 tasks: declared by each app, created by ``migrate`` alone.

Each app lists its periodic tasks in ``AppConfig.periodic_tasks`` (``PeriodicTask`` rows).
After every ``migrate`` (``post_migrate``, connected in ``core.apps``) ``schedules_ensure``
creates or updates one ``Schedule`` per task by name: ``func``, type and interval are brought
up to date; a first run time is only set when the schedule is new, so a coordinator's change
of the time in the admin stays. A deploy that only migrates has every schedule.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.utils import timezone

# django-q2 schedule types (plain codes, so historical models in migrations work too).
MINUTES = "I"
DAILY = "D"
MONTHLY = "M"


@dataclass(frozen=True)
class PeriodicTask:
    name: str
    func: str
    schedule_type: str
    minutes: int | None = None
    # The first run from "now" (aware, Amsterdam); None: as soon as a worker runs.
    first_run: Callable[[dt.datetime], dt.datetime] | None = None


def periodic_tasks() -> list[PeriodicTask]:
    """Every installed app's periodic tasks."""
    return [
        task for config in apps.get_app_configs() for task in getattr(config, "periodic_tasks", ())
    ]


def schedule_ensure(task: PeriodicTask, *, now: dt.datetime | None = None, schedule_model=None):
    if schedule_model is None:
        from django_q.models import Schedule as schedule_model
    defaults = {"func": task.func, "schedule_type": task.schedule_type, "repeats": -1}
    if task.minutes is not None:
        defaults["minutes"] = task.minutes
    schedule, created = schedule_model.objects.update_or_create(name=task.name, defaults=defaults)
    if task.first_run is not None and (created or schedule.next_run is None):
        schedule.next_run = task.first_run(timezone.localtime(now or timezone.now()))
        schedule.save(update_fields=["next_run"])
    return schedule


def schedules_ensure(*, now: dt.datetime | None = None) -> list:
    """Create or update the Schedule of every app's periodic task (idempotent)."""
    return [schedule_ensure(task, now=now) for task in periodic_tasks()]


def next_month_first_at(hour: int) -> Callable[[dt.datetime], dt.datetime]:
    """First run on the 1st of next month at ``hour`` (Amsterdam)."""

    def first_run(now: dt.datetime) -> dt.datetime:
        first = dt.date(now.year + now.month // 12, now.month % 12 + 1, 1)
        return dt.datetime.combine(first, dt.time(hour), now.tzinfo)

    return first_run


def tomorrow_at(hour: int, minute: int = 0) -> Callable[[dt.datetime], dt.datetime]:
    """First run tomorrow at ``hour``:``minute`` (Amsterdam)."""

    def first_run(now: dt.datetime) -> dt.datetime:
        return dt.datetime.combine(
            now.date() + dt.timedelta(days=1), dt.time(hour, minute), now.tzinfo
        )

    return first_run
