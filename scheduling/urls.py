from django.urls import path

from scheduling import portal_views as portal
from scheduling import views
from scheduling.tickets import views as ticket_views

app_name = "scheduling"

urlpatterns = [
    path("planner/", views.planner, name="planner"),
    path("book/", views.book, name="book"),
    path("portal/", portal.dashboard, name="portal"),
    path("portal/group-bookings/new/", portal.group_new, name="portal-group-new"),
    path("portal/group-bookings/<str:reference>/", portal.group_detail, name="portal-group"),
    path(
        "portal/group-bookings/<str:reference>/confirm/",
        portal.group_confirm,
        name="portal-group-confirm",
    ),
    path(
        "portal/group-bookings/<str:reference>/cancel/",
        portal.group_cancel,
        name="portal-group-cancel",
    ),
    path(
        "portal/group-bookings/<str:reference>/workers/add/",
        portal.worker_add,
        name="portal-worker-add",
    ),
    path(
        "portal/group-bookings/<str:reference>/workers/<str:booking_code>/cancel/",
        portal.worker_cancel,
        name="portal-worker-cancel",
    ),
    path(
        "portal/group-bookings/<str:reference>/calendar.ics",
        portal.group_ics,
        name="group-ics",
    ),
    path(
        "portal/appointments/<str:booking_code>/calendar.ics",
        portal.appointment_ics_download,
        name="appointment-ics",
    ),
    path("portal/calendar-feed/regenerate/", portal.feed_regenerate, name="feed-regenerate"),
    path(
        "portal/roster-template.<str:fmt>",
        portal.roster_template,
        name="roster-template",
    ),
    path("calendar/<str:token>.ics", portal.employer_feed, name="employer-feed"),
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
