"""Scheduling API routes (mounted under /api/v1/)."""

from django.urls import path

from scheduling.tickets.api import AppointmentTicketPdfView

urlpatterns = [
    path(
        "appointments/<str:code>/ticket.pdf",
        AppointmentTicketPdfView.as_view(),
        name="api-appointment-ticket",
    ),
]
