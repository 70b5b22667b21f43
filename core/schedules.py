"""The one way the project creates its periodic django-q2 ``Schedule`` rows.

Every app's setup (migrations, ``seed_demo``, setup commands) calls ``schedule_ensure`` by
name: running it again changes nothing except bringing ``func``, type and interval up to date;
a first run time is only set when the schedule is new (a coordinator's change in the admin
stays).
"""

import datetime as dt

# django-q2 schedule types (plain codes, so historical models in migrations work too).
MINUTES = "I"
DAILY = "D"
MONTHLY = "M"


def schedule_ensure(
    *,
    name: str,
    func: str,
    schedule_type: str,
    minutes: int | None = None,
    first_run: dt.datetime | None = None,
    schedule_model=None,
):
    if schedule_model is None:
        from django_q.models import Schedule as schedule_model
    defaults = {"func": func, "schedule_type": schedule_type, "repeats": -1}
    if minutes is not None:
        defaults["minutes"] = minutes
    schedule, created = schedule_model.objects.update_or_create(name=name, defaults=defaults)
    if first_run is not None and (created or schedule.next_run is None):
        schedule.next_run = first_run
        schedule.save(update_fields=["next_run"])
    return schedule
