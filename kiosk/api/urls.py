"""kiosk API routes (mounted under /api/v1/)."""

from django.urls import path

from kiosk.api import views

urlpatterns = [
    path("kiosk/check-in", views.CheckInView.as_view(), name="kiosk-check-in"),
    path("kiosk/group/members", views.GroupMembersView.as_view(), name="kiosk-group-members"),
    path("kiosk/group/check-in", views.GroupCheckInView.as_view(), name="kiosk-group-check-in"),
    path("kiosk/walk-in", views.WalkInView.as_view(), name="kiosk-walk-in"),
    path(
        "counters/<int:counter_id>/call-next",
        views.CallNextView.as_view(),
        name="counter-call-next",
    ),
    path("counters/<int:counter_id>/call", views.CallView.as_view(), name="counter-call"),
    path("counters/<int:counter_id>/recall", views.RecallView.as_view(), name="counter-recall"),
    path("counters/<int:counter_id>/no-show", views.NoShowView.as_view(), name="counter-no-show"),
    path("counters/<int:counter_id>/undo", views.UndoView.as_view(), name="counter-undo"),
    path("counters/<int:counter_id>/start", views.StartView.as_view(), name="counter-start"),
    path("counters/<int:counter_id>/finish", views.FinishView.as_view(), name="counter-finish"),
    path("display/<slug:location>", views.DisplayView.as_view(), name="display"),
]
