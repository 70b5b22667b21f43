"""Kiosk and display devices: pairing, the device secret, revocation, recognising a request.

A device is recognised by the secret in its cookie (``KIOSK_DEVICE_COOKIE``) or in the
``X-Kiosk-Device`` header; only its SHA-256 is stored. The check-in, walk-in and group
check-in pages and API refuse a request without a valid device of that location (403
``device_required``).
"""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.codes import READABLE, random_code
from core.exceptions import Forbidden, ValidationFailed
from kiosk.errors import KioskError
from kiosk.models import KioskDevice

DEVICE_HEADER = "HTTP_X_KIOSK_DEVICE"
PAIRING_ALPHABET = READABLE
PAIRING_LENGTH = 10


def _hash(value: str) -> str:
    return hashlib.sha256(value.strip().upper().encode()).hexdigest()


def _secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def device_pairing_start(*, device: KioskDevice, actor, now: dt.datetime | None = None) -> str:
    """A fresh one-time pairing code for the device (shown once); an earlier secret stops."""
    now = now or timezone.now()
    code = random_code(PAIRING_ALPHABET, PAIRING_LENGTH)
    device.pairing_code_hash = _hash(code)
    device.pairing_expires_at = now + dt.timedelta(minutes=settings.KIOSK_PAIRING_MINUTES)
    device.secret_hash = ""
    device.paired_at = None
    device.revoked_at = None
    device.save()
    audit_log(actor=actor, action="kiosk.device_pairing_start", obj=device)
    return code


@transaction.atomic
def device_pair(*, code: str, now: dt.datetime | None = None) -> tuple[KioskDevice, str]:
    """Exchange a pairing code for the device secret (once, before it expires)."""
    now = now or timezone.now()
    device = (
        KioskDevice.objects.select_for_update()
        .filter(
            pairing_code_hash=_hash(code) if code.strip() else "-",
            pairing_expires_at__gt=now,
            revoked_at__isnull=True,
        )
        .first()
    )
    if device is None:
        raise ValidationFailed(
            _("This pairing code is unknown or has expired."),
            code=KioskError.PAIRING_CODE_INVALID,
        )
    secret = secrets.token_urlsafe(32)
    device.secret_hash = _secret_hash(secret)
    device.pairing_code_hash = ""
    device.pairing_expires_at = None
    device.paired_at = now
    device.last_seen_at = now
    device.save()
    audit_log(actor=None, action="kiosk.device_paired", obj=device)
    return device, secret


@transaction.atomic
def device_revoke(*, device: KioskDevice, actor, now: dt.datetime | None = None) -> None:
    device.revoked_at = now or timezone.now()
    device.secret_hash = ""
    device.pairing_code_hash = ""
    device.save()
    audit_log(actor=actor, action="kiosk.device_revoked", obj=device)


def device_for_request(request, location, *, now: dt.datetime | None = None):
    """The paired, unrevoked device of this location making the request, or None."""
    secret = request.META.get(DEVICE_HEADER) or request.COOKIES.get(settings.KIOSK_DEVICE_COOKIE)
    if not secret:
        return None
    device = KioskDevice.objects.filter(
        secret_hash=_secret_hash(secret), location=location, revoked_at__isnull=True
    ).first()
    if device is None:
        return None
    now = now or timezone.now()
    if device.last_seen_at is None or now - device.last_seen_at > dt.timedelta(minutes=1):
        KioskDevice.objects.filter(pk=device.pk).update(last_seen_at=now)
    return device


def device_require(request, location):
    """The request's device for this location, or 403 ``device_required``."""
    device = device_for_request(request, location)
    if device is None:
        raise Forbidden(
            _("This screen is not a paired kiosk of this location."),
            code=KioskError.DEVICE_REQUIRED,
        )
    return device
