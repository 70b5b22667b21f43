# FeeLine.created_at: the charging service passes the time (``now=``) instead of the column
# taking the clock. No column change (Django keeps neither default in the database), so this
# is state only: rebuilding the table on SQLite would trip the fee triggers of 0003/0006.
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("counter", "0006_servicetype_kind_guard")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="feeline",
                    name="created_at",
                    field=models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="created at"
                    ),
                ),
            ],
            database_operations=[],
        )
    ]
