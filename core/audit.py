"""The one write path into the append-only audit log."""

from django.db import models

from core.models import AuditLogEntry


def audit_log(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    reason: str = "",
    **data,
) -> AuditLogEntry:
    """Record that ``actor`` (a user, or None for the system) did ``action`` on ``obj``.

    ``data`` must hold no personal data that is not needed to explain the change.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = user.get_username() if user else (str(actor) if actor else "system")
    return AuditLogEntry.objects.create(
        actor=user,
        actor_label=label[:150],
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        reason=reason[:200],
        data=data,
    )


def audit_log_many(
    *, actor, action: str, entries: list[tuple[models.Model, dict]], reason: str = ""
) -> list[AuditLogEntry]:
    """Like ``audit_log`` for many objects at once (one INSERT): ``entries`` = [(obj, data)]."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = user.get_username() if user else (str(actor) if actor else "system")
    return AuditLogEntry.objects.bulk_create(
        [
            AuditLogEntry(
                actor=user,
                actor_label=label[:150],
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                reason=reason[:200],
                data=data,
            )
            for obj, data in entries
        ]
    )
