import datetime as dt
from decimal import Decimal

import pytest

from core.exceptions import Conflict, ValidationFailed
from scheduling.models import Municipality, PopulationFigure
from settlement.constants import PaymentStatus
from settlement.models import SettlementPayment, SettlementPeriod, Statement
from settlement.selectors.cost_split import allocate, cost_split_compute
from settlement.selectors.statements import (
    ageing_overview,
    netting_advice,
    period_nets,
    statement_balance,
)
from settlement.services.issue import settlement_payment_record, settlement_period_issue
from tests import factories
from tests.settlement.helpers import registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(reference):
    breda = factories.location(cbs_code="GM0758")
    for residence in ["GM0826", "GM0826", "GM0826", "GM1709"]:
        registration(loc=breda, day=dt.date(2025, 3, 10), residence=residence)
    period = SettlementPeriod.objects.get(label="2025-03")
    statements = settlement_period_issue(period=period, actor=None, today=dt.date(2025, 4, 2))
    return {s.municipality.cbs_code: s for s in statements}


def test_payments_move_a_statement_from_open_to_paid(issued):
    oosterhout = issued["GM0826"]
    assert statement_balance(oosterhout)["status"] == PaymentStatus.OPEN
    assert statement_balance(oosterhout)["due"] == Decimal("300.00")
    settlement_payment_record(
        statement=oosterhout,
        amount=Decimal("100.00"),
        received_on=dt.date(2025, 4, 20),
        reference="BANK-1",
        actor=None,
    )
    balance = statement_balance(oosterhout)
    assert balance["status"] == PaymentStatus.PARTIALLY_PAID and balance["open"] == Decimal(
        "200.00"
    )
    with pytest.raises(ValidationFailed) as exc:
        settlement_payment_record(
            statement=oosterhout,
            amount=Decimal("200.01"),
            received_on=dt.date(2025, 4, 21),
            reference="BANK-2",
            actor=None,
        )
    assert exc.value.code == "payment_exceeds_open"
    assert SettlementPayment.objects.count() == 1
    settlement_payment_record(
        statement=oosterhout,
        amount=Decimal("200.00"),
        received_on=dt.date(2025, 4, 21),
        reference="BANK-2",
        actor=None,
    )
    assert statement_balance(oosterhout)["status"] == PaymentStatus.PAID


def test_payment_refusals(issued):
    with pytest.raises(Conflict) as exc:
        settlement_payment_record(
            statement=issued["GM0758"],
            amount=Decimal("1.00"),
            received_on=dt.date(2025, 4, 20),
            reference="X",
            actor=None,
        )
    assert exc.value.code == "nothing_due"
    payment = {
        "statement": issued["GM0826"],
        "amount": Decimal("10.00"),
        "received_on": dt.date(2025, 4, 20),
        "reference": "X",
        "actor": None,
        "today": dt.date(2025, 4, 20),
    }
    for change, code in [
        ({"amount": Decimal("0.00")}, "payment_not_positive"),
        ({"amount": Decimal("-5.00")}, "payment_not_positive"),
        ({"reference": " "}, "payment_reference_missing"),
        ({"received_on": dt.date(2025, 4, 21)}, "payment_in_future"),  # after "today"
    ]:
        with pytest.raises(ValidationFailed) as exc:
            settlement_payment_record(**payment | change)
        assert exc.value.code == code
    with pytest.raises(TypeError):
        settlement_payment_record(**payment | {"amount": 10.0})
    assert not SettlementPayment.objects.exists()


def test_ageing_buckets(issued):
    issue_date = issued["GM0826"].issue_date
    municipalities = Municipality.objects.all()
    rows = ageing_overview(municipalities=municipalities, today=issue_date + dt.timedelta(days=45))
    by_code = {r["municipality"].cbs_code: r for r in rows}
    assert set(by_code) == {"GM0826", "GM1709"}  # Breda is owed money, not in the list
    assert by_code["GM0826"]["buckets"]["31-60"] == Decimal("300.00")
    assert by_code["GM0826"]["buckets"]["0-30"] == Decimal("0.00")
    rows = ageing_overview(municipalities=municipalities, today=issue_date + dt.timedelta(days=91))
    assert {r["municipality"].cbs_code: r["buckets"][">90"] for r in rows}["GM1709"] == Decimal(
        "100.00"
    )
    settlement_payment_record(
        statement=issued["GM1709"],
        amount=Decimal("100.00"),
        received_on=issue_date,
        reference="B",
        actor=None,
    )
    rows = ageing_overview(municipalities=municipalities.filter(cbs_code="GM1709"))
    assert rows == []


def test_netting_advice_settles_with_few_transfers(reference):
    m = {c: factories.municipality(c) for c in ["GM0758", "GM0855", "GM0826", "GM1709", "GM0785"]}
    nets = {
        m["GM0758"]: Decimal("250.00"),
        m["GM0855"]: Decimal("50.00"),
        m["GM0826"]: Decimal("-200.00"),
        m["GM1709"]: Decimal("-100.00"),
        m["GM0785"]: Decimal("0.00"),
    }
    transfers = netting_advice(nets)
    assert len(transfers) <= 3
    balance = dict(nets)
    for t in transfers:
        assert t.amount > 0
        balance[t.payer] += t.amount
        balance[t.payee] -= t.amount
    assert all(v == 0 for v in balance.values())
    assert (transfers[0].payer, transfers[0].payee, transfers[0].amount) == (
        m["GM0826"],
        m["GM0758"],
        Decimal("200.00"),
    )
    with pytest.raises(ValueError):
        netting_advice({m["GM0758"]: Decimal("1.00")})


def test_netting_advice_for_an_issued_period(issued):
    period = SettlementPeriod.objects.get(label="2025-03")
    nets = period_nets(period)
    assert sum(nets.values()) == 0
    transfers = netting_advice(nets)
    assert {(t.payer.cbs_code, t.payee.cbs_code, t.amount) for t in transfers} == {
        ("GM0826", "GM0758", Decimal("300.00")),
        ("GM1709", "GM0758", Decimal("100.00")),
    }


def test_allocate_sums_exactly_and_is_deterministic():
    parts = allocate(Decimal("100.00"), [("a", 1), ("b", 1), ("c", 1)])
    assert parts == {"a": Decimal("33.34"), "b": Decimal("33.33"), "c": Decimal("33.33")}
    parts = allocate(Decimal("0.05"), [("x", 3), ("y", 3), ("z", 1)])
    assert sum(parts.values()) == Decimal("0.05")
    assert parts == {"x": Decimal("0.02"), "y": Decimal("0.02"), "z": Decimal("0.01")}


def test_cost_split_report(reference):
    for i, municipality in enumerate(Municipality.objects.order_by("cbs_code")):
        PopulationFigure.objects.create(
            municipality=municipality, year=2024, population=10_000 + i * 333
        )
    result = cost_split_compute(
        year=2024,
        desk_costs=[("Breda", Decimal("250000.00")), ("Tilburg", Decimal("200000.01"))],
    )
    assert result.total == Decimal("450000.01")
    assert (
        result.parts["state"] + result.parts["province"] + result.parts["municipalities"]
        == result.total
    )
    assert result.parts["state"] == Decimal("225000.01")
    assert sum(r["amount"] for r in result.municipalities) == result.parts["municipalities"]
    assert len(result.municipalities) == 56
    biggest = max(result.municipalities, key=lambda r: r["population"])
    smallest = min(result.municipalities, key=lambda r: r["population"])
    assert biggest["amount"] > smallest["amount"]


def test_cost_split_refuses_missing_population(reference):
    PopulationFigure.objects.create(
        municipality=factories.municipality("GM0758"), year=2024, population=180_000
    )
    with pytest.raises(ValidationFailed) as exc:
        cost_split_compute(year=2024, desk_costs=[("Breda", Decimal("1000.00"))])
    assert exc.value.code == "population_missing" and "Tilburg" in str(exc.value.message)
    with pytest.raises(ValidationFailed) as exc:
        cost_split_compute(
            year=2024,
            desk_costs=[("Breda", Decimal("1000.00"))],
            shares={
                "state": Decimal("50"),
                "province": Decimal("30"),
                "municipalities": Decimal("30"),
            },
        )
    assert exc.value.code == "shares_not_100"


def test_statement_rows_cannot_be_paid_by_update(issued):
    with pytest.raises(PermissionError):
        Statement.objects.filter(pk=issued["GM0826"].pk).update(net_total=Decimal("0"))
