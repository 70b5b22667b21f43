from django.urls import include, path

from scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("planner/", views.planner, name="planner"),
    path("book/", views.book, name="book"),
    path("", include("scheduling.group_booking.urls")),
    path("", include("scheduling.tickets.urls")),
]

home_urlpatterns = [path("", views.home, name="home")]
