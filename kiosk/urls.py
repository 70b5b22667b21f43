from django.urls import path

from kiosk import board_views, views

app_name = "kiosk"

urlpatterns = [
    path("", views.index, name="index"),
    path("pair/", views.pair, name="pair"),
    path("reception/", views.reception, name="reception"),
    path("reception/lists/", views.reception_lists_fragment, name="reception-lists"),
    path("reception/walk-in/", views.reception_walk_in, name="reception-walk-in"),
    path("reception/late/", views.reception_late_decide, name="reception-late"),
    path("reception/slip/<int:ticket_id>/", views.reception_slip, name="reception-slip"),
    path("board/", board_views.board, name="board"),
    path("board/feed/", board_views.board_feed, name="board-feed"),
    path("officer/", views.officer, name="officer"),
    path("officer/<int:counter_id>/", views.officer_counter, name="officer-counter"),
    path(
        "officer/<int:counter_id>/waiting/",
        views.officer_waiting_fragment,
        name="officer-waiting",
    ),
    path("officer/<int:counter_id>/<slug:action>/", views.officer_action, name="officer-action"),
    path("<slug:slug>/", views.kiosk_page, name="kiosk"),
    path("<slug:slug>/group/", views.kiosk_group, name="group"),
    path("<slug:slug>/walk-in/", views.kiosk_walk_in, name="walk-in"),
    path("<slug:slug>/more/<slug:page>/", views.kiosk_more, name="more"),
    path("<slug:slug>/display/", views.display, name="display"),
    path("<slug:slug>/display/feed/", views.display_feed, name="display-feed"),
]
