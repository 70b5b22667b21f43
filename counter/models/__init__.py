from counter.models.records import ServiceRecord
from counter.models.settlement import (
    ImmutableError,
    SettlementAgreement,
    SettlementLine,
    SettlementPayment,
    SettlementPeriod,
    SettlementTariff,
    Statement,
    StatementDelivery,
    StatementNumberSequence,
)

__all__ = [
    "ImmutableError",
    "ServiceRecord",
    "SettlementAgreement",
    "SettlementLine",
    "SettlementPayment",
    "SettlementPeriod",
    "SettlementTariff",
    "Statement",
    "StatementDelivery",
    "StatementNumberSequence",
]
