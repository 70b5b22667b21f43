"""Counter's record service reaches settlement only through ``settings.RECORD_HOOKS``."""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings

from core.exceptions import Conflict
from counter.constants import Outcome
from counter.models import ServiceRecord
from counter.services.records import service_record_create, service_record_void
from settlement.constants import SettlementLineKind
from settlement.models import SettlementLine, SettlementTariff
from tests import factories as f
from tests.counter.conftest import start_leg


@pytest.fixture
def visit(desk, today_start):
    return f.appointment(loc=desk, start=today_start, codes=["brp", "zvw", "ind"])


def test_the_record_hooks_name_the_settlement_services():
    assert settings.RECORD_HOOKS == {
        "registration_recorded": [
            "settlement.services.lines.settlement_lines_for_registration",
            "settlement.services.claims.claim_line_for_newcomer",
        ],
        "registration_voided": [
            "settlement.services.lines.settlement_lines_reverse_registration",
            "settlement.services.claims.claim_line_reverse_newcomer",
        ],
        "extra_service_funded": ["settlement.services.claims.claim_lines_for_funded_service"],
        "extra_service_voided": ["settlement.services.claims.claim_lines_reverse_funded_service"],
    }


def test_recorded_registration_writes_its_settlement_line_in_the_same_transaction(
    visit, officer, desk, today_start
):
    # Oosterhout resident registered at the Breda desk: Oosterhout owes Breda EUR 100.00.
    leg = start_leg(visit.legs.get(service__code="brp"), officer)
    record = service_record_create(leg=leg, outcome=Outcome.COMPLETED, actor=officer)
    line = SettlementLine.objects.get()
    assert (line.payer.cbs_code, line.payee.cbs_code) == ("GM0826", "GM0758")
    assert line.amount == Decimal("100.00") and line.kind == SettlementLineKind.CHARGE
    assert "Kowalski" not in line.reference and str(record.pk) != line.reference

    # A Breda resident registered in Breda: no line.
    local = f.appointment(
        loc=desk,
        start=today_start + dt.timedelta(hours=2),
        codes=["brp"],
        cl=f.client(municipality_of_residence=f.municipality("GM0758")),
    )
    service_record_create(
        leg=start_leg(local.legs.get(), officer), outcome=Outcome.COMPLETED, actor=officer
    )
    assert SettlementLine.objects.count() == 1

    # Voiding the registration writes the reversal.
    service_record_void(record=record, actor=officer, reason="registered the wrong person")
    reversal = SettlementLine.objects.get(kind=SettlementLineKind.REVERSAL)
    assert reversal.amount == Decimal("-100.00") and reversal.reverses == line


def test_a_refused_settlement_line_refuses_the_record(visit, officer):
    """No tariff in force on the registration date: the hook's error rolls the record back."""
    yesterday = visit.start.date() - dt.timedelta(days=1)
    SettlementTariff.objects.all().update(valid_to=yesterday)
    leg = start_leg(visit.legs.get(service__code="brp"), officer)
    with pytest.raises(Conflict) as error:
        service_record_create(leg=leg, outcome=Outcome.COMPLETED, actor=officer)
    assert error.value.code == "tariff_missing"
    assert not ServiceRecord.objects.filter(leg=leg).exists()
    assert not SettlementLine.objects.exists()
