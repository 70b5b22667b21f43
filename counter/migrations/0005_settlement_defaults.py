"""Default settlement tariff (EUR 100.00 per registration)."""

import datetime as dt
from decimal import Decimal

from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import migrations


def forwards(apps, schema_editor):
    tariff_model = apps.get_model("counter", "SettlementTariff")
    if not tariff_model.objects.exists():
        tariff_model.objects.create(amount=Decimal("100.00"), valid_from=dt.date(2019, 1, 1))
    # The daily statement schedule is created after migrate by core.schedules.


class Migration(migrations.Migration):
    dependencies = [
        ("counter", "0004_settlement"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
