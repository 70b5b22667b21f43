"""Report-point API routes (mounted under /api/v1/)."""

from django.urls import path

from advice.api import views

urlpatterns = [
    path("reports/", views.ReportList.as_view(), name="api-reports"),
    path("reports/<int:pk>/", views.ReportDetail.as_view(), name="api-report"),
]
