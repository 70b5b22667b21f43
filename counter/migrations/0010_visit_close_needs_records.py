"""Database backstop for "no lost record": a visit is not closed while one of its finished
legs (done or not completed) whose service needs a record (BRP/RNI registration, health
insurance, IND and work-permit referral) has no valid record. ``visit_close`` refuses the
same with ``record_required``; this trigger on the closure row catches any other path.
"""

from django.db import migrations

CATEGORIES = "('registration_brp', 'registration_rni', 'health_insurance', 'ind_referral', 'work_permit')"
UNRECORDED = f"""
    SELECT 1 FROM scheduling_leg l
    JOIN scheduling_servicetype s ON s.id = l.service_id
    WHERE l.appointment_id = NEW.appointment_id
      AND l.state IN ('done', 'not_done')
      AND s.category IN {CATEGORIES}
      AND NOT EXISTS (SELECT 1 FROM counter_servicerecord r
                      WHERE r.leg_id = l.id AND r.voided_at IS NULL)
"""
MESSAGE = "a finished leg of this visit has no record (record_required)"

PG_FORWARD = [
    f"""
    CREATE OR REPLACE FUNCTION counter_refuse_close_unrecorded() RETURNS trigger AS $$
    BEGIN
      IF EXISTS ({UNRECORDED}) THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """CREATE TRIGGER counter_visitclosure_needs_records BEFORE INSERT ON counter_visitclosure
       FOR EACH ROW EXECUTE FUNCTION counter_refuse_close_unrecorded()""",
]
PG_REVERSE = [
    "DROP TRIGGER IF EXISTS counter_visitclosure_needs_records ON counter_visitclosure",
    "DROP FUNCTION IF EXISTS counter_refuse_close_unrecorded()",
]
SQLITE_FORWARD = [
    f"""
    CREATE TRIGGER IF NOT EXISTS counter_visitclosure_needs_records
    BEFORE INSERT ON counter_visitclosure
    WHEN EXISTS ({UNRECORDED})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END
    """
]
SQLITE_REVERSE = ["DROP TRIGGER IF EXISTS counter_visitclosure_needs_records"]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}.get(vendor, []):
        schema_editor.execute(sql)


def reverse(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in {"postgresql": PG_REVERSE, "sqlite": SQLITE_REVERSE}.get(vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("counter", "0009_settlement_to_own_app")]

    operations = [migrations.RunPython(forward, reverse)]
