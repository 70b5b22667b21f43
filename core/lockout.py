"""The answer to a locked-out login (django-axes, ``AXES_LOCKOUT_CALLABLE``).

The lockout page in the site layout, status 429 with ``Retry-After``; it names neither the
user nor the address (the person at the desk sees only that this login waits).
"""

from django.conf import settings
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(
        request,
        "registration/lockout.html",
        {"cooloff_minutes": max(seconds // 60, 1)},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response
