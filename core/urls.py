"""Core's own routes (mounted at the root): liveness and readiness (public; core.health),
statistics (core.stats_views) and the user's API tokens under /account/ (core.token_views)."""

from django.urls import path

from core import health, stats_views, token_views

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
    path("account/tokens/", token_views.tokens, name="tokens"),
    path("account/tokens/<int:token_id>/revoke/", token_views.token_revoke, name="token-revoke"),
]
