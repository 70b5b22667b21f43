"""Core models: the append-only audit log (with its erasable notes) and the Idempotency-Key
records, and the outbox of tasks that must run after commit."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")


class AuditLogEntry(models.Model):
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    # PROTECT: deleting a user must not rewrite old entries (SET_NULL did, through SQL that
    # bypassed the append-only guard). Users who appear here are deactivated, not deleted.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=150, help_text=_("User name or system."))
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=40, db_index=True)
    # No free text here: the reason staff typed is an AuditNote (erased by the retention purge).
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditLogQuerySet.as_manager()

    class Meta:
        db_table = "scheduling_auditlogentry"  # created by scheduling before core existed
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}#{self.object_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")

    @property
    def reason(self) -> str:
        """The reason typed for this entry, "" when none was given or it was erased."""
        try:
            return self.note.text
        except AuditNote.DoesNotExist:
            return ""


class AuditNote(models.Model):
    """The free text (reason) typed for an audit entry. Kept apart from the append-only entry
    because it may name a person: the retention purge deletes notes older than
    DATA_RETENTION_DAYS (``core.audit.audit_notes_purge``); the entry stays."""

    entry = models.OneToOneField(
        AuditLogEntry, on_delete=models.CASCADE, related_name="note", verbose_name=_("entry")
    )
    text = models.TextField(_("reason"))

    class Meta:
        verbose_name = _("audit note")
        verbose_name_plural = _("audit notes")

    def __str__(self):
        return self.text


class IdempotencyRecord(models.Model):
    """The first response to a request carrying an Idempotency-Key, replayed on repeats."""

    scope = models.CharField(max_length=60)
    key = models.CharField(max_length=100)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    request_fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "scheduling_idempotencyrecord"  # created by scheduling before core existed
        constraints = [
            models.UniqueConstraint(fields=["scope", "user", "key"], name="idempotency_unique_key"),
            # NULL users (kiosk devices, whose scope names the device) are not equal in a
            # unique index: without this one the database backstop never fired for them.
            models.UniqueConstraint(
                fields=["scope", "key"],
                condition=models.Q(user__isnull=True),
                name="idempotency_unique_key_anonymous",
            ),
        ]

    def __str__(self):
        return f"{self.scope}:{self.key}"


class ImmutableError(PermissionError):
    """Code tried to change or delete a row that is frozen (a programming error, not input)."""


class ImmutableQuerySet(models.QuerySet):
    """Bulk changes obey the same rule as ``save``: only ``mutable_fields`` may be updated."""

    def update(self, **kwargs):
        frozen = set(kwargs) - self.model.mutable_fields
        if frozen:
            raise ImmutableError(
                f"{self.model._meta.verbose_name}: {', '.join(sorted(frozen))} cannot change."
            )
        return super().update(**kwargs)

    def delete(self):
        if self.model.is_frozen is ImmutableModel.is_frozen:  # always frozen
            raise ImmutableError(f"{self.model._meta.verbose_name} rows are never deleted.")
        # Frozen per row (e.g. a tariff once used): each row decides.
        rows = list(self)
        for row in rows:
            row.delete()
        return len(rows), {self.model._meta.label: len(rows)}


class ImmutableModel(models.Model):
    """A row written once. The one guard for every frozen fact in the project.

    ``mutable_fields``: the fields a service may still set after the row was written (voiding
    a record, ending an open tariff). ``is_frozen()``: whether this row is frozen now; by
    default always, a model may relax it (a tariff nobody used yet may still be edited).
    ``save`` of an existing frozen row, ``delete`` and queryset ``update``/``delete`` raise
    ``ImmutableError``; ``save(update_fields=...)`` limited to ``mutable_fields`` passes.
    """

    mutable_fields: frozenset[str] = frozenset()
    immutable_message = _("This record is never changed.")

    objects = ImmutableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding and self.is_frozen():
            fields = kwargs.get("update_fields")
            if fields is None or not set(fields) <= self.mutable_fields:
                raise ImmutableError(
                    f"{self._meta.verbose_name} {self.pk}: {self.immutable_message}"
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_frozen():
            raise ImmutableError(f"{self._meta.verbose_name} {self.pk} is never deleted.")
        return super().delete(*args, **kwargs)

    def is_frozen(self) -> bool:
        return True


class ApiToken(models.Model):
    """A key a machine client (an employer's HR system, a municipality's finance system) sends
    as ``Authorization: Bearer <key>`` to act as ``user`` on the API.

    Only the SHA-256 of the key is stored; the key itself is shown once, when it is made.
    ``prefix`` (the key's first characters) tells the tokens apart on the tokens page.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("key prefix"), max_length=16)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def status(self, now) -> str:
        """``active``, ``revoked`` or ``expired`` at ``now``."""
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"


class OutboxTask(models.Model):
    """A task that must run once its transaction has committed (an e-mail that must go out).

    Written in the same transaction as the change it is about (core.outbox), so it exists
    exactly when the change does; ``done_at`` is set when the task has run. The periodic sweep
    queues again a task not done some minutes after it was queued (the Redis broker has no
    acknowledgement: a task taken by a killed worker is gone). Holds a dotted path and ids,
    no personal data.
    """

    func = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    queued_at = models.DateTimeField(_("last queued at"), default=timezone.now)
    queued_count = models.PositiveSmallIntegerField(_("times queued"), default=1)
    started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outbox task")
        verbose_name_plural = _("outbox tasks")
        indexes = [
            models.Index(
                fields=["queued_at"],
                condition=models.Q(done_at__isnull=True),
                name="core_outbox_pending_idx",
            )
        ]

    def __str__(self):
        return f"{self.func} {self.args}"
