from django.urls import path

from activities import views

app_name = "activities"

urlpatterns = [
    path("", views.index, name="index"),
    path("sessions/<int:session_id>/", views.session_detail, name="session"),
    path("sessions/<int:session_id>/door/", views.door, name="door"),
    path("sessions/<int:session_id>/no-shows/", views.door_no_shows, name="no-shows"),
    path("registrations/<str:registration>/", views.registration_detail, name="registration"),
    path(
        "registrations/<str:registration>/calendar.ics",
        views.registration_ics_download,
        name="registration-ics",
    ),
    path(
        "registrations/<str:registration>/receipt/",
        views.receipt_issue_view,
        name="receipt-issue",
    ),
    path(
        "registrations/<str:registration>/receipt.pdf",
        views.receipt_download,
        name="receipt",
    ),
    path(
        "registrations/<str:registration>/cancel/",
        views.registration_cancel_view,
        name="registration-cancel",
    ),
    path(
        "registrations/<str:registration>/persons/<int:participant_id>/cancel/",
        views.participant_cancel_view,
        name="participant-cancel",
    ),
]
