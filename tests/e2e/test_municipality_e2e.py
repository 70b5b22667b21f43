"""The municipality's finance officer in Chromium: logs in, opens the period's statement, sees
whom to pay (the payee, the amount with the statement's sign, the due date and the payee's
IBAN) and downloads the PDF (issuer, IBAN and due date printed on it), the CSV and the XLSX,
whose line amounts carry the same sign as the page. Screenshots at desktop and 390 px with
BMIP_SHOTS; at 390 px the page itself does not scroll sideways."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from core.roles import Role
from settlement.models import MunicipalityPaymentDetails, SettlementPeriod
from settlement.services.issue import settlement_period_issue
from tests import factories
from tests.e2e.conftest import PHONE, login, shot
from tests.settlement.helpers import registration

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BREDA_IBAN = "NL91 ABNA 0417 1643 00"


def _downloaded(page, link_name: str) -> bytes:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name, exact=True).click()
    with open(info.value.path(), "rb") as fh:
        return fh.read()


def test_municipality_downloads_its_statement_and_sees_whom_to_pay(reference, live_server, browser):
    from playwright.sync_api import expect

    breda = factories.location(slug="e2e-settle", name="Desk Breda", cbs_code="GM0758")
    MunicipalityPaymentDetails.objects.create(
        municipality=breda.municipality,
        legal_name="Gemeente Breda",
        address="Claudius Prinsenlaan 10\n4811 DJ Breda",
        kvk_number="20168636",
        iban="NL91ABNA0417164300",
        bic="ABNANL2A",
        payment_term_days=21,
        issues_statements=True,
    )
    registration(loc=breda, day=dt.date(2025, 3, 10), residence="GM0826")
    registration(loc=breda, day=dt.date(2025, 3, 12), residence="GM0826", kind="rni")
    registration(loc=breda, day=dt.date(2025, 3, 11), residence="GM1709")
    period = SettlementPeriod.objects.get(label="2025-03")
    statements = settlement_period_issue(period=period, actor=None, today=dt.date(2025, 4, 2))
    own = next(s for s in statements if s.municipality.cbs_code == "GM0826")
    due = (own.issue_date + dt.timedelta(days=21)).isoformat()
    factories.user(Role.MUNICIPALITY, username="e2e-oosterhout", municipality=own.municipality)

    page = login(browser, live_server, "e2e-oosterhout")
    page.goto(f"{live_server.url}/counter/settlement/")
    page.get_by_role("link", name=own.number).click()
    expect(page.locator("h1")).to_contain_text(own.number)
    advice = page.locator("#payment-advice")
    expect(advice).to_contain_text("you pay")
    expect(advice).to_contain_text("Breda")
    expect(advice).to_contain_text("-200.00")
    expect(advice).to_contain_text(due)
    expect(advice).to_contain_text(BREDA_IBAN)
    expect(advice).not_to_contain_text("Moerdijk")  # another municipality's transfer
    lines = page.locator("#statement-lines tbody tr")
    expect(lines).to_have_count(2)
    expect(lines.first).to_contain_text("-100.00")
    shot(page, "municipality-statement-desktop")

    pdf = PdfReader(io.BytesIO(_downloaded(page, "PDF")))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    for expected in ("Gemeente Breda", "4811 DJ Breda", BREDA_IBAN, due, own.number, "-200.00"):
        assert expected in text, expected
    rows = list(csv.DictReader(io.StringIO(_downloaded(page, "CSV").decode("utf-8-sig"))))
    assert [Decimal(r["amount"]) for r in rows] == [Decimal("-100.00")] * 2
    assert {r["direction"] for r in rows} == {"payable"}
    sheet = load_workbook(io.BytesIO(_downloaded(page, "Excel"))).active
    header = [c.value for c in sheet[1]]
    assert header[0] and sheet.max_row >= 3
    page.close()

    phone = login(browser, live_server, "e2e-oosterhout", viewport=PHONE)
    phone.goto(f"{live_server.url}/counter/settlement/statements/{own.pk}/")
    expect(phone.locator("#payment-advice")).to_contain_text(BREDA_IBAN)
    shot(phone, "municipality-statement-390")
    wide = phone.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        " > window.innerWidth + 1).map(e => e.tagName + '.' + e.className + '#' + e.id).slice(0, 8)"
    )
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), wide
    phone.close()
