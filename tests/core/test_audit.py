import pytest

from core.audit import audit_log
from core.models import AuditLogEntry

pytestmark = pytest.mark.django_db


def test_audit_log_is_append_only():
    entry = audit_log(actor=None, action="test.do", object_type="x", object_id=1, why="because")
    assert entry.actor_label == "system"
    entry.action = "changed"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditLogEntry.objects.all().update(action="x")
    with pytest.raises(PermissionError):
        AuditLogEntry.objects.all().delete()
    assert AuditLogEntry.objects.get().action == "test.do"
