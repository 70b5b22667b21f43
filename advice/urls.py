from django.urls import path

from advice import views

app_name = "advice"

urlpatterns = [
    path("", views.advice_log, name="log"),
    path("visit/<int:appointment_id>/", views.visit_advice, name="visit-advice"),
    path("reports/", views.report_list, name="reports"),
    path("reports/new/", views.counter_report, name="report-new"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/status/", views.report_status, name="report-status"),
    path("reports/<int:pk>/assign/", views.report_assign_view, name="report-assign"),
    path("reports/<int:pk>/note/", views.report_note, name="report-note"),
    path(
        "reports/<int:pk>/attachments/<int:attachment_id>/",
        views.report_attachment,
        name="report-attachment",
    ),
]

# The public report point (meldpunt), mounted at /report/ (bmip/urls.py).
public_urlpatterns = [
    path("", views.public_report, name="public-report"),
    path("status/", views.public_status, name="public-status"),
    path("<slug:lang>/", views.public_report, name="public-report-lang"),
    path("<slug:lang>/status/", views.public_status, name="public-status-lang"),
]
