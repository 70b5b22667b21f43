"""A database with settlement data from before the move to the settlement app migrates
forward without loss (SQLite and PostgreSQL).

The test migrates back to counter 0006 (settlement not yet an app), writes settlement rows
with the historical counter models, migrates forward and reads every row back through the
settlement models. The move touches the state, the stored task paths and the content types
only, so going back and forth is quick; the database ends at the latest migration.
"""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from core.effective import effective_on
from core.models import ImmutableError
from core.roles import Role
from core.sequences import sequence_last
from settlement.models import (
    SettlementAgreement,
    SettlementLine,
    SettlementPayment,
    SettlementPeriod,
    SettlementTariff,
    Statement,
    StatementDelivery,
)
from tests import factories
from tests.settlement.helpers import registration

BEFORE = [("counter", "0006_servicetype_kind_guard"), ("settlement", None)]
OLD_FUNC = "counter.tasks_settlement.settlement_run_due"
NEW_FUNC = "settlement.tasks.settlement_run_due"


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


def _municipality_perms() -> set[str]:
    group = Group.objects.get(name=Role.MUNICIPALITY)
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list("content_type__app_label", "codename")
    }


def _old_rows(apps, *, record_id: int, breda_id: int, oosterhout_id: int, region_id: int):
    """Settlement rows as counter wrote them: every model, the M2M and the task paths."""
    m = {name: apps.get_model("counter", name) for name in (
        "SettlementTariff", "SettlementAgreement", "SettlementPeriod", "SettlementLine",
        "Statement", "SettlementPayment", "StatementDelivery", "StatementNumberSequence",
    )}  # fmt: skip
    tariff = m["SettlementTariff"].objects.create(
        amount=Decimal("125.00"), valid_from=dt.date(2031, 1, 1)
    )
    agreement = m["SettlementAgreement"].objects.create(
        name="Old agreement",
        region_id=region_id,
        model="per_inhabitant",
        payee_id=breda_id,
        amount_per_inhabitant=Decimal("0.25"),
        valid_from=dt.date(2030, 1, 1),
        valid_to=dt.date(2030, 12, 31),
    )
    agreement.participants.set([oosterhout_id])
    period = m["SettlementPeriod"].objects.create(
        start=dt.date(2031, 2, 1), end=dt.date(2031, 2, 28), granularity="month", label="2031-02"
    )
    charge = m["SettlementLine"].objects.create(
        kind="charge", payer_id=oosterhout_id, payee_id=breda_id, amount=Decimal("125.00"),
        reference="R-OLDCHARGE", registration_date=dt.date(2031, 2, 3), registration_kind="brp",
        period=period, record_id=record_id, tariff=tariff,
    )  # fmt: skip
    reversal = m["SettlementLine"].objects.create(
        kind="reversal", payer_id=oosterhout_id, payee_id=breda_id, amount=Decimal("-125.00"),
        reference="R-OLDCHARGE", registration_date=dt.date(2031, 2, 3), registration_kind="brp",
        period=period, record_id=record_id, tariff=tariff, reverses=charge,
    )  # fmt: skip
    contribution = m["SettlementLine"].objects.create(
        kind="contribution", payer_id=oosterhout_id, payee_id=breda_id, amount=Decimal("9.50"),
        reference="C2031-GM0826", registration_date=dt.date(2031, 1, 1), period=period,
        agreement=agreement, contribution_year=2031,
    )  # fmt: skip
    statement = m["Statement"].objects.create(
        municipality_id=oosterhout_id, period=period, year=2031, sequence=1, number="2031-00001",
        issued_at=timezone.now(), issue_date=dt.date(2031, 3, 2), receivable_total=Decimal("0.00"),
        payable_total=Decimal("9.50"), net_total=Decimal("-9.50"), line_count=3,
        counterparties=[{"code": "GM0758", "net": "-9.50"}], content_hash="0" * 64,
    )  # fmt: skip
    payment = m["SettlementPayment"].objects.create(
        statement=statement, amount=Decimal("4.00"), received_on=dt.date(2031, 3, 5),
        reference="BANK-1",
    )  # fmt: skip
    delivery = m["StatementDelivery"].objects.create(
        statement=statement, sent_to="financien@oosterhout.example"
    )
    m["StatementNumberSequence"].objects.create(year=2031, last=1)

    schedule_model = apps.get_model("django_q", "Schedule")
    schedule_model.objects.update_or_create(
        name="settlement-statements", defaults={"func": OLD_FUNC, "schedule_type": "D"}
    )
    task_id = uuid.uuid4().hex
    apps.get_model("django_q", "Task").objects.create(
        id=task_id, name="failed-run", func=OLD_FUNC, started=timezone.now(),
        stopped=timezone.now(), success=False,
    )  # fmt: skip
    return {
        "tariff": tariff.pk,
        "agreement": agreement.pk,
        "period": period.pk,
        "lines": [charge.pk, reversal.pk, contribution.pk],
        "statement": statement.pk,
        "payment": payment.pk,
        "delivery": delivery.pk,
        "task": task_id,
    }


@pytest.mark.django_db(transaction=True)
def test_settlement_rows_survive_the_move_to_the_settlement_app(reference):
    breda, oosterhout = factories.municipality("GM0758"), factories.municipality("GM0826")
    record, _lines = registration(
        loc=factories.location(cbs_code="GM0758"), day=dt.date(2031, 2, 3), residence="GM0826",
        hook=False,
    )  # fmt: skip
    assert "settlement.view_settlementline" in _municipality_perms()
    try:
        executor = _migrate(BEFORE)
        old_apps = executor.loader.project_state([BEFORE[0]]).apps
        with pytest.raises(LookupError):
            old_apps.get_model("settlement", "SettlementLine")
        # Before the move, the permissions belonged to counter's content types.
        assert "counter.view_settlementline" in _municipality_perms()
        ids = _old_rows(
            old_apps,
            record_id=record.pk,
            breda_id=breda.pk,
            oosterhout_id=oosterhout.pk,
            region_id=breda.region_id,
        )
    finally:
        _migrate()

    tariff = SettlementTariff.objects.get(pk=ids["tariff"])
    assert (tariff.amount, tariff.valid_from) == (Decimal("125.00"), dt.date(2031, 1, 1))
    agreement = SettlementAgreement.objects.get(pk=ids["agreement"])
    assert [m.cbs_code for m in agreement.participants.all()] == ["GM0826"]
    assert agreement in effective_on(SettlementAgreement.objects.all(), dt.date(2030, 6, 1))
    period = SettlementPeriod.objects.get(pk=ids["period"])
    assert period.label == "2031-02" and period.is_open
    charge, reversal, contribution = (SettlementLine.objects.get(pk=pk) for pk in ids["lines"])
    assert charge.record == record and charge.tariff == tariff and charge.period == period
    assert reversal.reverses == charge and charge.reversed_by == reversal
    assert contribution.agreement == agreement and contribution.amount == Decimal("9.50")
    assert set(record.settlement_lines.values_list("pk", flat=True)) == set(ids["lines"][:2])
    statement = Statement.objects.get(pk=ids["statement"])
    assert statement.number == "2031-00001" and statement.amount_due == Decimal("9.50")
    assert SettlementPayment.objects.get(pk=ids["payment"]).statement == statement
    assert StatementDelivery.objects.get(pk=ids["delivery"]).statement == statement
    assert sequence_last("statement:2031") == 1  # carried over to core.sequences

    # Stored task paths and permissions point at the settlement app.
    from django_q.models import Schedule, Task

    assert Schedule.objects.get(name="settlement-statements").func == NEW_FUNC
    assert Task.objects.get(pk=ids["task"]).func == NEW_FUNC
    assert not Schedule.objects.filter(func__startswith="counter.tasks_settlement").exists()
    assert "settlement.view_settlementline" in _municipality_perms()
    assert "counter.view_settlementline" not in _municipality_perms()

    # The rules kept by the database (created by counter's migrations) still hold, and the
    # models still refuse changes.
    with pytest.raises(IntegrityError), transaction.atomic():
        SettlementLine.objects.create(
            kind="charge", payer=breda, payee=breda, amount=Decimal("1.00"), reference="R-X",
            registration_date=dt.date(2031, 2, 4), period=period,
        )  # fmt: skip
    with pytest.raises(ImmutableError):
        charge.delete()
