"""Who issues the employer invoices and how they are paid (reads only)."""

import datetime as dt

from django.utils import timezone

from core.organisations import DEFAULT_PAYMENT_TERM_DAYS, due_date, iban_display
from counter.models import Invoice, InvoiceIssuer


def invoice_issuer() -> InvoiceIssuer | None:
    """The configured issuer (one row, edited in the admin), or None when not set up yet."""
    return InvoiceIssuer.objects.order_by("pk").first()


def invoices_with_payment(invoices) -> list[tuple[Invoice, dict]]:
    """Each invoice with its payment details (one read of the issuer for the whole list)."""
    current = invoice_issuer()
    return [(invoice, invoice_payment(invoice, current=current)) for invoice in invoices]


def invoice_issue_date(invoice: Invoice) -> dt.date:
    return timezone.localtime(invoice.issued_at).date()


_UNSET = object()


def invoice_payment(invoice: Invoice, *, current=_UNSET) -> dict:
    """The issuer block and payment details printed on ``invoice``: the snapshot taken when it
    was issued; for an invoice from before snapshots, the current issuer. Keys as in
    ``OrganisationDetails.as_json`` plus ``iban_display``, ``due_date`` and ``reference``.
    ``current``: the issuer row when the caller already read it (a list of invoices)."""
    details = dict(invoice.issuer or {})
    if not details:
        current = invoice_issuer() if current is _UNSET else current
        details = current.as_json() if current is not None else {}
    details.setdefault("payment_term_days", DEFAULT_PAYMENT_TERM_DAYS)
    details["iban_display"] = iban_display(details.get("iban", ""))
    details["due_date"] = invoice.due_date or due_date(
        invoice_issue_date(invoice), details["payment_term_days"]
    )
    details["reference"] = invoice.number
    return details
