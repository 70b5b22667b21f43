"""Waitlist pages, included by ``scheduling.urls`` (names in the ``scheduling`` namespace)."""

from django.urls import path

from scheduling.waitlist import views

urlpatterns = [
    path("portal/waitlist/", views.waitlist_list, name="portal-waitlist"),
    path("portal/waitlist/join/", views.waitlist_join, name="portal-waitlist-join"),
    path(
        "portal/waitlist/<str:entry>/withdraw/",
        views.waitlist_withdraw,
        name="portal-waitlist-withdraw",
    ),
    path(
        "portal/waitlist/offer/<str:offer_token>/",
        views.waitlist_offer,
        name="portal-waitlist-offer",
    ),
    path(
        "portal/waitlist/offer/<str:offer_token>/decline/",
        views.waitlist_decline,
        name="portal-waitlist-decline",
    ),
]
