"""Signed, opaque ticket tokens for the QR code.

The token carries only the booking code and a version number, signed with a salt for this
purpose: no name, birth date, BSN or database id. The scanner re-checks the database, so a
cancelled or rescheduled appointment (token_version bumped) invalidates older tokens, and a
token stops working after the appointment day plus a grace period.

Format ``T2.<booking code>.<version>:<MAC>``: uppercase letters, digits, ``.`` and ``:`` only,
so the QR code uses alphanumeric mode and stays at version 2 (25x25 modules) at error
correction M. The MAC is an HMAC-SHA256 (key derived from SECRET_KEY with a salt for this
purpose) truncated to 80 bits, base32: forging one needs ~2^80 online guesses against a
scanner that re-checks the database. ``T1.<code>.<version>~<signature>`` tokens (the first,
longer format, django.core.signing) are still accepted.
"""

import base64
import datetime as dt
import hmac
import re
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from scheduling.constants import AppointmentStatus
from scheduling.models import Appointment

TOKEN_SALT = "bmip.ticket-token.v1"
TOKEN_PREFIX = "T1"
TOKEN_SALT_V2 = "bmip.ticket-token.v2"
TOKEN_PREFIX_V2 = "T2"
TOKEN_MAC_BYTES = 10  # 80 bits -> 16 base32 characters


class TokenError:
    MALFORMED = "malformed"
    BAD_SIGNATURE = "bad_signature"
    UNKNOWN = "unknown"
    SUPERSEDED = "superseded"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


TOKEN_ERROR_MESSAGES = {
    TokenError.MALFORMED: _("This code is not a BMIP ticket."),
    TokenError.BAD_SIGNATURE: _("This ticket code is not valid (it has been altered)."),
    TokenError.UNKNOWN: _("No appointment belongs to this ticket."),
    TokenError.SUPERSEDED: _("This ticket was replaced by a newer one (the visit was moved)."),
    TokenError.CANCELLED: _("This appointment was cancelled."),
    TokenError.EXPIRED: _("This ticket has expired."),
}


@dataclass(frozen=True)
class TokenResult:
    appointment: Appointment | None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def message(self) -> str:
        return str(TOKEN_ERROR_MESSAGES[self.error]) if self.error else ""


def _signer() -> signing.Signer:
    return signing.Signer(salt=TOKEN_SALT, sep="~")


def _mac(payload: str, secret: str | bytes) -> str:
    digest = salted_hmac(TOKEN_SALT_V2, payload, secret=secret, algorithm="sha256").digest()
    return base64.b32encode(digest[:TOKEN_MAC_BYTES]).decode("ascii").rstrip("=")


def signed_token_make(*, prefix: str, code: str, version: int) -> str:
    """``<prefix>.<code>.<version>:<MAC>``: the one signer for every kind of QR token. The
    prefix names the kind (``T2`` visit tickets, ``A2`` activity tickets) and is part of the
    signed payload, so a token of one kind is never accepted as another."""
    payload = f"{prefix}.{code}.{version}"
    return f"{payload}:{_mac(payload, settings.SECRET_KEY)}"


def signed_token_unsign(*, prefix: str, token: str) -> tuple[str, str] | str:
    """(code, version) of a well-signed token of kind ``prefix``, or the error code."""
    match = re.match(rf"^{re.escape(prefix)}\.([A-Z0-9]{{1,12}})\.(\d{{1,6}}):([A-Z2-7]*)$", token)
    if match is None:
        return TokenError.MALFORMED
    code, version, mac = match.groups()
    payload = f"{prefix}.{code}.{version}"
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        if hmac.compare_digest(mac, _mac(payload, secret)):
            return code, version
    return TokenError.BAD_SIGNATURE


def ticket_token_make(appointment: Appointment) -> str:
    return signed_token_make(
        prefix=TOKEN_PREFIX_V2, code=appointment.booking_code, version=appointment.token_version
    )


def _unsign_v2(token: str) -> tuple[str, str] | str:
    """(code, version) of a well-signed v2 token, or the error code."""
    return signed_token_unsign(prefix=TOKEN_PREFIX_V2, token=token)


def _unsign_v1(token: str) -> tuple[str, str] | str:
    try:
        payload = _signer().unsign(token)
    except signing.BadSignature:
        return TokenError.BAD_SIGNATURE
    parts = payload.split(".")
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[2].isdigit():
        return TokenError.MALFORMED
    return parts[1], parts[2]


def looks_like_ticket_token(text: str) -> bool:
    """Whether scanned or typed text is a ticket token (any version) rather than a booking
    code: tokens start with ``T<version>.``, which no booking code can contain."""
    return bool(re.match(r"^T\d\.", (text or "").strip().upper()))


def ticket_token_resolve(token: str, *, now: dt.datetime | None = None) -> TokenResult:
    """Check a scanned token against the database. Never raises for bad input."""
    token = (token or "").strip()
    if not token or len(token) > 200:
        return TokenResult(None, TokenError.MALFORMED)
    if token[:3].upper() == f"{TOKEN_PREFIX_V2}.":
        # Scanners in keyboard mode may deliver lowercase; the alphabet is uppercase-only.
        unsigned = _unsign_v2(token.upper())
    elif "~" in token:
        unsigned = _unsign_v1(token)
    else:
        return TokenResult(None, TokenError.MALFORMED)
    if isinstance(unsigned, str):
        return TokenResult(None, unsigned)
    code, version = unsigned
    appointment = (
        Appointment.objects.select_related("client", "location").filter(booking_code=code).first()
    )
    if appointment is None:
        return TokenResult(None, TokenError.UNKNOWN)
    if appointment.status == AppointmentStatus.CANCELLED:
        return TokenResult(appointment, TokenError.CANCELLED)
    if int(version) != appointment.token_version:
        return TokenResult(appointment, TokenError.SUPERSEDED)
    now = now or timezone.now()
    if appointment.start is not None:
        last_day = timezone.localtime(appointment.start).date() + dt.timedelta(
            days=settings.TICKET_TOKEN_GRACE_DAYS
        )
        if timezone.localtime(now).date() > last_day:
            return TokenResult(appointment, TokenError.EXPIRED)
    return TokenResult(appointment, None)
