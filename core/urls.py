from django.urls import path

from core import stats_views

app_name = "core"

urlpatterns = [
    path("", stats_views.statistics_page, name="statistics"),
    path("<slug:key>.<str:fmt>", stats_views.statistics_download, name="statistics-download"),
]
