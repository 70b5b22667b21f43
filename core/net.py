"""The client's address, one rule for the login lockout (django-axes) and the API throttles.

``NUM_PROXIES`` (setting, from the environment; default 0) is the number of reverse proxies in
front of Django. 0: the address is ``REMOTE_ADDR`` and ``X-Forwarded-For`` is ignored (anyone
can send that header). N > 0: each proxy appends the address it saw to ``X-Forwarded-For``,
so the client is the N-th entry from the right; entries further left were sent by the client
and are not trusted. See docs/security.md, "Proxies".
"""

from django.conf import settings


def client_ip(request) -> str:
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "NUM_PROXIES", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not proxies or not forwarded:
        return remote_addr
    addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
    if not addresses:
        return remote_addr
    return addresses[-min(proxies, len(addresses))]
