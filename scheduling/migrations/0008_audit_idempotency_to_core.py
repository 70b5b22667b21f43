# The audit log and the Idempotency-Key records moved to the `core` app. Their tables keep
# their names; this only removes them from scheduling's state (core's 0001 adds them).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0007_client_personal_data_removed")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="AuditLogEntry"),
                migrations.DeleteModel(name="IdempotencyRecord"),
            ],
            database_operations=[],
        )
    ]
