"""Codes people read aloud, type or scan: the one way the project makes them.

``random_code``: a fresh random code (``secrets``) from an alphabet without look-alikes:
booking codes, kiosk pairing codes, activity ticket codes, a report's follow-up secret.
``keyed_code``: a stable pseudonymous code derived from the ``SECRET_KEY`` and a message
(settlement and claim references): the same record always gets the same code, and the code
reveals nothing of the record (no id, no BSN, no name).
"""

import hashlib
import hmac
import secrets

from django.conf import settings

# Crockford's base32: no I, L, O or U, so a 1 or a 0 cannot be taken for a letter.
CROCKFORD_BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Letters and digits without 0/O and 1/I: read aloud at a desk and typed at a kiosk.
READABLE = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def random_code(alphabet: str, length: int) -> str:
    """``length`` symbols drawn independently and uniformly from ``alphabet``."""
    return "".join(secrets.choice(alphabet) for _ in range(length))


def keyed_code(message: str, *, length: int = 10, alphabet: str = CROCKFORD_BASE32) -> str:
    """``length`` symbols of an HMAC-SHA256 of ``message`` under the ``SECRET_KEY`` (its first
    64 bits, least significant symbol first). Changing this changes every issued reference."""
    digest = hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _i in range(length):
        number, rest = divmod(number, len(alphabet))
        chars.append(alphabet[rest])
    return "".join(chars)
