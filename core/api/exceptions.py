"""One exception handler for the whole API: every error is ``{code, detail, errors}``.

``code`` is a member of an error catalogue (``core.errors``), ``detail`` a message translated
by the request's Accept-Language, ``errors`` the problems per field (never at the top level).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions as drf
from rest_framework import status
from rest_framework.response import Response

from core.errors import CoreError
from core.exceptions import DomainError

# DRF's exceptions, most specific first: (class, catalogue code).
_DRF_CODES = (
    (drf.ValidationError, CoreError.INVALID),
    (drf.ParseError, CoreError.INVALID),
    (drf.NotAuthenticated, CoreError.NOT_AUTHENTICATED),
    (drf.AuthenticationFailed, CoreError.NOT_AUTHENTICATED),
    (drf.PermissionDenied, CoreError.PERMISSION_DENIED),
    (drf.NotFound, CoreError.NOT_FOUND),
    (drf.MethodNotAllowed, CoreError.METHOD_NOT_ALLOWED),
    (drf.NotAcceptable, CoreError.NOT_ACCEPTABLE),
    (drf.UnsupportedMediaType, CoreError.UNSUPPORTED_MEDIA_TYPE),
    (drf.Throttled, CoreError.THROTTLED),
)


def error_body(code, detail, errors=None) -> dict:
    body = {"code": str(code), "detail": str(detail)}
    if errors:
        body["errors"] = errors
    return body


def _field_errors(data):
    """DRF's ValidationError detail as ``{field: [messages]}`` (lists and strings wrapped)."""
    if isinstance(data, dict):
        return data
    if isinstance(data, list):
        return {"non_field_errors": data}
    return {"non_field_errors": [data]}


def _drf_response(exc: drf.APIException) -> Response:
    code = getattr(exc, "error_code", None) or next(
        (code for cls, code in _DRF_CODES if isinstance(exc, cls)), CoreError.INVALID
    )
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, drf.ValidationError):
        body = error_body(code, _("Invalid input."), _field_errors(exc.detail))
    else:
        body = error_body(code, exc.detail if isinstance(exc.detail, str) else _("Error."))
    return Response(body, status=exc.status_code, headers=headers)


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.http_status)
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return Response(
            error_body(CoreError.INVALID, _("Invalid input."), detail),
            status=status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, Http404):
        return Response(
            error_body(CoreError.NOT_FOUND, _("Not found.")), status=status.HTTP_404_NOT_FOUND
        )
    if isinstance(exc, DjangoPermissionDenied):
        return Response(
            error_body(CoreError.PERMISSION_DENIED, _("You do not have permission to do this.")),
            status=status.HTTP_403_FORBIDDEN,
        )
    if isinstance(exc, drf.APIException):
        return _drf_response(exc)
    return None
