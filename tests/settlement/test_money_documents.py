"""Money documents of the settlement: issuer and payment details (IBAN, payment term, due
date), one sign convention across web, PDF, CSV, XLSX and API, Dutch wording, and the netting
advice each municipality sees for itself (whom to pay, how much, by when, to which IBAN)."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from core.roles import Role
from settlement.models import MunicipalityPaymentDetails, SettlementPeriod
from settlement.selectors.statements import statement_view
from settlement.services.issue import settlement_period_issue
from settlement.services.output import statement_pdf
from tests import factories
from tests.settlement.helpers import registration

pytestmark = pytest.mark.django_db

BREDA_IBAN = "NL91ABNA0417164300"
MOERDIJK_IBAN = "NL02RABO0123456789"


def pdf_text(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def world(reference):
    breda = factories.location(cbs_code="GM0758")
    MunicipalityPaymentDetails.objects.create(
        municipality=breda.municipality,
        legal_name="Gemeente Breda",
        address="Claudius Prinsenlaan 10\n4811 DJ Breda",
        kvk_number="20168636",
        iban=BREDA_IBAN,
        bic="ABNANL2A",
        payment_term_days=21,
        issues_statements=True,
    )
    MunicipalityPaymentDetails.objects.create(
        municipality=factories.municipality("GM1709"),
        legal_name="Gemeente Moerdijk",
        address="Pastoor van Kessellaan 5\n4761 AA Zevenbergen",
        iban=MOERDIJK_IBAN,
        payment_term_days=30,
    )
    registration(loc=breda, day=dt.date(2025, 3, 10), residence="GM0826")
    registration(loc=breda, day=dt.date(2025, 3, 11), residence="GM1709")
    period = SettlementPeriod.objects.get(label="2025-03")
    statements = settlement_period_issue(period=period, actor=None, today=dt.date(2025, 4, 2))
    by_code = {s.municipality.cbs_code: s for s in statements}
    return {
        "statements": by_code,
        "oosterhout": factories.user(
            Role.MUNICIPALITY, municipality=factories.municipality("GM0826")
        ),
        "moerdijk": factories.user(
            Role.MUNICIPALITY, municipality=factories.municipality("GM1709")
        ),
        "breda": factories.user(Role.MUNICIPALITY, municipality=breda.municipality),
    }


def test_payment_details_refuse_a_bad_iban(world):
    details = MunicipalityPaymentDetails.objects.get(legal_name="Gemeente Moerdijk")
    details.iban = "NL02RABO0123456780"
    with pytest.raises(ValidationError) as exc:
        details.full_clean()
    assert "iban" in exc.value.message_dict


def _amounts_everywhere(client, statement) -> dict[str, list[Decimal]]:
    """The line amounts of one statement as web, PDF, CSV, XLSX and API show them."""
    web = client.get(reverse("settlement:statement", args=[statement.pk])).content.decode()
    lines_table = web.split('id="statement-lines"')[1]
    web_amounts = [
        Decimal(a) for a in re.findall(r'class="num">(-?[0-9]+\.[0-9]{2})<', lines_table)
    ]
    download = reverse("settlement:statement-download", args=[statement.pk, "csv"])
    rows = csv.DictReader(io.StringIO(client.get(download).getvalue().decode("utf-8-sig")))
    csv_amounts = [Decimal(r["amount"]) for r in rows]
    download = reverse("settlement:statement-download", args=[statement.pk, "xlsx"])
    sheet = load_workbook(io.BytesIO(client.get(download).getvalue())).active
    header = [c.value for c in sheet[1]]
    col = header.index("amount") if "amount" in header else 12
    xlsx_amounts = [
        Decimal(str(row[col].value)) for row in sheet.iter_rows(min_row=2) if row[0].value
    ]
    pdf = pdf_text(
        client.get(reverse("settlement:statement-download", args=[statement.pk, "pdf"])).getvalue()
    )
    detail = pdf.split("Detail lines")[1]
    # Entries "reference date kind counterparty amount", one or two to a printed line.
    entry = r"R-[0-9A-Z]+\s+[0-9]{4}-[0-9]{2}-[0-9]{2}\s.+?\s(-?[0-9]+\.[0-9]{2})(?=\s|$)"
    pdf_amounts = [Decimal(a) for a in re.findall(entry, detail, re.M)]
    api = client.get(f"/api/v1/settlement/statements/{statement.pk}/lines/").json()["results"]
    api_amounts = [Decimal(line["amount"]) for line in api]
    return {
        "web": web_amounts,
        "pdf": pdf_amounts,
        "csv": csv_amounts,
        "xlsx": xlsx_amounts,
        "api": api_amounts,
    }


def test_one_sign_convention_in_web_pdf_csv_xlsx_and_api(world, client):
    """Seen from the statement's municipality: what it receives is positive, what it pays
    negative (net = receivable - payable)."""
    client.force_login(world["oosterhout"])
    payer = _amounts_everywhere(client, world["statements"]["GM0826"])
    assert payer == {k: [Decimal("-100.00")] for k in payer}, payer
    client.force_login(world["breda"])
    payee = _amounts_everywhere(client, world["statements"]["GM0758"])
    assert payee == {k: [Decimal("100.00"), Decimal("100.00")] for k in payee}, payee
    api = client.get(f"/api/v1/settlement/statements/{world['statements']['GM0758'].pk}/lines/")
    assert {line["direction"] for line in api.json()["results"]} == {"receivable"}


def test_dutch_statement_pdf_speaks_dutch(world):
    with translation.override("nl"):
        payer = pdf_text(statement_pdf(statement_view(world["statements"]["GM0826"])))
        payee = pdf_text(statement_pdf(statement_view(world["statements"]["GM0758"])))
    assert "te betalen" in payer
    for heading in ("Referentie", "Datum", "Soort", "Bedrag", "Tegenpartij"):
        assert heading in payer.split("Detailregels")[1]
    assert "te ontvangen" in payee
    for text in (payer, payee):
        assert "charge" not in text and "payable" not in text and "receivable" not in text


def test_statement_pdf_has_issuer_iban_due_date_and_reference(world):
    statement = world["statements"]["GM0826"]
    text = pdf_text(statement_pdf(statement_view(statement)))
    due = statement.issue_date + dt.timedelta(days=21)  # Breda, the payee, asks 21 days
    for expected in (
        "Gemeente Breda",
        "4811 DJ Breda",
        "20168636",
        "NL91 ABNA 0417 1643 00",
        due.isoformat(),
        statement.number,
        "100.00",
    ):
        assert expected in text, expected


def test_each_municipality_sees_its_own_netting_advice(world, client):
    statements = world["statements"]
    due = (statements["GM0826"].issue_date + dt.timedelta(days=21)).isoformat()

    client.force_login(world["oosterhout"])
    page = client.get(reverse("settlement:statement", args=[statements["GM0826"].pk]))
    advice = page.content.decode().split('id="payment-advice"')[1].split("</section>")[0]
    assert "Breda" in advice and "NL91 ABNA 0417 1643 00" in advice and due in advice
    assert "-100.00" in advice and statements["GM0826"].number in advice
    assert "Moerdijk" not in advice  # Moerdijk's transfer is none of Oosterhout's business
    # Another municipality's statement stays out of reach.
    assert (
        client.get(reverse("settlement:statement", args=[statements["GM1709"].pk])).status_code
        == 404
    )
    api = client.get(f"/api/v1/settlement/statements/{statements['GM0826'].pk}/").json()
    assert api["payment_advice"] == [
        {
            "direction": "pay",
            "counterparty": "GM0758",
            "counterparty_name": "Breda",
            "amount": "-100.00",
            "due_date": due,
            "iban": BREDA_IBAN,
            "bic": "ABNANL2A",
            "account_holder": "Gemeente Breda",
            "payment_reference": statements["GM0826"].number,
        }
    ]
    assert api["issuer"]["name"] == "Gemeente Breda" and api["issuer"]["iban"] == BREDA_IBAN
    assert (
        client.get(f"/api/v1/settlement/statements/{statements['GM1709'].pk}/").status_code == 404
    )

    # Breda (receives from both) sees both transfers, with its own IBAN to be paid into.
    client.force_login(world["breda"])
    page = client.get(reverse("settlement:statement", args=[statements["GM0758"].pk]))
    advice = page.content.decode().split('id="payment-advice"')[1].split("</section>")[0]
    assert "Oosterhout" in advice and "Moerdijk" in advice and advice.count("100.00") == 2
    assert statements["GM1709"].number in advice


def test_statement_list_gives_each_statement_its_own_advice(world, client):
    """The list's payment advice (worked out for the whole page at once) is each statement's
    own, as its detail gives it."""
    client.force_login(world["breda"])
    listed = client.get("/api/v1/settlement/statements/").json()["results"]
    assert listed
    for row in listed:
        detail = client.get(f"/api/v1/settlement/statements/{row['id']}/").json()
        assert row["payment_advice"] == detail["payment_advice"]
    assert any(row["payment_advice"] for row in listed)


def test_statement_list_builds_its_nested_serializers_once(world, client, monkeypatch):
    """A page of statements serializes the issuer once (the same on every statement) and uses
    one advice serializer for every transfer: building a DRF serializer copies its fields,
    which cost more than the row (the list was the slowest API page on PostgreSQL)."""
    from settlement.api import serializers

    built = {"AdviceOut": 0, "StatementIssuerOut": 0}
    for name in built:
        cls = getattr(serializers, name)
        init = cls.__init__

        def counting(self, *args, _name=name, _init=init, **kwargs):
            built[_name] += 1
            _init(self, *args, **kwargs)

        monkeypatch.setattr(cls, "__init__", counting)
    client.force_login(factories.user(Role.COORDINATOR))
    listed = client.get("/api/v1/settlement/statements/").json()["results"]
    assert len(listed) == 3 and sum(len(row["payment_advice"]) for row in listed) == 4
    assert {row["issuer"]["name"] for row in listed} == {"Gemeente Breda"}
    assert built == {"AdviceOut": 1, "StatementIssuerOut": 1}


def test_statement_page_reads_payments_once_and_codes_with_the_lines(world, client):
    """The statement page: its balance is summed from the payments it lists (no second read
    of them) and the tamper check takes the CBS codes from its read of the lines (no read of
    every municipality): 12 queries with a payment recorded, the same without."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from settlement.services.issue import settlement_payment_record

    statement = world["statements"]["GM0826"]
    client.force_login(world["oosterhout"])
    url = reverse("settlement:statement", args=[statement.pk])

    def page_and_queries():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        assert "content verified" in page
        return page, len(queries.captured_queries)

    client.get(url)
    _page, before = page_and_queries()
    settlement_payment_record(
        statement=statement,
        amount=Decimal("40.00"),
        received_on=dt.date(2025, 4, 20),
        reference="BANK-1",
        actor=None,
    )
    page, after = page_and_queries()
    assert "EUR 40.00" in page and "EUR 60.00" in page  # paid, open
    assert (before, after) == (12, 12)


def _advice_rows(document):
    """The laid-out rows of the PDF's payment advice: a list of cells per row."""
    return [
        list(row.children)
        for page in document.pages
        for table in page._page_box.descendants()
        if type(table).__name__ == "TableBox" and "advice" in table.element.get("class", "")
        for row in table.descendants()
        if type(row).__name__ == "TableRowBox"
    ]


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("code", ["GM0826", "GM0758"], ids=["pays", "receives"])
def test_statement_pdf_advice_keeps_short_values_on_one_line(world, language, code):
    """The payment advice has fixed column widths (a cheap layout for up to ~60 rows): no text
    runs out of its cell, and the direction, amount, due date and payment reference of each
    transfer stay on one line, in Dutch and English."""
    from settlement.services.output import statement_pdf_document

    with translation.override(language):
        document = statement_pdf_document(statement_view(world["statements"][code]))
    rows = _advice_rows(document)
    assert len(rows) >= 2  # the header and at least one transfer
    for row, cells in enumerate(rows):
        assert len(cells) == 6
        for index, cell in enumerate(cells):
            lines = [b for b in cell.descendants() if type(b).__name__ == "LineBox"]
            right = cell.content_box_x() + cell.width
            assert all(line.position_x + line.width <= right + 0.01 for line in lines)
            if row and index in (0, 2, 3, 5):  # a heading may wrap, a value not
                assert len(lines) == 1, (index, len(lines))
