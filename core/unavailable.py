"""The database briefly away (a restart, a failover): 503 with ``Retry-After``, never a 500.

``DatabaseUnavailableMiddleware.process_exception`` answers a view's
``django.db.OperationalError``/``InterfaceError``; ``core.views.server_error`` (handler500)
does the same for one raised outside a view (a session saved by a middleware). Under /api/ the
answer is JSON ``{code: "unavailable", detail}``, elsewhere the page ``503.html``. A write
that failed this way was rolled back with its transaction (services are atomic): the client
retries (with its Idempotency-Key for a booking). Django drops the broken connection at the
end of the request, so the next request opens a fresh one once the database is back.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from core.errors import CoreError

RETRY_AFTER_S = 5
API_PREFIX = "/api/"
logger = logging.getLogger(__name__)


def is_database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def unavailable_response(request):
    if request.path.startswith(API_PREFIX):
        response = JsonResponse(
            {
                "code": str(CoreError.UNAVAILABLE),
                "detail": _("The service is briefly unavailable; try again in a few seconds."),
            },
            status=503,
        )
    else:
        try:
            body = loader.render_to_string("503.html")
        except Exception:  # the page must never fail in turn
            body = _("The service is briefly unavailable; try again in a few seconds.")
        response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_S)
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        logger.warning(
            "database unavailable: %s on %s %s",
            type(exception).__name__,
            request.method,
            request.path,
        )
        return unavailable_response(request)
