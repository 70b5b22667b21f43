"""PostgreSQL only: two active legs on one counter can never overlap (btree_gist exclusion).

SQLite has no exclusion constraints; there the booking services' lock (an IMMEDIATE
transaction) is the only guard. The constraint is created with raw SQL gated on the
database vendor, so the model state does not change and ``makemigrations --check`` stays
clean on every database.
"""

from django.db import migrations

from scheduling.migrations._leg_overlap_sql import CREATE, DROP


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
