"""Backstop: a service that carries a tariff or fee lines cannot be turned into a government
service afterwards (Gemeentewet: government services are free). The rule belongs to the
counter app, so its trigger lives here, on the scheduling table it guards."""

from django.db import migrations

PG_FORWARD = [
    """
    CREATE OR REPLACE FUNCTION counter_refuse_government_with_fees() RETURNS trigger AS $$
    BEGIN
      IF NEW.kind <> 'extra' AND (
           EXISTS (SELECT 1 FROM counter_tariff t WHERE t.service_id = NEW.id)
           OR EXISTS (SELECT 1 FROM counter_feeline f WHERE f.service_id = NEW.id)) THEN
        RAISE EXCEPTION 'a service with tariffs or fees cannot become a government service (Gemeentewet)'
          USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """CREATE TRIGGER counter_servicetype_kind_guard BEFORE UPDATE OF kind ON scheduling_servicetype
       FOR EACH ROW EXECUTE FUNCTION counter_refuse_government_with_fees()""",
]
PG_REVERSE = [
    "DROP TRIGGER IF EXISTS counter_servicetype_kind_guard ON scheduling_servicetype",
    "DROP FUNCTION IF EXISTS counter_refuse_government_with_fees()",
]
SQLITE_FORWARD = [
    """
    CREATE TRIGGER IF NOT EXISTS counter_servicetype_kind_guard
    BEFORE UPDATE OF kind ON scheduling_servicetype
    WHEN NEW.kind <> 'extra' AND (
      EXISTS (SELECT 1 FROM counter_tariff WHERE service_id = NEW.id)
      OR EXISTS (SELECT 1 FROM counter_feeline WHERE service_id = NEW.id))
    BEGIN SELECT RAISE(ABORT, 'a service with tariffs or fees cannot become a government service (Gemeentewet)'); END
    """
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS counter_servicetype_kind_guard"]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}.get(vendor, []):
        schema_editor.execute(sql)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": PG_REVERSE, "sqlite": SQLITE_REVERSE}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("counter", "0005_settlement_defaults"), ("scheduling", "0007_client_personal_data_removed")]

    operations = [migrations.RunPython(forward, reverse)]
