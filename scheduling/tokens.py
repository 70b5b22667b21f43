"""Signed, opaque ticket tokens for the QR code.

The token carries only the booking code and a version number, signed with a salt for this
purpose: no name, birth date, BSN or database id. The scanner re-checks the database, so a
cancelled or rescheduled appointment (token_version bumped) invalidates older tokens, and a
token stops working after the appointment day plus a grace period.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scheduling.constants import AppointmentStatus
from scheduling.models import Appointment

TOKEN_SALT = "bmip.ticket-token.v1"
TOKEN_PREFIX = "T1"


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


def ticket_token_make(appointment: Appointment) -> str:
    return _signer().sign(f"{TOKEN_PREFIX}.{appointment.booking_code}.{appointment.token_version}")


def ticket_token_resolve(token: str, *, now: dt.datetime | None = None) -> TokenResult:
    """Check a scanned token against the database. Never raises for bad input."""
    token = (token or "").strip()
    if not token or len(token) > 200 or "~" not in token:
        return TokenResult(None, TokenError.MALFORMED)
    try:
        payload = _signer().unsign(token)
    except signing.BadSignature:
        return TokenResult(None, TokenError.BAD_SIGNATURE)
    parts = payload.split(".")
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[2].isdigit():
        return TokenResult(None, TokenError.MALFORMED)
    _prefix, code, version = parts
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
