from counter.models.fees import FeeLine, ItemFeeLine, Tariff, VisitClosure
from counter.models.invoices import Invoice, InvoiceLine
from counter.models.issuer import InvoiceIssuer
from counter.models.records import ServiceRecord

__all__ = [
    "FeeLine",
    "Invoice",
    "InvoiceIssuer",
    "ItemFeeLine",
    "InvoiceLine",
    "ServiceRecord",
    "Tariff",
    "VisitClosure",
]
