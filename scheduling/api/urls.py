"""Scheduling API routes (mounted under /api/v1/)."""

from django.urls import include, path

from scheduling.api import views
from scheduling.tickets.api import AppointmentTicketPdfView

urlpatterns = [
    path("", include("scheduling.group_booking.api.urls")),
    path("availability/", views.AvailabilityView.as_view(), name="api-availability"),
    path("package/", views.PackageView.as_view(), name="api-package"),
    path("appointments/", views.AppointmentBookView.as_view(), name="api-appointment-book"),
    path(
        "appointments/<str:booking_code>/",
        views.AppointmentDetailView.as_view(),
        name="api-appointment-detail",
    ),
    path(
        "appointments/<str:booking_code>/cancel/",
        views.AppointmentCancelView.as_view(),
        name="api-appointment-cancel",
    ),
    path(
        "appointments/<str:booking_code>/reschedule/",
        views.AppointmentRescheduleView.as_view(),
        name="api-appointment-reschedule",
    ),
    path(
        "appointments/<str:code>/ticket.pdf",
        AppointmentTicketPdfView.as_view(),
        name="api-appointment-ticket",
    ),
]
