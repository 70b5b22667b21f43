"""The error codes of the activities app (see core.errors). An invalid list uses
scheduling's ``roster_invalid`` (one spelling per meaning)."""

from enum import StrEnum


class ActivitiesError(StrEnum):
    SESSION_FULL = "session_full"
    SESSION_PAST = "session_past"
    EMPTY_GROUP = "empty_group"
    PARTNERS_NOT_ALLOWED = "partners_not_allowed"
    CHILDREN_NOT_ALLOWED = "children_not_allowed"
    TOO_YOUNG = "too_young"
    BIRTH_DATE_REQUIRED = "birth_date_required"
    NO_FEE = "no_fee"
    ALREADY_CANCELLED = "already_cancelled"
    ALREADY_CHECKED_IN = "already_checked_in"
    TICKET_INVALID = "ticket_invalid"
    NOT_CONFIRMED = "not_confirmed"
    PARTICIPANT_KIND_INVALID = "participant_kind_invalid"
    RECEIPT_NOT_POSSIBLE = "receipt_not_possible"
