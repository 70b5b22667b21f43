"""Activities API routes (mounted under /api/v1/)."""

from django.urls import path

from activities.api import views

urlpatterns = [
    path(
        "activities/registrations/",
        views.RegistrationList.as_view(),
        name="api-activity-registrations",
    ),
    path(
        "activities/registrations/<str:registration>/",
        views.RegistrationDetail.as_view(),
        name="api-activity-registration",
    ),
]
