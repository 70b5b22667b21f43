from counter.models.fees import FeeLine, Tariff, VisitClosure
from counter.models.invoices import Invoice, InvoiceLine, InvoiceSequence
from counter.models.records import ServiceRecord

__all__ = [
    "FeeLine",
    "Invoice",
    "InvoiceLine",
    "InvoiceSequence",
    "ServiceRecord",
    "Tariff",
    "VisitClosure",
]
