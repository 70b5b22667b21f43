from django.urls import include, path

from scheduling import capacity_views, views

app_name = "scheduling"

urlpatterns = [
    path("planner/", views.planner, name="planner"),
    path("book/", views.book, name="book"),
    path("capacity/", capacity_views.capacity, name="capacity"),
    path("", include("scheduling.group_booking.urls")),
    path("", include("scheduling.tickets.urls")),
    path("", include("scheduling.waitlist.urls")),
]

home_urlpatterns = [path("", views.home, name="home")]
