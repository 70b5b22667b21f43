"""Periodic tasks are declared by each app and exist after ``migrate`` alone."""

import datetime as dt
from zoneinfo import ZoneInfo

from django_q.models import Schedule

from core.schedules import periodic_tasks, schedules_ensure

AMS = ZoneInfo("Europe/Amsterdam")


def test_migrate_alone_created_every_apps_schedule(db):
    # The test database was built by ``migrate``; nothing else created these rows.
    by_name = {s.name: s for s in Schedule.objects.all()}
    expected = {
        "bmip: appointment reminders": ("scheduling.tasks.appointment_reminders_task", 15),
        "bmip: group booking holds expiry": ("scheduling.tasks.group_booking_holds_expire_task", 1),
        "bmip: personal data retention": ("scheduling.tasks.personal_data_retention_task", 1440),
    }
    for name, (func, minutes) in expected.items():
        assert (by_name[name].func, by_name[name].minutes) == (func, minutes)
    invoices = by_name["counter: monthly employer invoices"]
    assert invoices.func == "counter.tasks.invoice_monthly_run"
    assert invoices.schedule_type == Schedule.MONTHLY
    assert {t.name for t in periodic_tasks()} <= set(by_name)


def test_ensuring_again_duplicates_nothing_and_keeps_a_coordinators_time(db):
    invoices = Schedule.objects.get(name="counter: monthly employer invoices")
    moved = dt.datetime(2031, 2, 1, 5, 0, tzinfo=AMS)
    invoices.next_run = moved
    invoices.save()
    count = Schedule.objects.count()
    schedules_ensure()
    schedules_ensure()
    assert Schedule.objects.count() == count
    assert Schedule.objects.get(pk=invoices.pk).next_run == moved


def test_a_new_monthly_schedule_starts_on_the_first_at_three(db):
    Schedule.objects.filter(name="counter: monthly employer invoices").delete()
    schedules_ensure(now=dt.datetime(2026, 12, 15, 14, 0, tzinfo=AMS))
    invoices = Schedule.objects.get(name="counter: monthly employer invoices")
    assert invoices.next_run == dt.datetime(2027, 1, 1, 3, 0, tzinfo=AMS)
