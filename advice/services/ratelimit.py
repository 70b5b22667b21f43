"""A simple per-client limit on the public report form and the follow-up page, kept in
Django's cache (shared by all web processes when the cache is Redis or a database).

The client address follows core.net.client_ip (NUM_PROXIES); the key is a hash of it and the current window; the address itself is
never stored or logged."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from advice.errors import AdviceError
from core.exceptions import DomainError
from core.net import client_ip


class RateLimited(DomainError):
    code = AdviceError.RATE_LIMITED
    http_status = 429


def rate_limit_hit(
    request, scope: str, *, limit: int, window_seconds: int = 3600, key: str | None = None
) -> None:
    """Count one attempt of ``scope`` from this client (or from ``key``, e.g. one kiosk, which
    all its users share); raise ``RateLimited`` past ``limit``."""
    address = key or client_ip(request)  # the one rule for proxies (NUM_PROXIES), core.net
    bucket = int(time.time() // window_seconds)
    digest = hashlib.sha256(f"{settings.SECRET_KEY}|{address}".encode()).hexdigest()[:24]
    key = f"advice:rl:{scope}:{digest}:{bucket}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    if count > limit:
        raise RateLimited(_("Too many attempts from this connection. Please try again later."))
