import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.models import AuditLogEntry
from core.roles import Role
from settlement.models import SettlementPayment, SettlementPeriod, Statement
from settlement.services.issue import settlement_period_issue
from tests import factories
from tests.settlement.helpers import registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(reference):
    breda = factories.location(cbs_code="GM0758")
    registration(loc=breda, day=dt.date(2025, 3, 10), residence="GM0826", bsn="111222333")
    registration(loc=breda, day=dt.date(2025, 3, 11), residence="GM1709")
    period = SettlementPeriod.objects.get(label="2025-03")
    statements = settlement_period_issue(period=period, actor=None, today=dt.date(2025, 4, 2))
    registration(loc=breda, day=dt.date(2025, 4, 3), residence="GM0826")  # April draft
    by_code = {s.municipality.cbs_code: s for s in statements}
    return {
        "statements": by_code,
        "oosterhout_user": factories.user(
            Role.MUNICIPALITY, municipality=factories.municipality("GM0826")
        ),
        "coordinator": factories.user(Role.COORDINATOR),
        "officer": factories.user(Role.OFFICER, location=breda),
    }


def test_municipality_sees_only_its_own(world, client):
    own, other = world["statements"]["GM0826"], world["statements"]["GM1709"]
    client.force_login(world["oosterhout_user"])
    page = client.get(reverse("settlement:index"))
    assert page.status_code == 200
    assert own.number.encode() in page.content and other.number.encode() not in page.content
    assert client.get(reverse("settlement:statement", args=[own.pk])).status_code == 200
    for name, args in [
        ("settlement:statement", [other.pk]),
        ("settlement:statement-download", [other.pk, "csv"]),
        ("settlement:statement-download", [other.pk, "pdf"]),
        ("settlement:draft", ["2025-04", "GM0758"]),
        ("settlement:period", ["2025-03"]),
        ("settlement:netting", ["2025-03"]),
        ("settlement:cost-split", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404, name
    csv_response = client.get(reverse("settlement:statement-download", args=[own.pk, "csv"]))
    assert csv_response.status_code == 200 and b"GM0826" in csv_response.getvalue()
    disposition = f'attachment; filename="statement-{own.number}.csv"'
    assert csv_response["Content-Disposition"] == disposition
    pdf = client.get(reverse("settlement:statement-download", args=[own.pk, "pdf"]))
    assert pdf.getvalue().startswith(b"%PDF")
    draft = client.get(reverse("settlement:draft", args=["2025-04", "GM0826"]))
    assert draft.status_code == 200 and b"100.00" in draft.content
    draft_pdf = client.get(
        reverse("settlement:draft", args=["2025-04", "GM0826"]), {"format": "pdf"}
    )
    assert draft_pdf.getvalue().startswith(b"%PDF")
    ageing = client.get(reverse("settlement:ageing"))
    assert b"Oosterhout" in ageing.content and b"Moerdijk" not in ageing.content
    assert b"Settlements" in client.get(reverse("home")).content


def test_other_roles_get_404(world, client):
    client.force_login(world["officer"])
    assert client.get(reverse("settlement:index")).status_code == 404
    own = world["statements"]["GM0826"]
    assert client.get(reverse("settlement:statement", args=[own.pk])).status_code == 404
    assert b"Settlements" not in client.get(reverse("home")).content
    assert client.get("/api/v1/settlement/statements/").status_code == 404
    client.logout()
    assert client.get(reverse("settlement:index")).status_code == 302  # to login


def test_coordinator_sees_all_and_issues_and_records_payments(world, client):
    client.force_login(world["coordinator"])
    page = client.get(reverse("settlement:index"))
    for statement in world["statements"].values():
        assert statement.number.encode() in page.content
    netting = client.get(reverse("settlement:netting", args=["2025-03"]))
    assert b"Oosterhout" in netting.content
    oosterhout = world["statements"]["GM0826"]
    url = reverse("settlement:payment-create", args=[oosterhout.pk])
    response = client.post(url, {"amount": "40.00", "received_on": "2025-04-20", "reference": "B1"})
    assert response.status_code == 302
    assert SettlementPayment.objects.get().amount == 40
    client.post(url, {"amount": "400.00", "received_on": "2025-04-20", "reference": "B2"})
    assert SettlementPayment.objects.count() == 1
    # Issue April (ended by now) from the period page.
    response = client.post(reverse("settlement:period-issue", args=["2025-04"]))
    assert response.status_code == 302
    assert Statement.objects.filter(period__label="2025-04").count() == 2


def test_cost_split_page_and_csv(world, client):
    from scheduling.models import Location, Municipality, PopulationFigure

    for municipality in Municipality.objects.all():
        PopulationFigure.objects.create(municipality=municipality, year=2024, population=12_345)
    desk = Location.objects.get(kind="desk")
    params = {
        "year": 2024,
        "state_percent": "50",
        "province_percent": "25",
        "municipalities_percent": "25",
        f"desk_{desk.pk}": "100000.00",
    }
    client.force_login(world["coordinator"])
    page = client.get(reverse("settlement:cost-split"), params)
    assert page.status_code == 200 and b"50000.00" in page.content
    csv_response = client.get(reverse("settlement:cost-split"), params | {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(csv_response.getvalue().decode("utf-8-sig"))))
    assert list(rows[0]) == ["party", "name", "cbs_code", "population", "share_percent", "amount"]
    assert rows[0]["party"] == "state" and rows[0]["amount"] == "50000.00"
    municipalities = [r for r in rows if r["party"] == "municipality"]
    total = sum(Decimal(r["amount"]) for r in municipalities)
    assert total == Decimal("25000.00") and len(municipalities) == 56
    # No totals row: the parties add up to the desk costs.
    assert sum(Decimal(r["amount"]) for r in rows) == Decimal("100000.00")
    xlsx = client.get(reverse("settlement:cost-split"), params | {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.getvalue())).active
    amounts = [row[5] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(a, int | float | Decimal) for a in amounts)
    assert sum(Decimal(str(a)) for a in amounts[:-1]) == Decimal(str(amounts[-1])) == 100000
    assert csv_response["Content-Disposition"] == 'attachment; filename="cost-split-2024.csv"'
    pdf = client.get(reverse("settlement:cost-split"), params | {"format": "pdf"})
    assert pdf.getvalue().startswith(b"%PDF")


def test_bsn_in_portal_only_with_legal_basis_and_audited(world, client, settings):
    own = world["statements"]["GM0826"]
    client.force_login(world["oosterhout_user"])
    settings.BSN_LEGAL_BASIS = False
    page = client.get(reverse("settlement:statement", args=[own.pk]))
    assert b"111222333" not in page.content
    assert not AuditLogEntry.objects.filter(action="settlement.bsn_view").exists()
    settings.BSN_LEGAL_BASIS = True
    page = client.get(reverse("settlement:statement", args=[own.pk]))
    assert b"111222333" in page.content
    csv_response = client.get(reverse("settlement:statement-download", args=[own.pk, "csv"]))
    assert b"111222333" in csv_response.getvalue()
    entries = AuditLogEntry.objects.filter(action="settlement.bsn_view")
    assert entries.count() == 2 and entries.first().actor == world["oosterhout_user"]


def test_api_is_row_scoped(world, client):
    own, other = world["statements"]["GM0826"], world["statements"]["GM1709"]
    client.force_login(world["oosterhout_user"])
    listing = client.get("/api/v1/settlement/statements/").json()
    assert [s["number"] for s in listing["results"]] == [own.number]
    assert listing["results"][0]["payment_status"] == "open"
    assert client.get(f"/api/v1/settlement/statements/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/settlement/statements/{other.pk}/lines/").status_code == 404
    lines = client.get(f"/api/v1/settlement/statements/{own.pk}/lines/").json()["results"]
    assert len(lines) == 1 and lines[0]["payer"] == "GM0826"
    all_lines = client.get("/api/v1/settlement/lines/").json()["results"]
    assert {line["payer"] for line in all_lines} == {"GM0826"}  # March + April draft line
    assert len(all_lines) == 2
    response = client.post(
        f"/api/v1/settlement/statements/{own.pk}/payments/",
        {"amount": "10.00", "received_on": "2025-04-20", "reference": "B"},
        content_type="application/json",
    )
    assert response.status_code == 404
    client.force_login(world["coordinator"])
    response = client.post(
        f"/api/v1/settlement/statements/{own.pk}/payments/",
        {"amount": "10.00", "received_on": "2025-04-20", "reference": "B"},
        content_type="application/json",
    )
    assert response.status_code == 201
    response = client.post(
        f"/api/v1/settlement/statements/{own.pk}/payments/",
        {"amount": "1000.00", "received_on": "2025-04-20", "reference": "C"},
        content_type="application/json",
    )
    assert response.status_code == 400 and response.json()["code"] == "payment_exceeds_open"
    client.force_login(world["oosterhout_user"])
    payments = client.get("/api/v1/settlement/payments/").json()["results"]
    assert len(payments) == 1
    response = client.post("/api/v1/settlement/periods/2025-03/issue/")
    assert response.status_code == 404
    client.force_login(world["coordinator"])
    response = client.post("/api/v1/settlement/periods/2025-03/issue/")
    assert response.status_code == 409 and response.json()["code"] == "period_already_issued"


def test_index_pages_its_statements_with_what_was_paid(world, client, monkeypatch):
    """Years of statements: the index shows a page of them (with the period filter kept in the
    page links), each with what was paid on it, and each period's number of lines."""
    from settlement import views

    monkeypatch.setattr(views, "STATEMENTS_PER_PAGE", 2)
    oosterhout = world["statements"]["GM0826"]
    SettlementPayment.objects.create(
        statement=oosterhout, amount=Decimal("40.00"), received_on=dt.date(2025, 4, 20)
    )
    client.force_login(world["coordinator"])
    pages = [
        client.get(reverse("settlement:index"), {"period": "2025-03", "page": n}).content.decode()
        for n in (1, 2)
    ]
    numbers = [s.number for s in world["statements"].values()]
    assert len(numbers) == 3
    for n, page in enumerate(pages):
        assert sum(number in page for number in numbers) == (2 if n == 0 else 1)
    assert "page=2&amp;period=2025-03" in pages[0]
    shown = next(p for p in pages if oosterhout.number in p)
    assert f"{oosterhout.amount_due - Decimal('40.00')}" in shown  # what is still open
    assert "<td>2</td>" in pages[0]  # March: two lines
