from counter.models.fees import FeeLine, Tariff, VisitClosure
from counter.models.invoices import Invoice, InvoiceLine
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
    "FeeLine",
    "ImmutableError",
    "Invoice",
    "InvoiceLine",
    "ServiceRecord",
    "SettlementAgreement",
    "SettlementLine",
    "SettlementPayment",
    "SettlementPeriod",
    "SettlementTariff",
    "Statement",
    "StatementDelivery",
    "StatementNumberSequence",
    "Tariff",
    "VisitClosure",
]
