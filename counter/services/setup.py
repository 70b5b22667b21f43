"""Idempotent setup of the counter app: default tariffs and the monthly invoice schedule.

Called by ``manage.py counter_setup`` and by the demo seeder.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from core.schedules import MONTHLY, schedule_ensure
from counter.services.fees import tariffs_default_ensure

INVOICE_SCHEDULE_NAME = "counter: monthly employer invoices"
INVOICE_TASK = "counter.tasks.invoice_monthly_run"
AMS = ZoneInfo("Europe/Amsterdam")


def invoice_schedule_ensure():
    """The monthly invoice run: 1st of each month, 03:00 Amsterdam time (one Schedule)."""
    today = timezone.localdate()
    first_next = dt.date(today.year + today.month // 12, today.month % 12 + 1, 1)
    return schedule_ensure(
        name=INVOICE_SCHEDULE_NAME,
        func=INVOICE_TASK,
        schedule_type=MONTHLY,
        first_run=dt.datetime.combine(first_next, dt.time(3), AMS),
    )


@transaction.atomic
def counter_setup(*, actor=None) -> dict:
    tariffs = tariffs_default_ensure(actor=actor)
    schedule = invoice_schedule_ensure()
    return {"tariffs_created": len(tariffs), "schedule": schedule.pk}
