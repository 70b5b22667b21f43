"""Issuer and payment details on employer invoices: who issues (name, address, KvK, VAT), where
to pay (IBAN, BIC), by when (issue date + payment term), with which reference (the number);
printed on the PDF, the invoices page and the API (the CSV/XLSX hold the lines only). An issued invoice keeps the
details it was issued with."""

import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from core.roles import Role
from counter.models import Invoice, InvoiceIssuer
from counter.services.invoices import invoice_pdf, invoice_run
from tests import factories as f
from tests.counter.test_invoices import closed_visit

pytestmark = pytest.mark.django_db

ISSUER = dict(
    legal_name="Stichting BMIP Exploitatie",
    address="Claudius Prinsenlaan 10\n4811 DJ Breda",
    kvk_number="12345678",
    vat_number="NL000099998B57",
    iban="NL91ABNA0417164300",
    bic="ABNANL2A",
    payment_term_days=14,
)


def _issued_invoice(desk, officer, today_start, django_capture_on_commit_callbacks):
    employer = f.employer(name="Acme Staffing B.V.")
    last_month = today_start.replace(day=1) - dt.timedelta(days=20)
    start = last_month.replace(hour=10)
    with time_machine.travel(start + dt.timedelta(hours=2), tick=False):
        closed_visit(desk, officer, start, employer, "PO-1", codes=("welcome",))
    with django_capture_on_commit_callbacks(execute=True):
        (invoice,) = invoice_run(year=start.year, month=start.month)
    return invoice


def test_issuer_validates_iban_vat_kvk_bic(db):
    bad = InvoiceIssuer(
        **{
            **ISSUER,
            "iban": "NL91ABNA0417164301",
            "vat_number": "NL12",
            "kvk_number": "12",
            "bic": "XX",
        }
    )
    with pytest.raises(ValidationError) as exc:
        bad.full_clean()
    assert set(exc.value.message_dict) == {"iban", "vat_number", "kvk_number", "bic"}
    good = InvoiceIssuer(**{**ISSUER, "iban": "nl91 abna 0417 1643 00"})
    good.full_clean()
    assert good.iban == "NL91ABNA0417164300"


def test_invoice_carries_issuer_iban_term_and_due_date(
    desk, officer, today_start, django_capture_on_commit_callbacks, client
):
    InvoiceIssuer.objects.create(**ISSUER)
    invoice = _issued_invoice(desk, officer, today_start, django_capture_on_commit_callbacks)
    issue_date = timezone.localtime(invoice.issued_at).date()
    due = issue_date + dt.timedelta(days=14)
    assert invoice.due_date == due
    assert invoice.issuer["iban"] == "NL91ABNA0417164300"

    # Changing the issuer later does not change what an issued invoice says.
    InvoiceIssuer.objects.update(iban="NL02RABO0123456789", payment_term_days=30)
    invoice.refresh_from_db()

    text = "".join(
        page.extract_text() for page in PdfReader(io.BytesIO(invoice_pdf(invoice))).pages
    )
    for expected in (
        "Stichting BMIP Exploitatie",
        "4811 DJ Breda",
        "12345678",
        "NL000099998B57",
        "NL91 ABNA 0417 1643 00",
        "ABNANL2A",
        due.strftime("%d-%m-%Y"),
        "14",
        invoice.number,
    ):
        assert expected in text, expected
    assert "NL02" not in text

    hr = f.user(Role.EMPLOYER, employer=invoice.employer)
    client.force_login(hr)
    page = client.get(reverse("counter:invoices")).content.decode()
    assert due.strftime("%d-%m-%Y") in page and "NL91 ABNA 0417 1643 00" in page
    api = client.get(f"/api/v1/counter/invoices/{invoice.pk}/").json()
    assert api["due_date"] == due.isoformat()
    assert api["payment_reference"] == invoice.number
    assert api["issuer"]["iban"] == "NL91ABNA0417164300"
    assert api["issuer"]["name"] == "Stichting BMIP Exploitatie"
    assert api["issuer"]["payment_term_days"] == 14


def test_invoice_without_configured_issuer_gets_default_term(
    desk, officer, today_start, django_capture_on_commit_callbacks
):
    invoice = _issued_invoice(desk, officer, today_start, django_capture_on_commit_callbacks)
    assert invoice.due_date == timezone.localtime(invoice.issued_at).date() + dt.timedelta(days=30)
    assert Invoice.objects.get().issuer == {}
