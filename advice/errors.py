"""The error codes of the advice app (see core.errors): one spelling per meaning."""

from enum import StrEnum


class AdviceError(StrEnum):
    ATTACHMENT_TYPE = "attachment_type"
    ATTACHMENT_UNREADABLE = "attachment_unreadable"
    ATTACHMENT_ENCRYPTED = "attachment_encrypted"
    ATTACHMENT_ACTIVE_CONTENT = "attachment_active_content"
    TOO_MANY_ATTACHMENTS = "too_many_attachments"
    DESCRIPTION_REQUIRED = "description_required"
    LOCATION_REQUIRED = "location_required"
    INVALID_CATEGORY = "invalid_category"
    INVALID_LANGUAGE = "invalid_language"
    INVALID_REPORT_STATUS = "invalid_report_status"
    STATUS_TRANSITION = "status_transition"
    OUTCOME_REQUIRED = "outcome_required"
    REPORT_CLOSED = "report_closed"
    NOTE_REQUIRED = "note_required"
    NO_ORGANISATION = "no_organisation"
    RATE_LIMITED = "rate_limited"
    NOTIFY_EMAIL_REQUIRED = "notify_email_required"
