import datetime as dt
from decimal import Decimal

import pytest

from core.errors import CoreError
from core.exceptions import Conflict, ValidationFailed
from counter.constants import Outcome
from scheduling.constants import LocationKind
from scheduling.models import PopulationFigure, Region
from settlement.constants import AgreementModel, SettlementLineKind
from settlement.models import SettlementLine, SettlementPeriod, SettlementTariff, Statement
from settlement.services.config import (
    settlement_agreement_create,
    settlement_tariff_create,
)
from settlement.services.issue import settlement_period_issue
from settlement.services.lines import registration_reference
from settlement.services.periods import period_bounds, period_ensure
from tests import factories
from tests.settlement.helpers import registration, void

pytestmark = pytest.mark.django_db

MARCH = dt.date(2025, 3, 10)
BREDA, TILBURG, OOSTERHOUT, MOERDIJK = "GM0758", "GM0855", "GM0826", "GM1709"


@pytest.fixture
def breda_desk(reference):
    return factories.location(cbs_code=BREDA)


def test_resident_of_another_municipality_owes_the_core_municipality(breda_desk):
    record, lines = registration(loc=breda_desk, day=MARCH, residence=OOSTERHOUT, bsn="111222333")
    [line] = lines
    assert line.payer.cbs_code == OOSTERHOUT and line.payee.cbs_code == BREDA
    assert line.amount == Decimal("100.00") and line.kind == SettlementLineKind.CHARGE
    assert line.period.label == "2025-03" and line.registration_date == MARCH
    # Pseudonymous: not the BSN, not the name, not the id; stable for the record.
    assert line.reference == registration_reference(record)
    assert line.reference.startswith("R-") and "111222333" not in line.reference
    assert str(record.pk) != line.reference[2:]
    # The hook is idempotent: a second call writes nothing new.
    from settlement.services.lines import settlement_lines_for_registration

    assert settlement_lines_for_registration(record=record, actor=None) == [line]
    assert SettlementLine.objects.count() == 1


def test_same_municipality_gives_no_line(breda_desk):
    _record, lines = registration(loc=breda_desk, day=MARCH, residence=BREDA)
    assert lines == [] and not SettlementLine.objects.exists()


def test_only_completed_registrations_count(breda_desk):
    _r, lines = registration(
        loc=breda_desk, day=MARCH, residence=OOSTERHOUT, outcome=Outcome.NOT_COMPLETED
    )
    assert lines == []
    _r, lines = registration(loc=breda_desk, day=MARCH, residence=OOSTERHOUT, kind="rni")
    assert len(lines) == 1 and lines[0].registration_kind == "rni"


def test_bus_registrations_are_performed_by_its_core_municipality(reference):
    bus = factories.location(
        cbs_code=TILBURG, kind=LocationKind.BUS, counters={"Bus 1": ["brp"]}, slug="bus"
    )
    # The bus stands at a site in Moerdijk; the worker lives in Moerdijk: Moerdijk pays Tilburg.
    _r, [line] = registration(loc=bus, day=MARCH, residence=MOERDIJK)
    assert (line.payer.cbs_code, line.payee.cbs_code) == (MOERDIJK, TILBURG)
    _r, lines = registration(loc=bus, day=MARCH, residence=TILBURG)
    assert lines == []


def test_void_reverses_in_the_same_period_while_it_is_open(breda_desk):
    record, [charge] = registration(loc=breda_desk, day=MARCH, residence=OOSTERHOUT)
    [reversal] = void(record)
    assert reversal.kind == SettlementLineKind.REVERSAL and reversal.reverses == charge
    assert reversal.amount == Decimal("-100.00") and reversal.period == charge.period
    assert reversal.reference == charge.reference
    # Voiding twice does not reverse twice.
    from settlement.services.lines import settlement_lines_reverse_registration

    assert settlement_lines_reverse_registration(record=record, actor=None) == []
    assert SettlementLine.objects.filter(kind=SettlementLineKind.REVERSAL).count() == 1


def test_void_after_issue_lands_in_the_next_open_period(breda_desk):
    record, [charge] = registration(loc=breda_desk, day=MARCH, residence=OOSTERHOUT)
    settlement_period_issue(period=charge.period, actor=None, today=dt.date(2025, 4, 2))
    # April is issued too (empty), so the reversal skips to May.
    april = period_ensure(dt.date(2025, 4, 1))
    settlement_period_issue(period=april, actor=None, today=dt.date(2025, 5, 2))
    [reversal] = void(record)
    assert reversal.period.label == "2025-05"
    # The issued March statement is untouched.
    march = Statement.objects.get(municipality__cbs_code=OOSTERHOUT, period=charge.period)
    assert march.net_total == Decimal("-100.00") and march.line_count == 1


def test_late_registration_for_a_closed_period_goes_to_the_next_open_one(breda_desk):
    _r, [first] = registration(loc=breda_desk, day=MARCH, residence=OOSTERHOUT)
    settlement_period_issue(period=first.period, actor=None, today=dt.date(2025, 4, 2))
    _r, [late] = registration(loc=breda_desk, day=dt.date(2025, 3, 20), residence=MOERDIJK)
    assert late.period.label == "2025-04" and late.registration_date == dt.date(2025, 3, 20)


def test_tariff_change_mid_period(breda_desk):
    settlement_tariff_create(amount=Decimal("120.00"), valid_from=dt.date(2025, 3, 15), actor=None)
    old = SettlementTariff.objects.get(valid_from=dt.date(2019, 1, 1))
    assert old.valid_to == dt.date(2025, 3, 14)
    _r, [before] = registration(loc=breda_desk, day=dt.date(2025, 3, 14), residence=OOSTERHOUT)
    _r, [after] = registration(loc=breda_desk, day=dt.date(2025, 3, 15), residence=OOSTERHOUT)
    assert (before.amount, after.amount) == (Decimal("100.00"), Decimal("120.00"))
    assert before.period == after.period
    statement = settlement_period_issue(period=before.period, actor=None, today=dt.date(2025, 4, 1))
    oosterhout = next(s for s in statement if s.municipality.cbs_code == OOSTERHOUT)
    assert oosterhout.payable_total == Decimal("220.00")


def test_tariffs_never_overlap_nor_change_retroactively(breda_desk):
    settlement_tariff_create(amount=Decimal("120.00"), valid_from=dt.date(2025, 6, 1), actor=None)
    with pytest.raises(Conflict) as exc:
        settlement_tariff_create(
            amount=Decimal("90.00"),
            valid_from=dt.date(2025, 1, 1),
            valid_to=dt.date(2025, 7, 1),
            actor=None,
        )
    assert exc.value.code == CoreError.RANGE_OVERLAP
    registration(loc=breda_desk, day=dt.date(2025, 8, 1), residence=OOSTERHOUT)
    count = SettlementTariff.objects.count()
    with pytest.raises(Conflict) as exc:
        settlement_tariff_create(
            amount=Decimal("130.00"), valid_from=dt.date(2025, 7, 1), actor=None
        )
    assert exc.value.code == "tariff_retroactive"
    assert SettlementTariff.objects.count() == count
    assert SettlementTariff.objects.get(valid_from=dt.date(2025, 6, 1)).valid_to is None


def test_tariff_and_agreement_refusals_use_the_shared_codes(reference):
    start, end = dt.date(2030, 1, 1), dt.date(2030, 12, 31)
    for change, error, code in [
        ({"amount": Decimal("-1.00")}, ValidationFailed, CoreError.AMOUNT_NEGATIVE),
        ({"valid_to": start - dt.timedelta(days=1)}, ValidationFailed, CoreError.RANGE_INVALID),
        # A tariff with an end date never ends the open-ended one: it overlaps it.
        ({"valid_to": end}, Conflict, CoreError.RANGE_OVERLAP),
    ]:
        with pytest.raises(error) as exc:
            settlement_tariff_create(
                **{"amount": Decimal("90.00"), "valid_from": start, "actor": None} | change
            )
        assert exc.value.code == code
    assert SettlementTariff.objects.get().valid_to is None
    with pytest.raises(ValidationFailed) as exc:
        settlement_agreement_create(
            name="backwards",
            region=_west_brabant(),
            model=AgreementModel.PER_REGISTRATION,
            valid_from=end,
            valid_to=start,
            actor=None,
        )
    assert exc.value.code == CoreError.RANGE_INVALID


def _west_brabant():
    return Region.objects.get(name="West-Brabant")


def test_per_inhabitant_agreement_replaces_charges_by_a_yearly_contribution(breda_desk):
    region = _west_brabant()
    agreement = settlement_agreement_create(
        name="West-Brabant 2025",
        region=region,
        model=AgreementModel.PER_INHABITANT,
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2025, 12, 31),
        actor=None,
    )
    assert agreement.payee.cbs_code == BREDA
    participants = list(agreement.participants.all())
    assert factories.municipality(OOSTERHOUT) in participants
    for m in participants:
        PopulationFigure.objects.create(municipality=m, year=2024, population=10_001)
    # Covered: Breda registers an Oosterhout resident -> no per-registration line.
    _r, lines = registration(loc=breda_desk, day=dt.date(2025, 1, 20), residence=OOSTERHOUT)
    assert lines == []
    # Not covered: Tilburg region resident registered in Breda pays per registration.
    _r, [charge] = registration(loc=breda_desk, day=dt.date(2025, 1, 21), residence=TILBURG)
    january = charge.period
    settlement_period_issue(period=january, actor=None, today=dt.date(2025, 2, 3))
    contributions = SettlementLine.objects.filter(kind=SettlementLineKind.CONTRIBUTION)
    assert contributions.count() == len(participants)
    line = contributions.get(payer__cbs_code=OOSTERHOUT)
    assert line.amount == Decimal("2500.25") and line.payee.cbs_code == BREDA
    assert line.period == january and line.contribution_year == 2025
    # February: not booked again.
    february = period_ensure(dt.date(2025, 2, 1))
    settlement_period_issue(period=february, actor=None, today=dt.date(2025, 3, 3))
    assert contributions.count() == len(participants)


def test_missing_population_is_refused_naming_the_municipality(breda_desk):
    agreement = settlement_agreement_create(
        name="West-Brabant 2025",
        region=_west_brabant(),
        model=AgreementModel.PER_INHABITANT,
        valid_from=dt.date(2025, 1, 1),
        actor=None,
    )
    for m in agreement.participants.exclude(cbs_code=OOSTERHOUT):
        PopulationFigure.objects.create(municipality=m, year=2025, population=20_000)
    _r, [charge] = registration(loc=breda_desk, day=dt.date(2025, 1, 21), residence=TILBURG)
    with pytest.raises(ValidationFailed) as exc:
        settlement_period_issue(period=charge.period, actor=None, today=dt.date(2025, 2, 3))
    assert exc.value.code == "population_missing"
    assert "Oosterhout" in str(exc.value.message)
    assert not Statement.objects.exists()
    assert not SettlementLine.objects.filter(kind=SettlementLineKind.CONTRIBUTION).exists()
    assert SettlementPeriod.objects.get(pk=charge.period.pk).is_open


def test_agreements_never_overlap(reference):
    settlement_agreement_create(
        name="A",
        region=_west_brabant(),
        model=AgreementModel.PER_INHABITANT,
        valid_from=dt.date(2025, 1, 1),
        valid_to=dt.date(2025, 12, 31),
        actor=None,
    )
    with pytest.raises(Conflict) as exc:
        settlement_agreement_create(
            name="B",
            region=_west_brabant(),
            model=AgreementModel.PER_REGISTRATION,
            valid_from=dt.date(2025, 6, 1),
            actor=None,
        )
    assert exc.value.code == CoreError.RANGE_OVERLAP
    with pytest.raises(ValidationFailed) as exc:
        settlement_agreement_create(
            name="C",
            region=Region.objects.get(name="Midden-Brabant"),
            model=AgreementModel.PER_INHABITANT,
            valid_from=dt.date(2025, 3, 1),
            actor=None,
        )
    assert exc.value.code == "agreement_whole_years"


def test_period_bounds_month_and_quarter(settings):
    assert period_bounds(dt.date(2025, 12, 31)).label == "2025-12"
    assert period_bounds(dt.date(2025, 12, 31)).end == dt.date(2025, 12, 31)
    settings.SETTLEMENT_PERIOD = "quarter"
    bounds = period_bounds(dt.date(2025, 5, 17))
    assert (bounds.label, bounds.start, bounds.end) == (
        "2025-Q2",
        dt.date(2025, 4, 1),
        dt.date(2025, 6, 30),
    )


def test_agreement_cannot_start_retroactively(breda_desk):
    registration(loc=breda_desk, day=dt.date(2025, 2, 1), residence=OOSTERHOUT)
    with pytest.raises(Conflict) as exc:
        settlement_agreement_create(
            name="late",
            region=_west_brabant(),
            model=AgreementModel.PER_INHABITANT,
            valid_from=dt.date(2025, 1, 1),
            actor=None,
        )
    assert exc.value.code == "agreement_retroactive"
    from settlement.models import SettlementAgreement

    assert not SettlementAgreement.objects.exists()


def test_missing_tariff_is_refused(breda_desk):
    from settlement.models import SettlementTariff

    SettlementTariff.objects.all().update(valid_to=dt.date(2024, 12, 31))
    with pytest.raises(Conflict) as exc:
        registration(loc=breda_desk, day=MARCH, residence=OOSTERHOUT)
    assert exc.value.code == "tariff_missing"
    assert not SettlementLine.objects.exists()
