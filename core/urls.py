"""Core routes: liveness and readiness (public; see core.health)."""

from django.urls import path

from core import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
