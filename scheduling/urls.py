from django.urls import include, path

from scheduling import views
from scheduling.tickets import views as ticket_views

app_name = "scheduling"

urlpatterns = [
    path("planner/", views.planner, name="planner"),
    path("book/", views.book, name="book"),
    path("", include("scheduling.group_booking.urls")),
    path(
        "appointments/<str:code>/",
        ticket_views.appointment_detail,
        name="appointment-detail",
    ),
    path(
        "appointments/<str:code>/ticket.pdf",
        ticket_views.appointment_ticket,
        name="appointment-ticket",
    ),
    path(
        "groups/<str:reference>/tickets/",
        ticket_views.group_tickets,
        name="group-tickets",
    ),
    path(
        "groups/<str:reference>/tickets/status/",
        ticket_views.group_tickets_status,
        name="group-tickets-status",
    ),
    path(
        "groups/<str:reference>/tickets/<int:batch_id>.pdf",
        ticket_views.group_tickets_download,
        name="group-tickets-download",
    ),
]

home_urlpatterns = [path("", views.home, name="home")]
