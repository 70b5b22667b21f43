from django.urls import path

from scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("planner/", views.planner, name="planner"),
    path("book/", views.book, name="book"),
]

home_urlpatterns = [path("", views.home, name="home")]
