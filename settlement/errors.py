"""The error codes of the settlement app (see core.errors): one spelling per meaning."""

from enum import StrEnum


class SettlementError(StrEnum):
    AGREEMENT_MODEL_INVALID = "agreement_model_invalid"
    AGREEMENT_NO_PARTICIPANTS = "agreement_no_participants"
    AGREEMENT_PAYEE_REQUIRED = "agreement_payee_required"
    AGREEMENT_RETROACTIVE = "agreement_retroactive"
    AGREEMENT_WHOLE_YEARS = "agreement_whole_years"
    AMOUNT_INVALID = "amount_invalid"
    COST_NEGATIVE = "cost_negative"
    EARLIER_PERIOD_OPEN = "earlier_period_open"
    NOTHING_DUE = "nothing_due"
    PAYMENT_EXCEEDS_OPEN = "payment_exceeds_open"
    PAYMENT_IN_FUTURE = "payment_in_future"
    PAYMENT_NOT_POSITIVE = "payment_not_positive"
    PAYMENT_REFERENCE_MISSING = "payment_reference_missing"
    PERIOD_ALREADY_ISSUED = "period_already_issued"
    PERIOD_OVERLAP = "period_overlap"
    POPULATION_MISSING = "population_missing"
    QUARTER_INVALID = "quarter_invalid"
    REGISTRATIONS_PENDING = "registrations_pending"
    SHARES_NOT_100 = "shares_not_100"
    TARIFF_MISSING = "tariff_missing"
    TARIFF_RETROACTIVE = "tariff_retroactive"
