from counter.models.fees import FeeLine, ItemFeeLine, Tariff, VisitClosure
from counter.models.financing import (
    FinancingChoice,
    FinancingVariant,
    FundedService,
    MunicipalBasis,
)
from counter.models.invoices import Invoice, InvoiceLine
from counter.models.issuer import InvoiceIssuer
from counter.models.records import ServiceRecord

__all__ = [
    "FeeLine",
    "FinancingChoice",
    "FinancingVariant",
    "FundedService",
    "MunicipalBasis",
    "Invoice",
    "InvoiceIssuer",
    "ItemFeeLine",
    "InvoiceLine",
    "ServiceRecord",
    "Tariff",
    "VisitClosure",
]
