import csv
import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from core.calendar import working_day_on_or_after
from core.exceptions import Conflict
from core.models import ImmutableError
from core.roles import Role
from scheduling.constants import AppointmentStatus
from scheduling.models import Municipality
from settlement import tasks
from settlement.models import (
    SettlementLine,
    SettlementPeriod,
    Statement,
    StatementDelivery,
)
from settlement.selectors.statements import statement_draft, statement_verify, statement_view
from settlement.services import issue as settlement_issue
from settlement.services.issue import settlement_period_issue
from settlement.services.output import (
    CSV_COLUMNS,
    _line_rows,
    _pdf_summary,
    statement_csv,
    statement_pdf,
    statement_pdf_document,
    statement_xlsx,
)
from settlement.services.periods import period_ensure
from settlement.services.runs import settlement_run_due
from tests import factories
from tests.pdf_layout import layout_of, weasyprint_user_agent
from tests.settlement.helpers import registration, void

pytestmark = pytest.mark.django_db

MARCH = dt.date(2025, 3, 10)
APRIL_2 = dt.date(2025, 4, 2)


@pytest.fixture
def desks(reference):
    return {
        "breda": factories.location(cbs_code="GM0758"),
        "tilburg": factories.location(cbs_code="GM0855", is_rni_desk=False),
    }


@pytest.fixture
def march(desks):
    """Several registrations in March 2025 between five municipalities, one voided."""
    for residence in ["GM0826", "GM0826", "GM1709", "GM0855"]:
        registration(loc=desks["breda"], day=MARCH, residence=residence)
    for residence in ["GM0758", "GM0785", "GM0826"]:
        registration(loc=desks["tilburg"], day=dt.date(2025, 3, 12), residence=residence)
    record, _ = registration(loc=desks["tilburg"], day=dt.date(2025, 3, 13), residence="GM0785")
    void(record)
    return SettlementPeriod.objects.get(label="2025-03")


def test_issue_freezes_statements_and_the_invariant_holds(march):
    drafts = {
        m.cbs_code: statement_draft(municipality=m, period=march)
        for m in Municipality.objects.filter(cbs_code__in=["GM0758", "GM0826", "GM0855"])
    }
    issued_at = factories.aware(APRIL_2, 7, 30)
    statements = settlement_period_issue(period=march, actor=None, now=issued_at)
    lines = SettlementLine.objects.filter(period=march)
    assert {s.municipality.cbs_code for s in statements} == {
        "GM0758",
        "GM0826",
        "GM1709",
        "GM0855",
        "GM0785",
    }
    assert sum(s.net_total for s in statements) == Decimal("0.00")
    assert sum(s.line_count for s in statements) == 2 * lines.count()
    for line in lines:
        on = [s for s in statements if s.municipality_id in (line.payer_id, line.payee_id)]
        assert len(on) == 2
    # Gapless numbers, in CBS-code order, hash verifies, totals as in the draft.
    assert sorted(s.sequence for s in statements) == list(range(1, len(statements) + 1))
    for s in statements:
        assert (s.issued_at, s.issue_date, s.year) == (issued_at, APRIL_2, 2025)
        assert s.number == f"2025-{s.sequence:05d}"
        assert statement_verify(s)
        if s.municipality.cbs_code in drafts:
            assert s.net_total == drafts[s.municipality.cbs_code].net_total
    breda = next(s for s in statements if s.municipality.cbs_code == "GM0758")
    # Breda receives 4 x 100, pays 1 x 100 to Tilburg.
    assert (breda.receivable_total, breda.payable_total) == (Decimal("400.00"), Decimal("100.00"))
    assert not SettlementPeriod.objects.get(pk=march.pk).is_open


def test_issuing_twice_is_refused_and_writes_nothing(march):
    settlement_period_issue(period=march, actor=None, today=APRIL_2)
    count = Statement.objects.count()
    with pytest.raises(Conflict) as exc:
        settlement_period_issue(period=march, actor=None, today=APRIL_2)
    assert exc.value.code == "period_already_issued"
    assert Statement.objects.count() == count


def test_period_not_ended_cannot_be_issued(march):
    with pytest.raises(Conflict) as exc:
        settlement_period_issue(period=march, actor=None, today=dt.date(2025, 3, 31))
    assert exc.value.code == "period_not_ended"


def test_pending_registrations_block_issuing(march, desks):
    # A BRP visit on 28 March still "booked": not finalised.
    factories.appointment(
        loc=desks["breda"], start=factories.aware(dt.date(2025, 3, 28), 9), codes=["brp"]
    )
    with pytest.raises(Conflict) as exc:
        settlement_period_issue(period=march, actor=None, today=APRIL_2)
    assert exc.value.code == "registrations_pending" and exc.value.details == {"pending": 1}
    assert not Statement.objects.exists()
    # Marked as no-show, the visit no longer blocks.
    from scheduling.models import Appointment

    Appointment.objects.filter(status=AppointmentStatus.BOOKED).update(
        status=AppointmentStatus.NO_SHOW
    )
    assert settlement_period_issue(period=march, actor=None, today=APRIL_2)


def test_earlier_open_period_must_be_issued_first(march, desks):
    registration(loc=desks["breda"], day=dt.date(2025, 4, 3), residence="GM0826")
    april = SettlementPeriod.objects.get(label="2025-04")
    with pytest.raises(Conflict) as exc:
        settlement_period_issue(period=april, actor=None, today=dt.date(2025, 5, 5))
    assert exc.value.code == "earlier_period_open"


def test_invariant_violation_writes_nothing(march, monkeypatch):
    real = settlement_issue.period_totals

    def broken(period):
        totals = real(period)
        totals.pop(next(iter(totals)))  # one statement goes missing
        return totals

    monkeypatch.setattr(settlement_issue, "period_totals", broken)
    with pytest.raises(Conflict) as exc:
        settlement_period_issue(period=march, actor=None, today=APRIL_2)
    assert exc.value.code == "invariant_violated"
    assert not Statement.objects.exists()
    assert SettlementPeriod.objects.get(pk=march.pk).is_open


def test_lines_and_statements_are_immutable(march):
    [statement, *_] = settlement_period_issue(period=march, actor=None, today=APRIL_2)
    line = SettlementLine.objects.first()
    line.amount = Decimal("1.00")
    with pytest.raises(ImmutableError):
        line.save()
    with pytest.raises(ImmutableError):
        line.delete()
    with pytest.raises(ImmutableError):
        SettlementLine.objects.filter(pk=line.pk).update(amount=Decimal("1.00"))
    with pytest.raises(ImmutableError):
        SettlementLine.objects.all().delete()
    statement.net_total = Decimal("0.00")
    with pytest.raises(ImmutableError):
        statement.save()
    with pytest.raises(ImmutableError):
        Statement.objects.filter(pk=statement.pk).update(content_hash="x")
    period = SettlementPeriod.objects.get(pk=march.pk)
    with pytest.raises(ImmutableError):
        period.save()
    with pytest.raises(ImmutableError):
        SettlementPeriod.objects.filter(pk=period.pk).update(end=dt.date(2025, 3, 30))
    with pytest.raises(ImmutableError):
        period.delete()
    assert statement_verify(Statement.objects.get(pk=statement.pk))


def test_admin_cannot_change_or_delete_an_issued_statement_or_line(march, client):
    [statement, *_] = settlement_period_issue(period=march, actor=None, today=APRIL_2)
    line = SettlementLine.objects.first()
    admin = factories.user(Role.COORDINATOR)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    for obj, name, field, value in [
        (statement, "statement", "net_total", "0.00"),
        (line, "settlementline", "amount", "1.00"),
    ]:
        change = reverse(f"admin:settlement_{name}_change", args=[obj.pk])
        assert client.get(change).status_code == 200  # viewable
        response = client.post(change, {field: value})
        assert response.status_code == 403
        delete = reverse(f"admin:settlement_{name}_delete", args=[obj.pk])
        assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Statement.objects.get(pk=statement.pk).net_total == statement.net_total
    assert SettlementLine.objects.get(pk=line.pk).amount == line.amount


def test_admin_adds_tariffs_through_the_service(reference, client):
    admin = factories.user(Role.COORDINATOR)
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    url = reverse("admin:settlement_settlementtariff_add")
    response = client.post(url, {"amount": "110.00", "valid_from": "2030-01-01"})
    assert response.status_code == 302
    from settlement.models import SettlementTariff

    assert SettlementTariff.objects.get(valid_from=dt.date(2030, 1, 1)).amount == Decimal("110.00")
    response = client.post(url, {"amount": "90.00", "valid_from": "2030-01-01"})
    assert response.status_code == 200 and b"overlap" in response.content
    assert b"range_overlap" not in response.content  # the message, not the code
    # Agreements too: added through the service, its refusal shown as its message.
    from scheduling.models import Region
    from settlement.models import SettlementAgreement

    url = reverse("admin:settlement_settlementagreement_add")
    data = {
        "name": "West-Brabant",
        "region": Region.objects.get(name="West-Brabant").pk,
        "model": "per_inhabitant",
        "amount_per_inhabitant": "0.25",
        "valid_from": "2030-01-01",
    }
    assert client.post(url, data).status_code == 302
    agreement = SettlementAgreement.objects.get()
    assert agreement.payee.cbs_code == "GM0758" and agreement.participants.exists()
    response = client.post(url, data | {"name": "again"})
    assert response.status_code == 200 and b"overlap" in response.content
    assert b"range_overlap" not in response.content  # the message, not the code


def _csv_text(view, **kwargs) -> str:
    body = statement_csv(view, **kwargs)
    assert body.startswith("\ufeff".encode())  # UTF-8 with BOM (docs/exports.md)
    return body.decode("utf-8-sig")


def test_statement_xlsx_has_numbers_that_add_up(march):
    from openpyxl import load_workbook

    statements = settlement_period_issue(period=march, actor=None, today=APRIL_2)
    breda = next(s for s in statements if s.municipality.cbs_code == "GM0758")
    sheet = load_workbook(io.BytesIO(statement_xlsx(statement_view(breda)))).active
    header = [cell.value for cell in sheet[1]]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    data, footer = rows[:-1], rows[-1]
    amount = header.index("amount")
    assert sheet.freeze_panes == "A2" and len(data) == breda.line_count
    assert all(isinstance(r[amount], int | float | Decimal) for r in data)
    assert all(isinstance(r[header.index("registration_date")], dt.datetime) for r in data)
    assert Decimal(str(footer[amount])) == breda.net_total
    assert sum(Decimal(str(r[amount])) for r in data) == breda.net_total


def test_csv_columns_and_signed_amounts(march, settings):
    statements = settlement_period_issue(period=march, actor=None, today=APRIL_2)
    breda = next(s for s in statements if s.municipality.cbs_code == "GM0758")
    rows = list(csv.DictReader(io.StringIO(_csv_text(statement_view(breda)))))
    with open(settings.BASE_DIR / "docs" / "settlement-csv.md", encoding="utf-8") as fh:
        documented = fh.read()
    assert (
        list(rows[0].keys())
        == CSV_COLUMNS
        == [
            "statement_number",
            "period",
            "municipality_code",
            "municipality_name",
            "line_id",
            "reference",
            "registration_date",
            "registration_kind",
            "line_kind",
            "direction",
            "counterparty_code",
            "counterparty_name",
            "amount",
            "reverses_line_id",
        ]
    )
    for column in CSV_COLUMNS + ["bsn"]:
        assert f"`{column}`" in documented
    assert len(rows) == breda.line_count
    assert sum(Decimal(r["amount"]) for r in rows) == breda.net_total
    assert {r["direction"] for r in rows} == {"receivable", "payable"}
    assert all(r["statement_number"] == breda.number for r in rows)
    # The Tilburg statement shows the reversal with its link.
    tilburg = next(s for s in statements if s.municipality.cbs_code == "GM0855")
    trows = list(csv.DictReader(io.StringIO(_csv_text(statement_view(tilburg)))))
    reversal = next(r for r in trows if r["line_kind"] == "reversal")
    assert reversal["reverses_line_id"] and reversal["amount"] == "-100.00"


def test_bsn_only_with_legal_basis(desks, settings):
    registration(loc=desks["breda"], day=MARCH, residence="GM0826", bsn="111222333")
    period = SettlementPeriod.objects.get(label="2025-03")
    [statement, *_] = settlement_period_issue(period=period, actor=None, today=APRIL_2)
    view = statement_view(statement)
    settings.BSN_LEGAL_BASIS = False
    assert "111222333" not in _csv_text(view, include_bsn=True)
    settings.BSN_LEGAL_BASIS = True
    text = _csv_text(view, include_bsn=True)
    assert text.splitlines()[0].endswith(",bsn") and "111222333" in text
    assert "111222333" not in _csv_text(view)


# A detail entry: reference, date, kind, amount, counterparty (up to the next entry of the
# printed line or its end).
PDF_ENTRY = re.compile(
    r"(R-[0-9A-Z]+) +([0-9]{4}-[0-9]{2}-[0-9]{2}) +(\S+(?: \S+)*) +(-?[0-9]+\.[0-9]{2}) +"
    r"(\S.*?)(?= +R-|[ ]*$)",
    re.M,
)


def test_statement_pdf_has_summary_and_detail_pages(march):
    from pypdf import PdfReader

    statements = settlement_period_issue(period=march, actor=None, today=APRIL_2)
    breda = next(s for s in statements if s.municipality.cbs_code == "GM0758")
    pdf = PdfReader(io.BytesIO(statement_pdf(statement_view(breda))))
    assert len(pdf.pages) >= 2
    first = pdf.pages[0].extract_text()
    assert breda.number in first and "Summary" in first
    detail = "\n".join(page.extract_text() for page in pdf.pages[1:])
    # Every line of the statement once, with its date, kind, signed amount and counterparty.
    entries = {ref: rest for ref, *rest in PDF_ENTRY.findall(detail)}
    rows = list(_line_rows(statement_view(breda), include_bsn=False))
    assert len(entries) == len(rows) > 1
    for row in rows:
        day, kind, amount, counterparty = entries[row["reference"]]
        assert day == row["registration_date"] and amount == str(row["amount"])
        assert counterparty == row["counterparty_name"]
        assert kind == row["registration_kind"].upper()  # a charge: BRP or RNI


@pytest.mark.parametrize(
    "language, labels",
    [
        ("en", ["BRP", "RNI", "Reversal BRP", "Contribution"]),
        ("nl", ["BRP", "RNI", "Terugboeking BRP", "Bijdrage"]),
    ],
)
def test_statement_pdf_listing_prints_the_short_kind(language, labels):
    """The detail listing prints the kind short (a thousand lines: every character is a
    glyph to lay out and draw), translated; the web page keeps the full label."""
    from django.utils import translation

    from settlement.constants import line_label_short

    kinds = [("charge", "brp"), ("charge", "rni"), ("reversal", "brp"), ("contribution", "")]
    with translation.override(language):
        assert [line_label_short(*kind) for kind in kinds] == labels


def test_statement_pdf_prints_in_dejavu_sans_only(march):
    """Page numbers too: the margin boxes take their font from the root element; with the font
    set on body they fell back to a serif face (another font embedded in every statement)."""
    from pypdf import PdfReader

    statements = settlement_period_issue(period=march, actor=None, today=APRIL_2)
    breda = next(s for s in statements if s.municipality.cbs_code == "GM0758")
    pdf = PdfReader(io.BytesIO(statement_pdf(statement_view(breda))))
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+", 1)[-1]
        for page in pdf.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all(name.startswith("DejaVu-Sans") for name in fonts), fonts
    assert "1 / " in pdf.pages[0].extract_text()  # the page number is printed


def _pre_boxes(document, css_class):
    """(page number, box) of every laid-out ``<pre class=css_class>`` block."""
    return [
        (number, b)
        for number, page in enumerate(document.pages)
        for b in page._page_box.descendants()
        if b.element_tag == "pre"
        and type(b).__name__ == "BlockBox"
        and css_class in b.element.get("class", "").split()
    ]


def _inside(box) -> bool:
    right = box.content_box_x() + box.width
    return all(line.position_x + line.width <= right + 0.01 for line in box.children)


def test_statement_pdf_lays_out_as_with_weasyprints_own_user_agent_sheet(march):
    """The project's lean user-agent sheet (core.pdf) moves nothing on a statement."""
    statements = settlement_period_issue(period=march, actor=None, today=APRIL_2)
    view = statement_view(next(s for s in statements if s.municipality.cbs_code == "GM0758"))
    ours = layout_of(statement_pdf_document(view))
    with weasyprint_user_agent():
        theirs = layout_of(statement_pdf_document(view))
    assert len(ours) > 50 and ours == theirs


@pytest.mark.parametrize("language", ["nl", "en"])
def test_statement_pdf_summary_is_one_aligned_text_line_per_counterparty(march, language):
    """The summary (one row per counterparty, up to ~60) is fixed-width text, not a table (a
    table cell costs WeasyPrint about 1 ms, a text line half of that): a heading line, one
    line per counterparty and the total, none wrapped or past the edge, in Dutch and English,
    with the amounts right-aligned in their columns."""
    from django.utils import translation

    statements = settlement_period_issue(period=march, actor=None, today=APRIL_2)
    breda = next(s for s in statements if s.municipality.cbs_code == "GM0758")
    with translation.override(language):
        view = statement_view(breda)
        summary = _pdf_summary(view)
        document = statement_pdf_document(view)
    lines = [summary["head"], *summary["body"].split("\n"), summary["total"]]
    assert len(lines) == len(view.counterparties) + 2
    assert len({len(line) for line in lines}) == 1  # the net column ends every line
    for c, line in zip(view.counterparties, lines[1:], strict=False):
        assert line.startswith(c.name) and line.endswith(str(c.net))
    [(page, pre)] = _pre_boxes(document, "summary")
    assert page == 0 and len(pre.children) == len(lines) and _inside(pre)


@pytest.mark.parametrize(
    "name, columns, wraps",
    [(None, 2, False), ("Lang" * 25, 1, False), ("Lang" * 25, 1, True)],
    ids=["two-columns", "one-column", "wrapped"],
)
def test_statement_pdf_listing_two_columns_when_they_fit(march, monkeypatch, name, columns, wraps):
    """Detail lines go two to a printed line when two fit the landscape page (half the line
    boxes), else one (a long counterparty name); a line wider than the page wraps rather
    than running off it. Every listing page is landscape and nothing passes its edge."""
    from settlement.services import output

    statements = settlement_period_issue(period=march, actor=None, today=APRIL_2)
    breda = next(s for s in statements if s.municipality.cbs_code == "GM0758")
    if name:
        Municipality.objects.exclude(pk=breda.municipality_id).update(name=name)
    if wraps:  # no real line is that wide: narrow the page's character count instead
        monkeypatch.setattr(output, "LISTING_LINE_CHARS", 60)
    listing = output._pdf_listing(statement_view(breda), include_bsn=False)
    assert (listing.columns, listing.wraps) == (columns, wraps)
    document = statement_pdf_document(statement_view(breda))
    pres = _pre_boxes(document, "lines")
    assert pres
    for number, pre in pres:
        page = document.pages[number]
        assert page.width > page.height  # landscape
        assert pre.style["white_space"] == ("pre-wrap" if wraps else "pre") and _inside(pre)


def test_statement_pdf_listing_pages_read_down_then_across(march, monkeypatch):
    """A long listing: each page is one block of two columns (``LISTING_ROWS_PER_PAGE`` rows
    each) read down the left column, then the right; no block breaks across pages, even
    with the longest municipality name; the last page's columns are balanced."""
    from settlement.services import output

    statements = settlement_period_issue(period=march, actor=None, today=APRIL_2)
    breda = next(s for s in statements if s.municipality.cbs_code == "GM0758")
    view = statement_view(breda)
    sample = next(output._line_rows(view, include_bsn=False))
    rows_per_page = output.LISTING_ROWS_PER_PAGE
    count = 2 * 2 * rows_per_page + 21  # two full pages and a last one of 11 + 10 rows

    def many_rows(view, *, include_bsn):
        for n in range(count):
            yield {
                **sample,
                "reference": f"R-{n:010d}",
                "counterparty_name": "Nuenen, Gerwen en Nederwetten",
                "amount": Decimal("-1234.56") if n % 2 else Decimal("100.00"),
            }

    monkeypatch.setattr(output, "_line_rows", many_rows)
    listing = output._pdf_listing(view, include_bsn=False)
    assert listing.columns == 2 and len(listing.pages) == 3
    first = listing.pages[0].body.split("\n")
    assert len(first) == rows_per_page
    assert first[0].startswith("R-0000000000") and f"R-{rows_per_page:010d}" in first[0]
    last = listing.pages[2].body.split("\n")
    start = 4 * rows_per_page
    assert len(last) == 11 and f"R-{start + 11:010d}" in last[0]
    assert last[-1].startswith(f"R-{start + 10:010d}") and "R-" not in last[-1][2:]
    document = statement_pdf_document(view)
    pres = _pre_boxes(document, "lines")
    assert len(pres) == 3  # one box each: none split over two pages
    assert len({number for number, _ in pres}) == 3 and all(_inside(pre) for _, pre in pres)
    assert [len(pre.children) for _, pre in pres] == [rows_per_page + 1] * 2 + [12]


def test_scheduled_run_issues_and_mails_once(march):
    Municipality.objects.update(finance_email="finance@gemeente.example")
    april_first = working_day_on_or_after(dt.date(2025, 4, 1))
    assert settlement_run_due(today=dt.date(2025, 3, 1))["blocked"] == "not_due"  # Saturday
    assert "2025-03" not in settlement_run_due(today=dt.date(2025, 3, 31))["issued"]
    assert SettlementPeriod.objects.get(pk=march.pk).is_open and not mail.outbox
    result = settlement_run_due(today=april_first)
    assert result["issued"] == ["2025-03"]
    count = Statement.objects.count()
    assert len(mail.outbox) == count == result["emailed"] == StatementDelivery.objects.count()
    message = mail.outbox[0]
    assert {a[0].rsplit(".", 1)[1] for a in message.attachments} == {"pdf", "csv"}
    # Second run (the scheduled task, given the day as stored): nothing new.
    again = tasks.settlement_run_due(april_first.isoformat())
    assert again["issued"] == [] and again["emailed"] == 0
    assert Statement.objects.count() == count and len(mail.outbox) == count
    with pytest.raises(IntegrityError):
        StatementDelivery.objects.create(statement=Statement.objects.first(), sent_to="x@y.example")


def test_the_run_waits_for_the_first_working_day(reference):
    period_ensure(dt.date(2026, 3, 1))
    # 1 April 2026 is a Wednesday: due at once. 1 January 2026 (New Year's Day): the 2nd.
    assert settlement_run_due(today=dt.date(2026, 1, 1))["blocked"] == "not_due"
    assert working_day_on_or_after(dt.date(2026, 1, 1)) == dt.date(2026, 1, 2)
    assert working_day_on_or_after(dt.date(2025, 3, 1)) == dt.date(2025, 3, 3)  # Saturday
    assert working_day_on_or_after(dt.date(2024, 4, 1)) == dt.date(2024, 4, 2)  # Easter Monday
    assert settlement_run_due(today=dt.date(2026, 4, 1))["issued"] == ["2026-03"]


def test_schedule_exists_once(db):
    from django_q.models import Schedule

    from core.schedules import schedules_ensure

    schedules_ensure()  # migrate already did; again changes nothing
    schedule = Schedule.objects.get(name="settlement-statements")
    assert schedule.func == "settlement.tasks.settlement_run_due"


def test_empty_period_run_is_harmless(reference):
    period_ensure(dt.date(2025, 3, 1))
    result = settlement_run_due(today=dt.date(2025, 4, 1))
    assert result["issued"] == ["2025-03"] and not Statement.objects.exists()


def test_hash_detects_a_tampered_line(march):
    from django.db import connection

    statements = settlement_period_issue(period=march, actor=None, today=APRIL_2)
    breda = next(s for s in statements if s.municipality.cbs_code == "GM0758")
    line = SettlementLine.objects.filter(period=march, payee=breda.municipality).first()
    assert statement_verify(breda)
    with connection.cursor() as cursor:  # bypasses every code path, as an attacker would
        cursor.execute(
            "UPDATE counter_settlementline SET amount = %s WHERE id = %s", ["99.00", line.pk]
        )
    assert not statement_verify(Statement.objects.get(pk=breda.pk))


def test_done_registration_without_record_blocks_issuing(march, desks):
    from scheduling.constants import LegState

    appointment = factories.appointment(
        loc=desks["breda"],
        start=factories.aware(dt.date(2025, 3, 27), 9),
        codes=["rni"],
        status=AppointmentStatus.COMPLETED,
    )
    appointment.legs.update(state=LegState.DONE)
    with pytest.raises(Conflict) as exc:
        settlement_period_issue(period=march, actor=None, today=APRIL_2)
    assert exc.value.code == "registrations_pending"
    # Legs of other services never block.
    appointment.legs.update(state=LegState.CANCELLED)
    factories.appointment(
        loc=desks["breda"], start=factories.aware(dt.date(2025, 3, 27), 11), codes=["zvw"]
    )
    assert settlement_period_issue(period=march, actor=None, today=APRIL_2)


def test_quarter_periods(desks, settings):
    settings.SETTLEMENT_PERIOD = "quarter"
    registration(loc=desks["breda"], day=dt.date(2025, 2, 10), residence="GM0826")
    registration(loc=desks["breda"], day=dt.date(2025, 3, 20), residence="GM0826")
    period = SettlementPeriod.objects.get(label="2025-Q1")
    assert period.lines.count() == 2
    [oosterhout] = [
        s
        for s in settlement_period_issue(period=period, actor=None, today=APRIL_2)
        if s.municipality.cbs_code == "GM0826"
    ]
    assert oosterhout.payable_total == Decimal("200.00")


def test_demo_seed_issues_last_month_and_is_idempotent(db):
    from django.core.management import call_command

    from settlement.services.periods import period_bounds

    call_command("seed_demo", stdout=io.StringIO())
    today = timezone.localdate()
    last = period_bounds(period_bounds(today).start - dt.timedelta(days=1))
    issued = Statement.objects.filter(period__label=last.label)
    assert issued.exists() and sum(s.net_total for s in issued) == 0
    counts = (SettlementLine.objects.count(), Statement.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (SettlementLine.objects.count(), Statement.objects.count()) == counts
    oosterhout = Municipality.objects.get(cbs_code="GM0826")
    assert oosterhout.population_figures.exists() and oosterhout.finance_email


@pytest.mark.parametrize(
    "day",
    [
        "2026-12-05",  # a Saturday
        "2026-12-25",  # Christmas Day
        "2027-01-01",  # New Year's Day: last month is in last year
        "2027-03-01",  # a Monday, the 1st: the demo's week has no day last month
    ],
)
def test_demo_municipality_user_sees_last_months_statement_whatever_the_day(db, day):
    """The demo municipality's login showed no statement when the demo was seeded on a day
    whose last month already had other lines (the counter demo's history visit, the demo
    week's past days): the seed's own history of last month, with a resident of the demo
    municipality, was then left out. Seeded on a weekend or holiday, it is there now."""
    from zoneinfo import ZoneInfo

    import time_machine
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from settlement.selectors.statements import statements_for_user
    from settlement.services.periods import period_bounds

    at = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10), ZoneInfo("Europe/Amsterdam"))
    with time_machine.travel(at, tick=False):
        call_command("seed_demo", stdout=io.StringIO())
        user = get_user_model().objects.get(username="municipality")
        last = period_bounds(period_bounds(at.date()).start - dt.timedelta(days=1))
        visible = statements_for_user(user)
        assert visible.filter(period__label=last.label).exists()
        counts = (SettlementLine.objects.count(), Statement.objects.count())
        call_command("seed_demo", stdout=io.StringIO())
        assert (SettlementLine.objects.count(), Statement.objects.count()) == counts
