"""The kiosk device throttle: per paired device (its secret, hashed into the cache key)."""

from django.conf import settings

from core.api.throttles import AnonThrottle, DeviceThrottle, UserThrottle
from kiosk.services.devices import DEVICE_HEADER


class KioskDeviceThrottle(DeviceThrottle):
    def device_credential(self, request) -> str:
        return request.META.get(DEVICE_HEADER) or request.COOKIES.get(
            settings.KIOSK_DEVICE_COOKIE, ""
        )


# Kiosk device endpoints: per device, per address (a device secret can be made up), per user.
KIOSK_THROTTLES = [
    KioskDeviceThrottle,
    AnonThrottle,
    UserThrottle,
]
