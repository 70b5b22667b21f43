# The periodic schedules were created here; since core's schedule registry they are created
# after every ``migrate`` from each app's ``AppConfig.periodic_tasks`` (core.schedules), so
# this migration no longer needs to do anything. Kept for the migration history.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0004_notification_log"),
        ("django_q", "0019_alter_task_options_alter_ormq_key_alter_ormq_lock_and_more"),
    ]

    operations = []
