"""Employer portal pages, included by ``scheduling.urls`` (names in the ``scheduling``
namespace)."""

from django.urls import path

from scheduling.group_booking import views

urlpatterns = [
    path("portal/", views.dashboard, name="portal"),
    path("portal/group-bookings/new/", views.group_new, name="portal-group-new"),
    path("portal/group-bookings/<str:reference>/", views.group_detail, name="portal-group"),
    path(
        "portal/group-bookings/<str:reference>/confirm/",
        views.group_confirm,
        name="portal-group-confirm",
    ),
    path(
        "portal/group-bookings/<str:reference>/cancel/",
        views.group_cancel,
        name="portal-group-cancel",
    ),
    path(
        "portal/group-bookings/<str:reference>/workers/add/",
        views.worker_add,
        name="portal-worker-add",
    ),
    path(
        "portal/group-bookings/<str:reference>/workers/<str:booking_code>/cancel/",
        views.worker_cancel,
        name="portal-worker-cancel",
    ),
    path(
        "portal/group-bookings/<str:reference>/calendar.ics",
        views.group_ics,
        name="group-ics",
    ),
    path(
        "portal/appointments/<str:booking_code>/calendar.ics",
        views.appointment_ics_download,
        name="appointment-ics",
    ),
    path("portal/calendar-feed/regenerate/", views.feed_regenerate, name="feed-regenerate"),
    path(
        "portal/roster-template.<str:fmt>",
        views.roster_template,
        name="roster-template",
    ),
    path("calendar/<str:token>.ics", views.employer_feed, name="employer-feed"),
]
