from counter.models.fees import FeeLine, ItemFeeLine, Tariff, VisitClosure
from counter.models.invoices import Invoice, InvoiceLine
from counter.models.records import ServiceRecord

__all__ = [
    "FeeLine",
    "Invoice",
    "ItemFeeLine",
    "InvoiceLine",
    "ServiceRecord",
    "Tariff",
    "VisitClosure",
]
