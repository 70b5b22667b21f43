"""Default settlement tariff (EUR 100.00 per registration) and the daily statement Schedule."""

import datetime as dt
from decimal import Decimal

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations


def forwards(apps, schema_editor):
    tariff_model = apps.get_model("counter", "SettlementTariff")
    if not tariff_model.objects.exists():
        tariff_model.objects.create(amount=Decimal("100.00"), valid_from=dt.date(2019, 1, 1))
    schedule_model = apps.get_model("django_q", "Schedule")
    if not schedule_model.objects.filter(name="settlement-statements").exists():
        tomorrow = dt.date.today() + dt.timedelta(days=1)
        schedule_model.objects.create(
            name="settlement-statements",
            func="counter.tasks_settlement.settlement_run_due",
            schedule_type="D",
            repeats=-1,
            next_run=dt.datetime.combine(
                tomorrow, dt.time(6, 30), ZoneInfo(settings.TIME_ZONE)
            ),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("counter", "0004_settlement"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
