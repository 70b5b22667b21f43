"""Group-booking API routes (mounted under /api/v1/ by ``scheduling.api.urls``)."""

from django.urls import path

from scheduling.group_booking.api import views

urlpatterns = [
    path("group-bookings/", views.GroupBookingListCreateApi.as_view(), name="api-group-bookings"),
    path(
        "group-bookings/upload/",
        views.GroupBookingUploadApi.as_view(),
        name="api-group-booking-upload",
    ),
    path(
        "group-bookings/<str:reference>/",
        views.GroupBookingDetailApi.as_view(),
        name="api-group-booking",
    ),
    path(
        "group-bookings/<str:reference>/confirm/",
        views.GroupBookingConfirmApi.as_view(),
        name="api-group-booking-confirm",
    ),
    path(
        "group-bookings/<str:reference>/cancel/",
        views.GroupBookingCancelApi.as_view(),
        name="api-group-booking-cancel",
    ),
    path(
        "group-bookings/<str:reference>/workers/",
        views.GroupBookingWorkerAddApi.as_view(),
        name="api-group-booking-worker-add",
    ),
    path(
        "group-bookings/<str:reference>/workers/<str:booking_code>/cancel/",
        views.GroupBookingWorkerCancelApi.as_view(),
        name="api-group-booking-worker-cancel",
    ),
    path(
        "group-bookings/<str:reference>/workers/<str:booking_code>/replace/",
        views.GroupBookingWorkerReplaceApi.as_view(),
        name="api-group-booking-worker-replace",
    ),
    path(
        "group-bookings/<str:reference>/workers/<str:booking_code>/reschedule/",
        views.GroupBookingWorkerRescheduleApi.as_view(),
        name="api-group-booking-worker-reschedule",
    ),
]
