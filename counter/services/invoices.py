"""Monthly employer invoices for extra-service fees.

One invoice per employer and month, numbered gaplessly per year (YYYY-NNNN) by a locked
sequence row plus a unique constraint as backstop. The run is safe to repeat: fee lines are
invoiced once, an employer gets one invoice per period, and the e-mail is claimed with a
conditional update so it goes out once.
"""

import datetime as dt
from collections import OrderedDict
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.dates import day_bounds
from core.errors import CoreError
from core.exceptions import Conflict, ValidationFailed
from core.exports import Table, table_csv, table_xlsx
from core.locking import bounded_lock_wait
from core.money import round_money
from core.organisations import DEFAULT_PAYMENT_TERM_DAYS, due_date
from core.outbox import outbox_enqueue_on_commit
from core.pdf import render_pdf
from core.sequences import sequence_next
from counter.errors import CounterError
from counter.models import FeeLine, Invoice, InvoiceLine, ItemFeeLine
from counter.selectors.issuer import invoice_issuer, invoice_payment
from scheduling.models import Employer

AMS = ZoneInfo("Europe/Amsterdam")
INVOICE_LANGUAGE = "nl"


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    if not 1 <= month <= 12 or year < 2000:
        raise ValidationFailed(_("Choose a valid month."), code=CounterError.INVALID_PERIOD)
    start = dt.date(year, month, 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return start, following - dt.timedelta(days=1)


def previous_month(today: dt.date | None = None) -> tuple[int, int]:
    today = today or timezone.localdate()
    first = today.replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def invoice_number_next(*, year: int) -> tuple[int, str]:
    """Take the next number of ``year`` inside the caller's transaction (gapless: a
    rolled-back invoice gives its number back with the rollback)."""
    sequence = sequence_next(f"invoice:{year}")
    return sequence, f"{year}-{sequence:04d}"


def _uninvoiced_lines(employer: Employer, until: dt.datetime):
    return (
        FeeLine.objects.filter(
            payer_employer=employer,
            invoice__isnull=True,
            created_at__lt=until,
            appointment__counter_closure__isnull=False,
        )
        .select_related("appointment__client", "appointment__group_booking", "service")
        .order_by("appointment__client__last_name", "appointment__client_id", "service__sort_order")
    )


def invoice_line_description(*, booking_code: str, service) -> str:
    """An invoice line names the visit by its booking code, never the worker (the employer
    matches it with the tickets; the name would outlive the retention period)."""
    name = service.localized_name(INVOICE_LANGUAGE)
    return f"{booking_code} – {name}" if booking_code else name


def _group_lines(fee_lines) -> list[dict]:
    """One line per worker, service and PO reference; credits net against their charges."""
    groups: OrderedDict = OrderedDict()
    for fee in fee_lines:
        appointment = fee.appointment
        po = appointment.group_booking.po_reference if appointment.group_booking_id else ""
        key = (appointment.client_id, fee.service_id, po)
        group = groups.setdefault(
            key,
            {
                "client": appointment.client,
                "booking_code": appointment.booking_code,
                "service": fee.service,
                "po_reference": po,
                "quantity": 0,
                "amount": Decimal("0.00"),
            },
        )
        group["quantity"] += -1 if fee.is_credit else 1
        group["amount"] += fee.amount
    return [g for g in groups.values() if g["amount"] != 0 or g["quantity"] != 0]


def _uninvoiced_item_lines(employer: Employer, until: dt.datetime):
    return ItemFeeLine.objects.filter(
        payer_employer=employer, invoice__isnull=True, created_at__lt=until
    ).order_by("service_date", "source", "pk")


def _group_item_lines(item_lines) -> list[dict]:
    """One line per item (source); a credit nets against its charge."""
    groups: OrderedDict = OrderedDict()
    for item in item_lines:
        group = groups.setdefault(
            item.source,
            {
                "client": None,
                "service": None,
                "description": item.description,
                "po_reference": item.po_reference,
                "quantity": 0,
                "amount": Decimal("0.00"),
            },
        )
        group["quantity"] += -1 if item.is_credit else 1
        group["amount"] += item.amount
    return [g for g in groups.values() if g["amount"] != 0 or g["quantity"] != 0]


@transaction.atomic
def invoice_issue_for_employer(
    *, employer: Employer, year: int, month: int, actor=None, now: dt.datetime | None = None
) -> Invoice | None:
    """Issue the employer's invoice for a month from its uninvoiced fee lines of closed visits
    up to the month's end. None when there is nothing to invoice or the invoice exists."""
    now = now or timezone.now()
    period_start, period_end = month_bounds(year, month)
    with bounded_lock_wait():
        Employer.objects.select_for_update().get(pk=employer.pk)  # one run per employer at a time
    if Invoice.objects.filter(employer=employer, period_start=period_start).exists():
        return None
    until = day_bounds(period_end)[1]
    fee_lines = list(_uninvoiced_lines(employer, until))
    item_lines = list(_uninvoiced_item_lines(employer, until))
    groups = _group_lines(fee_lines) + _group_item_lines(item_lines)
    if not groups:
        return None
    total = round_money(sum((g["amount"] for g in groups), Decimal("0.00")))
    charged = sum((f.amount for f in [*fee_lines, *item_lines]), Decimal("0.00"))
    if total != round_money(charged):
        raise AssertionError("invoice lines do not add up to the fee lines")
    issued_at = now
    issue_year = timezone.localtime(issued_at).year
    sequence, number = invoice_number_next(year=issue_year)
    issuer = invoice_issuer()
    term = issuer.payment_term_days if issuer is not None else DEFAULT_PAYMENT_TERM_DAYS
    invoice = Invoice(
        employer=employer,
        number=number,
        year=issue_year,
        sequence=sequence,
        period_start=period_start,
        period_end=period_end,
        issued_at=issued_at,
        total=total,
        issuer=issuer.as_json() if issuer is not None else {},
        due_date=due_date(timezone.localtime(issued_at).date(), term),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    invoice.save()
    with translation.override(INVOICE_LANGUAGE):
        InvoiceLine.objects.bulk_create(
            InvoiceLine(
                invoice=invoice,
                position=i,
                client=g["client"],
                service=g["service"],
                description=g.get("description")
                or invoice_line_description(booking_code=g["booking_code"], service=g["service"]),
                po_reference=g["po_reference"],
                quantity=g["quantity"],
                amount=round_money(g["amount"]),
            )
            for i, g in enumerate(groups, start=1)
        )
    FeeLine.objects.filter(pk__in=[f.pk for f in fee_lines], invoice__isnull=True).update(
        invoice=invoice
    )
    ItemFeeLine.objects.filter(pk__in=[f.pk for f in item_lines], invoice__isnull=True).update(
        invoice=invoice
    )
    audit_log(
        actor=actor,
        action="invoice.issue",
        obj=invoice,
        number=number,
        employer=employer.pk,
        total=str(total),
        fee_lines=len(fee_lines),
        item_fee_lines=len(item_lines),
    )
    _enqueue_email(invoice.pk)
    return invoice


def _enqueue_email(invoice_id: int) -> None:
    outbox_enqueue_on_commit("counter.tasks.invoice_email_task", invoice_id)


def invoice_period_check_ended(year: int, month: int, today: dt.date | None = None) -> None:
    """Refuse a month that has not ended: the current month and any later one."""
    period_end = month_bounds(year, month)[1]
    today = today or timezone.localdate()
    if period_end >= today:
        raise Conflict(
            _("The month %(period)s has not ended yet; it can be invoiced from %(day)s.")
            % {
                "period": f"{month:02d}-{year}",
                "day": formats.date_format(period_end + dt.timedelta(days=1), "d-m-Y"),
            },
            code=CoreError.PERIOD_NOT_ENDED,
        )


def invoice_run(
    *, year: int, month: int, actor=None, today: dt.date | None = None
) -> list[Invoice]:
    """Issue every employer's invoice for the month (each employer in its own transaction).
    Only a month that has ended (``today`` defaults to the local date)."""
    invoice_period_check_ended(year, month, today)
    employer_ids = set(
        FeeLine.objects.filter(payer_employer__isnull=False, invoice__isnull=True)
        .values_list("payer_employer_id", flat=True)
        .distinct()
    ) | set(
        ItemFeeLine.objects.filter(invoice__isnull=True)
        .values_list("payer_employer_id", flat=True)
        .distinct()
    )
    invoices = []
    for employer in Employer.objects.filter(pk__in=list(employer_ids)).order_by("pk"):
        invoice = invoice_issue_for_employer(employer=employer, year=year, month=month, actor=actor)
        if invoice is not None:
            invoices.append(invoice)
    audit_log(
        actor=actor,
        action="invoice.run",
        object_type="counter.invoice",
        period=f"{year}-{month:02d}",
        issued=[i.number for i in invoices],
    )
    # Invoices whose e-mail did not go out earlier (e.g. mail server down) are retried.
    for invoice_id in Invoice.objects.filter(emailed_at__isnull=True).values_list("pk", flat=True):
        if invoice_id not in {i.pk for i in invoices}:
            _enqueue_email(invoice_id)
    return invoices


INVOICE_COLUMNS = [
    "invoice_number",
    "line",
    "worker",
    "service",
    "po_reference",
    "quantity",
    "amount_eur",
]


def invoice_table(invoice: Invoice) -> Table:
    """The invoice lines as a table (core.exports); the total only in the XLSX footer."""
    with translation.override(INVOICE_LANGUAGE):
        headers = [
            _("Invoice"),
            _("Line"),
            _("Worker"),
            _("Service"),
            _("PO reference"),
            _("Quantity"),
            _("Amount (EUR)"),
        ]
        rows = [
            [
                invoice.number,
                line.position,
                str(line.client) if line.client_id else line.description,
                line.service.localized_name(INVOICE_LANGUAGE) if line.service_id else "",
                line.po_reference,
                line.quantity,
                line.amount,
            ]
            for line in invoice.lines.select_related("client", "service")
        ]
        footer = ["", "", "", "", "", str(_("Total")), invoice.total]
    return Table(
        columns=INVOICE_COLUMNS,
        rows=rows,
        headers=[str(h) for h in headers],
        footer=footer,
        title=f"invoice {invoice.number}",
    )


def invoice_csv(invoice: Invoice) -> bytes:
    return table_csv(invoice_table(invoice))


def invoice_xlsx(invoice: Invoice) -> bytes:
    return table_xlsx(invoice_table(invoice))


def invoice_pdf(invoice: Invoice) -> bytes:
    with translation.override(INVOICE_LANGUAGE):
        return render_pdf(
            "counter/invoice_pdf.html",
            {
                "invoice": invoice,
                "employer": invoice.employer,
                "lines": invoice.lines.select_related("client", "service"),
                "language": INVOICE_LANGUAGE,
                "payment": invoice_payment(invoice),
            },
        )


def invoice_email_send(*, invoice: Invoice, actor=None, now: dt.datetime | None = None) -> bool:
    """E-mail the invoice (PDF + CSV) to the employer's billing address, once.

    The claim (emailed_at set by a conditional update) and the send share a transaction: a
    failed send rolls the claim back so a later run retries; a second call sends nothing.
    """
    now = now or timezone.now()
    with transaction.atomic():
        with bounded_lock_wait():
            claimed = Invoice.objects.filter(pk=invoice.pk, emailed_at__isnull=True).update(
                emailed_at=now
            )
        if claimed != 1:
            return False
        invoice = Invoice.objects.select_related("employer").get(pk=invoice.pk)
        with translation.override(INVOICE_LANGUAGE):
            subject = _("BMIP invoice %(number)s") % {"number": invoice.number}
            body = render_to_string("counter/invoice_email.txt", {"invoice": invoice})
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[invoice.employer.billing_email],
        )
        message.attach(f"invoice-{invoice.number}.pdf", invoice_pdf(invoice), "application/pdf")
        message.attach(f"invoice-{invoice.number}.csv", invoice_csv(invoice), "text/csv")
        message.send(fail_silently=False)
        audit_log(actor=actor, action="invoice.email", obj=invoice, number=invoice.number)
    return True
