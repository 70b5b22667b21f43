"""The error-code catalogue: every ``code`` an error can carry, one spelling per meaning.

Each app keeps its own catalogue (a ``StrEnum`` in ``<app>/errors.py``) and lists it in its
``AppConfig.error_codes``; services raise with these members, the API exception handler
puts them in ``{code, detail, errors}``, the OpenAPI schema documents them all
(``all_error_codes``), and tests compare against the same members.
"""

from enum import StrEnum

from django.apps import apps


class CoreError(StrEnum):
    """Codes shared by every app (generic HTTP meanings and the core mechanisms)."""

    INVALID = "invalid"
    NOT_FOUND = "not_found"
    NOT_AUTHENTICATED = "not_authenticated"
    PERMISSION_DENIED = "permission_denied"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_ACCEPTABLE = "not_acceptable"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    SERVER_ERROR = "server_error"
    CONFLICT = "conflict"
    BUSY = "busy"
    THROTTLED = "throttled"
    UNAVAILABLE = "unavailable"  # the database briefly away: 503 + Retry-After
    UPLOAD_TOO_LARGE = "upload_too_large"
    RANGE_INVALID = "range_invalid"
    RANGE_OVERLAP = "range_overlap"
    RANGE_TOO_LONG = "range_too_long"
    AMOUNT_NEGATIVE = "amount_negative"
    DATE_INVALID = "date_invalid"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    IDEMPOTENCY_KEY_TOO_LONG = "idempotency_key_too_long"
    NAIVE_DATETIME = "naive_datetime"
    REASON_REQUIRED = "reason_required"
    # A billing or settlement period asked for before it ended (invoice run, statement run).
    PERIOD_NOT_ENDED = "period_not_ended"
    # API tokens (core.tokens)
    TOKEN_INVALID = "token_invalid"
    TOKEN_REVOKED = "token_revoked"
    TOKEN_EXPIRED = "token_expired"
    TOKEN_USER_INACTIVE = "token_user_inactive"
    TOKEN_ROLE_NOT_ALLOWED = "token_role_not_allowed"
    # Organisation details on money documents (core.organisations).
    IBAN_INVALID = "iban_invalid"
    BIC_INVALID = "bic_invalid"
    VAT_INVALID = "vat_invalid"
    KVK_INVALID = "kvk_invalid"


def all_error_codes() -> dict[str, list[str]]:
    """Every app's catalogue, by app label: ``{"core": [...], "scheduling": [...], ...}``."""
    catalogues = {"core": sorted(CoreError)}
    for config in apps.get_app_configs():
        enum = getattr(config, "error_codes", None)
        if enum is not None and config.label != "core":
            catalogues[config.label] = sorted(enum)
    return catalogues
