"""The project's error pages: JSON ``{code, detail}`` under /api/, templates elsewhere.

Wired in ``bmip/urls.py`` as handler400/403/404/500. The HTML pages are ``400.html``,
``403.html``, ``404.html`` and ``500.html`` in the templates folder.
"""

import sys

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from core.errors import CoreError
from core.unavailable import is_database_unavailable, unavailable_response

API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _json(code, detail, status):
    return JsonResponse({"code": str(code), "detail": str(detail)}, status=status)


def bad_request(request, exception=None):
    if _is_api(request):
        return _json(CoreError.INVALID, _("Invalid input."), 400)
    return defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    if _is_api(request):
        return _json(CoreError.PERMISSION_DENIED, _("You do not have permission to do this."), 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    if _is_api(request):
        return _json(CoreError.NOT_FOUND, _("Not found."), 404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if is_database_unavailable(sys.exc_info()[1]):  # raised outside a view: core.unavailable
        return unavailable_response(request)
    if _is_api(request):
        return _json(CoreError.SERVER_ERROR, _("Something went wrong on our side."), 500)
    return defaults.server_error(request)
