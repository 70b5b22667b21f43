"""Typed reasons leave the append-only audit entry for an erasable note (core.AuditNote).

The reason staff type (cancelling a visit or group, voiding a record, undoing a call,
reverting a no-show, viewing a BSN) may name a person; the retention purge must be able to
erase it, which the append-only entry forbids. Existing reasons are copied into notes, then
the old column is blanked and dropped.

Blanking needs an UPDATE that the append-only trigger (0003) refuses, so the trigger is
switched off for that one statement and back on inside this migration's transaction:
PostgreSQL ``ALTER TABLE ... DISABLE/ENABLE TRIGGER`` (transactional: no other session ever
sees the table unguarded), SQLite drops and recreates it. Blanking before the drop matters on
PostgreSQL: ``DROP COLUMN`` only hides a column, and audit rows are never rewritten, so the
old text would otherwise stay on disk (the blanked versions are reclaimed by VACUUM).
"""

import django.db.models.deletion
from django.db import migrations, models

TABLE = "scheduling_auditlogentry"
TRIGGER = "audit_append_only"
SQLITE_TRIGGER = f"""
CREATE TRIGGER IF NOT EXISTS {TRIGGER} BEFORE UPDATE ON {TABLE}
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""
BATCH = 1000


def _trigger_off(schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER {TRIGGER}")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER}")


def _trigger_on(schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER {TRIGGER}")
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


def reasons_to_notes(apps, schema_editor):
    entry_model = apps.get_model("core", "AuditLogEntry")
    note_model = apps.get_model("core", "AuditNote")
    reasons = list(entry_model.objects.exclude(reason="").values_list("pk", "reason"))
    if not reasons:
        return
    note_model.objects.bulk_create(
        [note_model(entry_id=pk, text=text) for pk, text in reasons], batch_size=BATCH
    )
    _trigger_off(schema_editor)
    schema_editor.execute(f"UPDATE {TABLE} SET reason = '' WHERE reason <> ''")  # noqa: S608
    _trigger_on(schema_editor)


def notes_to_reasons(apps, schema_editor):
    note_model = apps.get_model("core", "AuditNote")
    notes = list(note_model.objects.values_list("entry_id", "text"))
    if not notes:
        return
    _trigger_off(schema_editor)
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {TABLE} SET reason = %s WHERE id = %s",  # noqa: S608
            [(text[:200], pk) for pk, text in notes],
        )
    _trigger_on(schema_editor)


def trigger_ensure(apps, schema_editor):
    """Going back re-adds the column; should SQLite remake the table, its trigger returns."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SQLITE_TRIGGER)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_api_token"),
    ]

    operations = [
        migrations.CreateModel(
            name="AuditNote",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.TextField(verbose_name="reason")),
                (
                    "entry",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="note",
                        to="core.auditlogentry",
                        verbose_name="entry",
                    ),
                ),
            ],
            options={
                "verbose_name": "audit note",
                "verbose_name_plural": "audit notes",
            },
        ),
        migrations.RunPython(reasons_to_notes, notes_to_reasons),
        migrations.RunPython(migrations.RunPython.noop, trigger_ensure),
        migrations.RemoveField(
            model_name="auditlogentry",
            name="reason",
        ),
    ]
