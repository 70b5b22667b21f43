"""PostgreSQL only: two active legs on one counter can never overlap (btree_gist exclusion).

SQLite has no exclusion constraints; there the booking services' lock (an IMMEDIATE
transaction) is the only guard. The constraint is created with raw SQL gated on the
database vendor, so the model state does not change and ``makemigrations --check`` stays
clean on every database.
"""

from django.db import migrations

CONSTRAINT = "leg_counter_no_overlap"

CREATE = f"""
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE scheduling_leg ADD CONSTRAINT {CONSTRAINT}
    EXCLUDE USING gist (counter_id WITH =, tstzrange(start, "end", '[)') WITH &&)
    WHERE (state <> 'cancelled' AND counter_id IS NOT NULL AND start IS NOT NULL);
"""
DROP = f"ALTER TABLE scheduling_leg DROP CONSTRAINT IF EXISTS {CONSTRAINT};"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("scheduling", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
