"""Core's own pages (mounted at the root): the user's API tokens under /account/."""

from django.urls import path

from core import token_views

app_name = "core"

urlpatterns = [
    path("account/tokens/", token_views.tokens, name="tokens"),
    path("account/tokens/<int:token_id>/revoke/", token_views.token_revoke, name="token-revoke"),
]
