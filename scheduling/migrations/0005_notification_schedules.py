from django.db import migrations


def schedules_ensure(apps, schema_editor):
    from scheduling.services.notifications import notification_schedules_ensure

    notification_schedules_ensure(apps.get_model("django_q", "Schedule"))


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0004_notification_log"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = [migrations.RunPython(schedules_ensure, migrations.RunPython.noop)]
