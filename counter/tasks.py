"""django-q2 tasks of the counter app: load by id, call one service, safe to re-run."""

from counter.models import Invoice
from counter.services.invoices import invoice_email_send, invoice_run, previous_month


def invoice_monthly_run() -> list[str]:
    """The scheduled monthly run: last month's employer invoices (idempotent)."""
    year, month = previous_month()
    return [invoice.number for invoice in invoice_run(year=year, month=month, actor=None)]


def invoice_email_task(invoice_id: int) -> bool:
    invoice = Invoice.objects.filter(pk=invoice_id).first()
    if invoice is None:
        return False
    return invoice_email_send(invoice=invoice, actor=None)
