"""Finding 10: deleting a user rewrote old audit rows (actor set to NULL through SQL, past the
append-only guard), and nothing protected the audit table in the database."""

import datetime as dt

import pytest
import time_machine
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import ProtectedError

from core.audit import audit_log, audit_notes_purge
from core.models import AuditLogEntry, AuditNote
from core.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_a_user_in_the_audit_log_cannot_be_deleted_only_deactivated(reference, admin_client):
    user = factories.user(Role.RECEPTIONIST, location=factories.location())
    entry = audit_log(actor=user, action="test.did", obj=user)
    with pytest.raises(ProtectedError), transaction.atomic():
        user.delete()
    entry.refresh_from_db()
    assert entry.actor_id == user.pk
    page = admin_client.get(f"/admin/auth/user/{user.pk}/delete/")
    assert page.status_code == 403
    admin_client.post("/admin/auth/user/", {"action": "deactivate", "_selected_action": [user.pk]})
    user.refresh_from_db()
    assert user.is_active is False


def test_the_database_refuses_to_change_audit_rows(reference):
    entry = audit_log(actor=None, action="test.did", object_type="x", object_id=1)
    table = AuditLogEntry._meta.db_table
    with pytest.raises((DatabaseError, IntegrityError)), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {table} SET action = 'forged' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.action == "test.did"


@pytest.mark.postgres
def test_postgresql_refuses_to_delete_audit_rows(reference):
    entry = audit_log(actor=None, action="test.did", object_type="x", object_id=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {AuditLogEntry._meta.db_table} WHERE id = %s", [entry.pk])
    assert AuditLogEntry.objects.filter(pk=entry.pk).exists()


def test_a_typed_reason_is_an_erasable_note_the_entry_stays(reference, settings, admin_client):
    settings.DATA_RETENTION_DAYS = 30
    with time_machine.travel(dt.datetime(2031, 3, 2, 10, tzinfo=dt.UTC), tick=False):
        old = audit_log(actor=None, action="test.did", object_type="x", object_id=1, reason="Qxold")
    with time_machine.travel(dt.datetime(2031, 3, 30, 10, tzinfo=dt.UTC), tick=False):
        young = audit_log(
            actor=None, action="test.did", object_type="x", object_id=2, reason="Qxnew"
        )
    assert "reason" not in {f.name for f in AuditLogEntry._meta.concrete_fields}
    page = admin_client.get("/admin/core/auditlogentry/").content.decode()
    assert "Qxold" in page and "Qxnew" in page
    with time_machine.travel(dt.datetime(2031, 4, 2, 10, tzinfo=dt.UTC), tick=False):
        assert audit_notes_purge() == 1
    assert AuditLogEntry.objects.get(pk=old.pk).reason == ""
    assert AuditLogEntry.objects.get(pk=young.pk).reason == "Qxnew"
    assert not AuditNote.objects.filter(text="Qxold").exists()
    assert AuditLogEntry.objects.get(pk=old.pk).action == "test.did"
    assert AuditLogEntry.objects.filter(action="audit.notes_removed").get().data["count"] == 1
