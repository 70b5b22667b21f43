"""Core routes: statistics (core.stats_views) and liveness/readiness (public; core.health)."""

from django.urls import path

from core import health, stats_views

app_name = "core"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("statistics/", stats_views.statistics_page, name="statistics"),
    path(
        "statistics/<slug:key>.<str:fmt>",
        stats_views.statistics_download,
        name="statistics-download",
    ),
]
