"""Reasons already in the audit log move into erasable notes (core 0005) on SQLite and
PostgreSQL: the old column is blanked and dropped past the append-only trigger, and the
trigger guards the table again afterwards. Going back puts the notes into the column."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from core.audit import audit_log
from core.models import AuditLogEntry, AuditNote

BEFORE = [("core", "0004_api_token")]
TABLE = AuditLogEntry._meta.db_table


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


def _columns() -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, TABLE)]


@pytest.mark.django_db(transaction=True)
def test_old_reasons_become_notes_and_the_log_stays_append_only(reference):
    kept = audit_log(actor=None, action="test.kept", object_type="x", object_id=1, reason="Qxback")
    try:
        executor = _migrate(BEFORE)
        assert "reason" in _columns()
        old = executor.loader.project_state(BEFORE).apps.get_model("core", "AuditLogEntry")
        # Going back put the note into the old column.
        assert old.objects.get(pk=kept.pk).reason == "Qxback"
        typed = old.objects.create(
            actor_label="desk1", action="appointment.cancel", object_type="y", object_id="2",
            reason="Qxoldreason", data={"n": 1},
        )  # fmt: skip
        plain = old.objects.create(
            actor_label="system", action="day.closed", object_type="z", object_id="*"
        )
    finally:
        _migrate()

    assert "reason" not in _columns()
    assert AuditLogEntry.objects.get(pk=typed.pk).reason == "Qxoldreason"
    assert AuditLogEntry.objects.get(pk=kept.pk).reason == "Qxback"
    assert not AuditNote.objects.filter(entry_id=plain.pk).exists()
    entry = AuditLogEntry.objects.get(pk=typed.pk)
    assert (entry.actor_label, entry.action, entry.object_id, entry.data) == (
        "desk1",
        "appointment.cancel",
        "2",
        {"n": 1},
    )
    # The trigger is back: the database refuses to change an entry.
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {TABLE} SET action = 'forged' WHERE id = %s", [typed.pk])  # noqa: S608
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"DELETE FROM {TABLE} WHERE id = %s", [typed.pk])  # noqa: S608
    assert AuditLogEntry.objects.get(pk=typed.pk).action == "appointment.cancel"
