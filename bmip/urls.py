from csp.decorators import csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.permissions import IsAuthenticated

from advice.urls import public_urlpatterns as report_urlpatterns
from core.api.views import SchemaView
from core.login import LoginView
from scheduling.urls import home_urlpatterns

# The API docs pages only: Swagger UI (its init script is a separate file: the split view) and
# ReDoc set styles from script and load their workers from blob: URLs (docs/security.md).
_API_DOCS_CSP = {"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]}

api_v1 = [
    path("", include("scheduling.api.urls")),
    path("", include("kiosk.api.urls")),
    path("", include("counter.api.urls")),
    path("", include("settlement.api.urls")),
    path("", include("activities.api.urls")),
    path("", include("advice.api.urls")),
    path("schema/", SchemaView.as_view(permission_classes=[IsAuthenticated]), name="api-schema"),
    path(
        "docs/",
        login_required(
            csp_update(_API_DOCS_CSP)(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))
        ),
        name="api-docs",
    ),
    path(
        "redoc/",
        login_required(
            csp_update(_API_DOCS_CSP)(SpectacularRedocView.as_view(url_name="api-schema"))
        ),
        name="api-redoc",
    ),
]


urlpatterns = [
    *home_urlpatterns,
    path("", include("core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("scheduling/", include("scheduling.urls")),
    path("kiosk/", include("kiosk.urls")),
    path("counter/", include("counter.urls")),
    # Settlement is its own app; its pages keep the paths they had inside the counter app.
    path("counter/settlement/", include("settlement.urls")),
    path("activities/", include("activities.urls")),
    path("advice/", include("advice.urls")),
    # The public report point (meldpunt): anonymous, in the twelve client languages.
    path("report/", include((report_urlpatterns, "report"))),
]

# Errors: JSON {code, detail} under /api/, the templates elsewhere.
handler400 = "core.views.bad_request"
handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
