"""Request ids and structured logs: one id per request, in every log line and the response.

``RequestIdMiddleware`` (first in ``MIDDLEWARE``) takes the ``X-Request-ID`` header nginx sets
(``$request_id``) when it looks like an id, otherwise makes one, keeps it in a context
variable for the request, echoes it in the response's ``X-Request-ID`` header and logs one
line per request (method, path, status, duration) on the ``bmip.request`` logger.
``RequestIdFilter`` puts the id on every log record (``record.request_id``, "-" outside a
request); ``JsonFormatter`` writes one JSON object per line (``LOG_FORMAT=json``).
Paths carry no personal data (booking codes and ids only), so they may be logged.
"""

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid

REQUEST_ID_HEADER = "X-Request-ID"
_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
access_logger = logging.getLogger("bmip.request")


def request_id_from(header: str | None) -> str:
    """The caller's id when it is a plain token, else a fresh one (never echo arbitrary text)."""
    if header and _SAFE_ID.match(header):
        return header
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.request_id = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            access_logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)


class RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.request_id = request_id_var.get()
        return True


# Attributes every LogRecord has; anything else passed with ``extra=`` goes into the JSON.
_STANDARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id, extras, exc_info."""

    def format(self, record):
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id_var.get()),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)
