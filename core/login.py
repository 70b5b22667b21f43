"""The login page: Django's LoginView behind a per-address throttle (password spraying).

The lockout per user name and address (django-axes) stops guessing one account; this stops
one address from trying many accounts: more than ``API_THROTTLE_RATES["login"]`` posts from
one address answer 429 with the lockout page, before any password is checked.
"""

from django.contrib.auth import views as auth_views
from django.shortcuts import render

from core.api.throttles import LoginThrottle


class LoginView(auth_views.LoginView):
    def post(self, request, *args, **kwargs):
        throttle = LoginThrottle()
        if not throttle.allow_request(request, self):
            wait = max(int(throttle.wait() or 60), 1)
            response = render(
                request,
                "registration/lockout.html",
                {"cooloff_minutes": max((wait + 59) // 60, 1), "address": True},
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)
