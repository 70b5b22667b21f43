"""API token authentication: ``Authorization: Bearer <key>`` (or ``Token <key>``), /api/ only.

A request with a token acts as the token's user, so every policy and row scope that applies
to that user's session applies unchanged. No CSRF check: a token is not sent by a browser
on its own. A token that is unknown, revoked or expired, or whose user is deactivated,
gets 401 ``{code, detail}`` with a ``token_*`` code. HTML pages never accept a token.
"""

from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from core.errors import CoreError
from core.exceptions import NotAuthenticated
from core.tokens import api_token_authenticate

API_PREFIX = "/api/"
KEYWORDS = ("bearer", "token")


class TokenRefused(exceptions.AuthenticationFailed):
    """401 with the catalogue code of the reason (``core.errors.CoreError.TOKEN_*``)."""

    def __init__(self, error: NotAuthenticated):
        super().__init__(str(error.message))
        self.error_code = error.code


def _credentials(request) -> str | None:
    """The key of a ``Bearer``/``Token`` Authorization header under /api/, else None."""
    if not request.path.startswith(API_PREFIX):
        return None
    header = authentication.get_authorization_header(request).decode("latin-1").split()
    if not header or header[0].lower() not in KEYWORDS:
        return None
    if len(header) != 2:
        raise TokenRefused(
            NotAuthenticated(
                _("Send the API token as: Authorization: Bearer <key>."),
                code=CoreError.TOKEN_INVALID,
            )
        )
    return header[1]


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        key = _credentials(request)
        if key is None:
            return None
        try:
            token = api_token_authenticate(key=key)
        except NotAuthenticated as error:
            raise TokenRefused(error) from None
        return token.user, token

    def authenticate_header(self, request):
        # 401 (with this challenge) for a request that sent a token; a request without any
        # credentials keeps DRF's 403 of the session authentication.
        if _credentials_sent(request):
            return 'Bearer realm="api"'
        return None


def _credentials_sent(request) -> bool:
    header = authentication.get_authorization_header(request).split()
    return bool(header) and header[0].decode("latin-1").lower() in KEYWORDS


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "core.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API token made on the portal's API tokens page "
            "(`Authorization: Bearer bmip_...`). The request acts as the token's user.",
        }
