"""Core's own pages (mounted under /account/): the user's API tokens."""

from django.urls import path

from core import token_views

app_name = "core"

urlpatterns = [
    path("tokens/", token_views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", token_views.token_revoke, name="token-revoke"),
]
