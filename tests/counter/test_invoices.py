import csv
import datetime as dt
import io
import threading
from decimal import Decimal

import pytest
import time_machine
from django.db import connection, transaction
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from core.models import AuditLogEntry, ImmutableError
from core.sequences import sequence_last
from counter.models import FeeLine, Invoice
from counter.services.fees import fee_line_add, fee_line_credit, tariff_create, visit_close
from counter.services.invoices import (
    invoice_csv,
    invoice_number_next,
    invoice_pdf,
    invoice_run,
    invoice_xlsx,
)
from counter.tasks import invoice_monthly_run
from scheduling.models import GroupBooking
from tests import factories as f
from tests.counter.conftest import finish_all


def closed_visit(desk, officer, start, employer, po, codes=("welcome", "formhelp"), client=None):
    group = GroupBooking.objects.create(
        employer=employer, date_from=start.date(), date_to=start.date(), po_reference=po
    )
    appt = f.appointment(
        loc=desk,
        start=start,
        codes=["brp"],
        group_booking=group,
        cl=client or f.client(employer=employer),
    )
    lines = [fee_line_add(appointment=appt, service=f.service(c), actor=officer) for c in codes]
    finish_all(appt, officer)
    visit_close(appointment=appt, actor=officer)
    return appt, lines


# These runs invoice the current month as if it had ended (a real run refuses it).
ENDED = dt.date(2100, 1, 1)


@pytest.fixture
def period(today_start):
    return today_start.year, today_start.month


def test_invoice_run_one_invoice_per_employer_lines_per_worker_and_service(
    desk, officer, today_start, period, django_capture_on_commit_callbacks, mailoutbox
):
    emp_a, emp_b = f.employer(), f.employer()
    closed_visit(desk, officer, today_start, emp_a, "PO-A1")
    closed_visit(desk, officer, today_start, emp_a, "PO-A2", codes=("welcome",))
    closed_visit(desk, officer, today_start, emp_b, "PO-B1", codes=("formhelp",))
    # An open visit's fees are not invoiced yet.
    group = GroupBooking.objects.create(
        employer=emp_a, date_from=today_start.date(), date_to=today_start.date()
    )
    open_appt = f.appointment(loc=desk, start=today_start, codes=["brp"], group_booking=group)
    fee_line_add(appointment=open_appt, service=f.service("welcome"), actor=officer)

    with django_capture_on_commit_callbacks(execute=True):
        invoices = invoice_run(year=period[0], month=period[1], today=ENDED)
    assert len(invoices) == 2
    inv_a = Invoice.objects.get(employer=emp_a)
    assert inv_a.total == Decimal("150.00")
    assert inv_a.lines.count() == 3
    assert set(inv_a.lines.values_list("po_reference", flat=True)) == {"PO-A1", "PO-A2"}
    year = timezone.localdate().year
    assert sorted(Invoice.objects.values_list("number", flat=True)) == [
        f"{year}-0001",
        f"{year}-0002",
    ]
    assert FeeLine.objects.filter(invoice__isnull=True).count() == 1  # the open visit's
    assert sorted(m.to[0] for m in mailoutbox) == sorted([emp_a.billing_email, emp_b.billing_email])
    assert {a[0] for a in mailoutbox[0].attachments} == {
        f"invoice-{mailoutbox[0].subject.split()[-1]}.pdf",
        f"invoice-{mailoutbox[0].subject.split()[-1]}.csv",
    }
    assert AuditLogEntry.objects.filter(action="invoice.issue").count() == 2


def test_running_twice_creates_no_second_invoice_and_no_second_email(
    desk, officer, today_start, period, django_capture_on_commit_callbacks, mailoutbox
):
    emp = f.employer()
    closed_visit(desk, officer, today_start, emp, "PO-1")
    with django_capture_on_commit_callbacks(execute=True):
        invoice_run(year=period[0], month=period[1], today=ENDED)
    with django_capture_on_commit_callbacks(execute=True):
        assert invoice_run(year=period[0], month=period[1], today=ENDED) == []
    assert Invoice.objects.count() == 1
    assert len(mailoutbox) == 1
    assert Invoice.objects.get().emailed_at is not None


def test_monthly_task_invoices_last_month(
    desk, officer, period, django_capture_on_commit_callbacks, mailoutbox
):
    emp = f.employer()
    today = timezone.localdate()
    last_month_day = today.replace(day=1) - dt.timedelta(days=20)
    start = f.aware(last_month_day, 10)
    with time_machine.travel(start + dt.timedelta(hours=2), tick=False):  # charged that day
        closed_visit(desk, officer, start, emp, "PO-OLD", codes=("welcome",))
    with django_capture_on_commit_callbacks(execute=True):
        numbers = invoice_monthly_run()
    with django_capture_on_commit_callbacks(execute=True):
        assert invoice_monthly_run() == []
    assert len(numbers) == 1 and len(mailoutbox) == 1
    invoice = Invoice.objects.get()
    assert invoice.period_start == last_month_day.replace(day=1)


def test_invoice_total_equals_sum_of_lines_to_the_cent(
    desk, officer, coordinator, today_start, period
):
    emp = f.employer()
    for code, amount in (("welcome", "33.33"), ("formhelp", "16.67")):
        tariff_create(
            service=f.service(code),
            amount=Decimal(amount),
            valid_from=today_start.date() - dt.timedelta(days=1),
            actor=coordinator,
            supersede=True,
        )
    appt1, _ = closed_visit(desk, officer, today_start, emp, "PO-X")
    _, lines2 = closed_visit(desk, officer, today_start, emp, "PO-X")
    closed_visit(desk, officer, today_start, emp, "PO-Y", codes=("welcome",))
    fee_line_credit(line=lines2[1], actor=officer, reason="not given")
    invoice = invoice_run(year=period[0], month=period[1], today=ENDED)[0]
    lines_sum = sum(line.amount for line in invoice.lines.all())
    assert invoice.total == lines_sum == Decimal("33.33") * 3 + Decimal("16.67")
    assert sum(fl.amount for fl in invoice.fee_lines.all()) == invoice.total
    # The credited worker/service nets to zero and is not billed.
    assert invoice.lines.filter(amount=0).count() == 0
    rows = list(csv.DictReader(io.StringIO(invoice_csv(invoice).decode("utf-8-sig"))))
    # One dialect (docs/exports.md): comma, dot decimals, no totals row inside the data.
    assert len(rows) == invoice.lines.count()
    assert sum(Decimal(r["amount_eur"]) for r in rows) == invoice.total
    sheet = load_workbook(io.BytesIO(invoice_xlsx(invoice))).active
    *data, footer = list(sheet.iter_rows(min_row=2, values_only=True))
    assert all(isinstance(r[-1], int | float | Decimal) for r in data)
    assert sum(Decimal(str(r[-1])) for r in data) == Decimal(str(footer[-1])) == invoice.total
    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(invoice_pdf(invoice))).pages
    )
    assert invoice.number in text and f"{invoice.total}".replace(".", ",") in text  # nl format


def test_late_credit_goes_on_next_invoice(desk, officer, today_start, period):
    emp = f.employer()
    _, lines = closed_visit(desk, officer, today_start, emp, "PO-1", codes=("welcome",))
    first = invoice_run(year=period[0], month=period[1], today=ENDED)[0]
    fee_line_credit(line=lines[0], actor=officer, reason="complaint")
    next_year, next_month = (period[0] + period[1] // 12, period[1] % 12 + 1)
    second = invoice_run(year=next_year, month=next_month, today=ENDED)[0]
    assert first.total == Decimal("50.00") and second.total == Decimal("-50.00")
    assert second.lines.get().quantity == -1


def test_issued_invoice_is_immutable(desk, officer, today_start, period):
    closed_visit(desk, officer, today_start, f.employer(), "PO-1")
    invoice = invoice_run(year=period[0], month=period[1], today=ENDED)[0]
    invoice.total = Decimal("1.00")
    with pytest.raises(ImmutableError):
        invoice.save()
    with pytest.raises(ImmutableError):
        invoice.delete()
    line = invoice.lines.first()
    line.amount = Decimal("0.01")
    with pytest.raises(ImmutableError):
        line.save()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_invoice_numbers_gapless_under_concurrency(reference):
    year, workers = 2031, 8
    numbers, errors = [], []
    barrier = threading.Barrier(workers)

    def take():
        try:
            barrier.wait()
            with transaction.atomic():
                numbers.append(invoice_number_next(year=year)[1])
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=take) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers) == [f"{year}-{i:04d}" for i in range(1, workers + 1)]
    assert sequence_last(f"invoice:{year}") == workers


def test_rolled_back_number_is_reused(db):
    with transaction.atomic():
        assert invoice_number_next(year=2032)[1] == "2032-0001"
    try:
        with transaction.atomic():
            invoice_number_next(year=2032)
            raise RuntimeError
    except RuntimeError:
        pass
    with transaction.atomic():
        assert invoice_number_next(year=2032)[1] == "2032-0002"


def test_invoice_exports_neutralise_a_worker_named_like_a_formula(
    desk, officer, today_start, period
):
    emp = f.employer()
    evil = f.client(employer=emp, first_name='=HYPERLINK("http://x.example","y")', last_name="Z")
    closed_visit(desk, officer, today_start, emp, "=1+2", client=evil)
    invoice = invoice_run(year=period[0], month=period[1], today=ENDED)[0]
    rows = list(csv.DictReader(io.StringIO(invoice_csv(invoice).decode("utf-8-sig"))))
    assert all(r["worker"].startswith("'=HYPERLINK") for r in rows)
    assert all(r["po_reference"] == "'=1+2" for r in rows)
    sheet = load_workbook(io.BytesIO(invoice_xlsx(invoice))).active
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert all(isinstance(r[-1], int | float) for r in sheet.iter_rows(min_row=2, values_only=True))
