from django.urls import path

from scheduling import views

app_name = "scheduling"

urlpatterns = []

home_urlpatterns = [path("", views.home, name="home")]
