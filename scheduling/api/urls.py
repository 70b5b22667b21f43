"""Scheduling API routes (mounted under /api/v1/)."""

from django.urls import path

from scheduling.api import group_bookings as gb
from scheduling.api import views
from scheduling.tickets.api import AppointmentTicketPdfView

urlpatterns = [
    path("group-bookings/", gb.GroupBookingListCreateApi.as_view(), name="api-group-bookings"),
    path(
        "group-bookings/upload/",
        gb.GroupBookingUploadApi.as_view(),
        name="api-group-booking-upload",
    ),
    path(
        "group-bookings/<str:reference>/",
        gb.GroupBookingDetailApi.as_view(),
        name="api-group-booking",
    ),
    path(
        "group-bookings/<str:reference>/confirm/",
        gb.GroupBookingConfirmApi.as_view(),
        name="api-group-booking-confirm",
    ),
    path(
        "group-bookings/<str:reference>/cancel/",
        gb.GroupBookingCancelApi.as_view(),
        name="api-group-booking-cancel",
    ),
    path(
        "group-bookings/<str:reference>/workers/",
        gb.GroupBookingWorkerAddApi.as_view(),
        name="api-group-booking-worker-add",
    ),
    path(
        "group-bookings/<str:reference>/workers/<str:booking_code>/cancel/",
        gb.GroupBookingWorkerCancelApi.as_view(),
        name="api-group-booking-worker-cancel",
    ),
    path(
        "group-bookings/<str:reference>/workers/<str:booking_code>/replace/",
        gb.GroupBookingWorkerReplaceApi.as_view(),
        name="api-group-booking-worker-replace",
    ),
    path(
        "group-bookings/<str:reference>/workers/<str:booking_code>/reschedule/",
        gb.GroupBookingWorkerRescheduleApi.as_view(),
        name="api-group-booking-worker-reschedule",
    ),
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
