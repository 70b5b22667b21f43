from counter.models.fees import FeeLine, Tariff, VisitClosure
from counter.models.invoices import Invoice, InvoiceLine
from counter.models.records import ServiceRecord

__all__ = [
    "FeeLine",
    "Invoice",
    "InvoiceLine",
    "ServiceRecord",
    "Tariff",
    "VisitClosure",
]
