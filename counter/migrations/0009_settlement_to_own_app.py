# Settlement became an app of its own (`settlement`). Its tables keep their names; this only
# removes the models from counter's state (settlement's 0001 adds them, state only). Deleted
# dependents first, so no state ever points at a model that is gone.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("counter", "0008_invoice_numbers_from_core_sequences")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="StatementDelivery"),
                migrations.DeleteModel(name="SettlementPayment"),
                migrations.DeleteModel(name="Statement"),
                migrations.DeleteModel(name="SettlementLine"),
                migrations.DeleteModel(name="SettlementAgreement"),
                migrations.DeleteModel(name="SettlementPeriod"),
                migrations.DeleteModel(name="SettlementTariff"),
                migrations.DeleteModel(name="StatementNumberSequence"),
            ],
            database_operations=[],
        )
    ]
