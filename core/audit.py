"""The one write path into the append-only audit log.

A ``reason`` (free text staff type: why a visit was cancelled, a record voided, a BSN viewed)
may name a person, so it is not stored in the append-only entry but in an erasable
``AuditNote`` written in the same transaction; ``audit_notes_purge`` (a retention purger)
deletes notes older than DATA_RETENTION_DAYS. ``data`` holds ids, codes and counts only.
"""

import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from core.models import AuditLogEntry, AuditNote

NOTE_MAX_LENGTH = 500


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

    ``data`` must hold no personal data and no free text (ids, codes, counts); a typed
    ``reason`` goes into an erasable note.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or obj.pk
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = user.get_username() if user else (str(actor) if actor else "system")
    with transaction.atomic():
        entry = AuditLogEntry.objects.create(
            actor=user,
            actor_label=label[:150],
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            data=data,
        )
        _notes_add([entry], reason)
    return entry


def _notes_add(entries: list[AuditLogEntry], reason: str) -> None:
    text = str(reason or "").strip()[:NOTE_MAX_LENGTH]
    if not text:
        return
    notes = AuditNote.objects.bulk_create([AuditNote(entry=e, text=text) for e in entries])
    for entry, note in zip(entries, notes, strict=True):
        entry.note = note


def audit_log_many(
    *, actor, action: str, entries: list[tuple[models.Model, dict]], reason: str = ""
) -> list[AuditLogEntry]:
    """Like ``audit_log`` for many objects at once (one INSERT): ``entries`` = [(obj, data)]."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    label = user.get_username() if user else (str(actor) if actor else "system")
    with transaction.atomic():
        created = AuditLogEntry.objects.bulk_create(
            [
                AuditLogEntry(
                    actor=user,
                    actor_label=label[:150],
                    action=action,
                    object_type=obj._meta.label_lower,
                    object_id=str(obj.pk),
                    data=data,
                )
                for obj, data in entries
            ]
        )
        _notes_add(created, reason)
    return created


def audit_notes_purge(*, now: dt.datetime | None = None, actor=None) -> int:
    """Delete the typed reasons of audit entries older than DATA_RETENTION_DAYS (a retention
    purger, ``settings.RETENTION_PURGERS``); the entries stay. Returns how many went."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.DATA_RETENTION_DAYS)
    with transaction.atomic():
        deleted, _by_model = AuditNote.objects.filter(entry__at__lt=cutoff).delete()
        if deleted:
            audit_log(
                actor=actor,
                action="audit.notes_removed",
                object_type="core.auditnote",
                object_id="*",
                count=deleted,
                cutoff=cutoff.isoformat(),
            )
    return deleted
