"""Ticket pages, included by ``scheduling.urls`` (names in the ``scheduling`` namespace)."""

from django.urls import path

from scheduling.tickets import views

urlpatterns = [
    path("appointments/<str:code>/", views.appointment_detail, name="appointment-detail"),
    path("appointments/<str:code>/ticket.pdf", views.appointment_ticket, name="appointment-ticket"),
    path("groups/<str:reference>/tickets/", views.group_tickets, name="group-tickets"),
    path(
        "groups/<str:reference>/tickets/status/",
        views.group_tickets_status,
        name="group-tickets-status",
    ),
    path(
        "groups/<str:reference>/tickets/<int:batch_id>.pdf",
        views.group_tickets_download,
        name="group-tickets-download",
    ),
]
