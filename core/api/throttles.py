"""API throttles on the shared cache (``CACHES["default"]``: Redis or the database cache).

Rates come from ``settings.API_THROTTLE_RATES`` (environment, see .env.example), read when a
throttle is made, so a rate of ``None`` turns that scope off. A throttled request is answered
by the API exception handler with 429 ``{code: "throttled", detail}`` and ``Retry-After``.

- ``AnonThrottle`` (scope ``anon``): unauthenticated API requests, per client address.
- ``UserThrottle`` (scope ``user``): authenticated API requests (session or token), per user.
- ``DeviceThrottle`` (scope ``kiosk_device``): kiosk device endpoints, per device credential
  (its hash; the address when there is none); the kiosk app names the credential.
- ``LoginThrottle`` (scope ``login``): login form posts per client address (not a DRF view:
  ``core.views.LoginView`` asks it directly).
"""

import hashlib

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from core.net import client_ip


class SettingsRateThrottle(SimpleRateThrottle):
    """A throttle whose rate is read from ``settings.API_THROTTLE_RATES[scope]``."""

    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)

    def get_ident(self, request):
        return client_ip(request)

    def key_for(self, ident: str) -> str:
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonThrottle(SettingsRateThrottle):
    scope = "anon"

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None
        return self.key_for(self.get_ident(request))


class UserThrottle(SettingsRateThrottle):
    scope = "user"

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return self.key_for(f"u{request.user.pk}")


class DeviceThrottle(SettingsRateThrottle):
    """Per device: ``device_credential(request)`` returns the device's secret (or "")."""

    scope = "kiosk_device"

    def device_credential(self, request) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def get_cache_key(self, request, view):
        if request.user and request.user.is_authenticated:
            return None  # staff: the user throttle
        secret = self.device_credential(request)
        if secret:
            return self.key_for("d" + hashlib.sha256(secret.encode()).hexdigest()[:32])
        return self.key_for("a" + self.get_ident(request))


class LoginThrottle(SettingsRateThrottle):
    scope = "login"

    def get_cache_key(self, request, view):
        return self.key_for(self.get_ident(request))
