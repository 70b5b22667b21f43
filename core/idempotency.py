"""Idempotency-Key support for POST endpoints that a kiosk, printer or client may retry.

A repeated request with the same key (per user and scope) replays the first response and
changes nothing; the same key with a different body is refused (409). A record is kept
``IDEMPOTENCY_HOURS`` (24): the stored response may hold personal data (a booked client's
name), so expired records are deleted by a periodic task and by the retention purge, and an
expired record is never replayed.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.response import Response

from core.errors import CoreError
from core.exceptions import Conflict, ValidationFailed
from core.models import IdempotencyRecord

HEADER = "HTTP_IDEMPOTENCY_KEY"
IDEMPOTENCY_HOURS = 24


def idempotency_records_purge(*, now: dt.datetime | None = None, actor=None) -> int:
    """Delete the records older than IDEMPOTENCY_HOURS (a periodic task and a retention
    purger, ``settings.RETENTION_PURGERS``). Returns how many went."""
    cutoff = (now or timezone.now()) - dt.timedelta(hours=IDEMPOTENCY_HOURS)
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def idempotency_records_purge_task() -> int:
    return idempotency_records_purge()


def _fingerprint(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def idempotent_response(request, *, scope: str, handler: Callable[[], Response]) -> Response:
    """Run ``handler`` once per Idempotency-Key; without a key, just run it."""
    key = request.META.get(HEADER, "").strip()
    if not key:
        return handler()
    if len(key) > 100:
        raise ValidationFailed(
            _("Idempotency-Key is too long (100 characters at most)."),
            code=CoreError.IDEMPOTENCY_KEY_TOO_LONG,
        )
    user = request.user if request.user.is_authenticated else None
    fingerprint = _fingerprint(request.data)
    # One query for the usual new key; an expired record is gone for good: delete it so the
    # key starts afresh (never replayed).
    existing = IdempotencyRecord.objects.filter(scope=scope, user=user, key=key).first()
    if existing and existing.created_at < timezone.now() - dt.timedelta(hours=IDEMPOTENCY_HOURS):
        IdempotencyRecord.objects.filter(pk=existing.pk, created_at=existing.created_at).delete()
        existing = None
    if existing:
        return _replay(existing, fingerprint)
    try:
        with transaction.atomic():
            response = handler()
            if 200 <= response.status_code < 300:
                IdempotencyRecord.objects.create(
                    scope=scope,
                    user=user,
                    key=key,
                    request_fingerprint=fingerprint,
                    status_code=response.status_code,
                    body=json.loads(json.dumps(response.data, default=str)),
                )
    except IntegrityError:
        existing = IdempotencyRecord.objects.get(scope=scope, user=user, key=key)
        return _replay(existing, fingerprint)
    return response


def _replay(record: IdempotencyRecord, fingerprint: str) -> Response:
    if record.request_fingerprint != fingerprint:
        raise Conflict(
            _("This Idempotency-Key was already used for a different request."),
            code=CoreError.IDEMPOTENCY_KEY_REUSED,
        )
    response = Response(record.body, status=record.status_code)
    response["Idempotent-Replayed"] = "true"
    return response
