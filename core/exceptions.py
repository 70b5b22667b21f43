"""Domain errors with a stable machine-readable code and a translated message.

Views and the API exception handler map these to HTTP: ``ValidationFailed`` -> 400,
``Conflict`` -> 409, ``NotFound`` -> 404. Every other app subclasses these. A ``code`` is a
member of an app's catalogue (``core.errors``), never a string typed at the raise.
"""

from django.utils.translation import gettext_lazy as _

from core.errors import CoreError


class DomainError(Exception):
    code = "domain_error"
    http_status = 400
    default_message = _("The request could not be processed.")

    def __init__(self, message=None, *, code: str | None = None, details: dict | None = None):
        self.message = message or self.default_message
        if code:
            self.code = code
        self.details = details or {}
        super().__init__(str(self.message))


class ValidationFailed(DomainError):
    code = CoreError.INVALID
    http_status = 400


class Conflict(DomainError):
    code = CoreError.CONFLICT
    http_status = 409


class NotFound(DomainError):
    code = CoreError.NOT_FOUND
    http_status = 404
    default_message = _("Not found.")


class NotAuthenticated(DomainError):
    """The credentials sent (an API token) do not identify anyone who may use the API now."""

    code = CoreError.NOT_AUTHENTICATED
    http_status = 401
    default_message = _("Not authenticated.")


class Forbidden(DomainError):
    """The caller may not do this at all (a missing device, a role that may never use it)."""

    code = CoreError.PERMISSION_DENIED
    http_status = 403
    default_message = _("You may not do this.")


class TooLarge(DomainError):
    code = CoreError.UPLOAD_TOO_LARGE
    http_status = 413
    default_message = _("The upload is too large.")


class Busy(Conflict):
    code = CoreError.BUSY
    default_message = _("The system is busy with a competing change. Please try again.")
