"""Database backstops for the fee rules the services enforce.

- No tariff or fee line on a government service (Gemeentewet): a trigger on both tables,
  on PostgreSQL and on SQLite (a check constraint cannot look at the service's kind).
- PostgreSQL: no two tariffs of one service overlap (exclusion constraint on a daterange).
"""

from django.db import migrations

PG_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION counter_refuse_government_fee() RETURNS trigger AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM scheduling_servicetype s
                 WHERE s.id = NEW.service_id AND s.kind <> 'extra') THEN
        RAISE EXCEPTION 'government services are free of charge (Gemeentewet)'
          USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """CREATE TRIGGER counter_tariff_no_government_fee BEFORE INSERT OR UPDATE ON counter_tariff
       FOR EACH ROW EXECUTE FUNCTION counter_refuse_government_fee()""",
    """CREATE TRIGGER counter_feeline_no_government_fee BEFORE INSERT OR UPDATE ON counter_feeline
       FOR EACH ROW EXECUTE FUNCTION counter_refuse_government_fee()""",
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE counter_tariff ADD CONSTRAINT tariff_no_overlap
       EXCLUDE USING gist (service_id WITH =, daterange(valid_from, valid_to, '[]') WITH &&)""",
]
PG_REVERSE = [
    "ALTER TABLE counter_tariff DROP CONSTRAINT IF EXISTS tariff_no_overlap",
    "DROP TRIGGER IF EXISTS counter_feeline_no_government_fee ON counter_feeline",
    "DROP TRIGGER IF EXISTS counter_tariff_no_government_fee ON counter_tariff",
    "DROP FUNCTION IF EXISTS counter_refuse_government_fee()",
]


def _sqlite_trigger(table: str, event: str) -> str:
    name = f"{table}_no_government_fee_{event.split()[0].lower()}"
    return f"""
    CREATE TRIGGER IF NOT EXISTS {name} BEFORE {event} ON {table}
    WHEN (SELECT kind FROM scheduling_servicetype WHERE id = NEW.service_id) <> 'extra'
    BEGIN SELECT RAISE(ABORT, 'government services are free of charge (Gemeentewet)'); END
    """


SQLITE_FORWARD = [
    _sqlite_trigger(table, event)
    for table in ("counter_tariff", "counter_feeline")
    for event in ("INSERT", "UPDATE OF service_id")
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {table}_no_government_fee_{event}"
    for table in ("counter_tariff", "counter_feeline")
    for event in ("insert", "update")
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"postgresql": PG_REVERSE, "sqlite": SQLITE_REVERSE}.get(vendor, [])
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("counter", "0002_fees_invoices_record_facts")]

    operations = [migrations.RunPython(forward, reverse)]
