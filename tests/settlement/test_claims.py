"""Financing variants of the desk's extra service and the quarterly government claims."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Sum

from core.models import ImmutableError
from core.roles import Role
from counter.models import FeeLine, FinancingVariant, FundedService, MunicipalBasis
from counter.services.fees import fee_line_add
from counter.services.financing import financing_choice_create, region_municipalities
from scheduling.models import PopulationFigure
from settlement.models import ClaimLine, ClaimStatement
from settlement.services.claims import claim_line_for_newcomer, claim_quarter_issue
from settlement.services.claims_output import claim_export
from tests import factories as f
from tests.settlement.helpers import claim_statement_expected_hash, registration

pytestmark = pytest.mark.django_db

YEAR = 2025
Q2 = [dt.date(YEAR, 4, 2), dt.date(YEAR, 4, 30), dt.date(YEAR, 5, 14), dt.date(YEAR, 6, 30)]
RESIDENCES = ["GM0758", "GM0826", "GM1674", "GM0855"]  # Breda, Oosterhout, Roosendaal, Tilburg


@pytest.fixture
def population(desk):
    PopulationFigure.objects.bulk_create(
        PopulationFigure(municipality=m, year=YEAR - 1, population=10_007 + 7_919 * i)
        for i, m in enumerate(region_municipalities(desk.region).order_by("cbs_code"))
    )


def visits(desk, days=Q2):
    """The same set of visits for every variant: a registration and one extra service each."""
    welcome = f.service("welcome")
    for day, residence in zip(days, RESIDENCES * 3, strict=False):
        record, _lines = registration(loc=desk, day=day, residence=residence, hook=False)
        claim_line_for_newcomer(record=record, actor=None)  # RECORD_HOOKS registration_recorded
        fee_line_add(appointment=record.leg.appointment, service=welcome, actor=None)


def choose(desk, variant, basis=MunicipalBasis.POPULATION, valid_from=dt.date(YEAR, 1, 1)):
    return financing_choice_create(
        region=desk.region,
        variant=variant,
        municipal_basis=basis,
        valid_from=valid_from,
        actor=None,
    )


def money(qs):
    return qs.aggregate(s=Sum("amount"))["s"] or Decimal("0.00")


@pytest.mark.parametrize(
    "variant,basis",
    [
        (FinancingVariant.EMPLOYER, MunicipalBasis.POPULATION),
        (FinancingVariant.GOVERNMENT_SPLIT, MunicipalBasis.POPULATION),
        (FinancingVariant.GOVERNMENT_SPLIT, MunicipalBasis.RESIDENCE),
        (FinancingVariant.STATE_PER_NEWCOMER, MunicipalBasis.POPULATION),
    ],
)
def test_three_variants_on_the_same_visits_cost_the_same_in_total(desk, population, variant, basis):
    choose(desk, variant, basis)
    visits(desk)
    employer_total = money(FeeLine.objects.all())
    claimed = money(ClaimLine.objects.all())
    assert employer_total + claimed == Decimal("200.00")  # 4 visits x EUR 50
    if variant == FinancingVariant.EMPLOYER:
        assert claimed == 0 and FundedService.objects.count() == 0
        return
    assert employer_total == 0  # the employer is not charged
    statements = claim_quarter_issue(quarter=f"{YEAR}-Q2", actor=None)
    assert sum(s.total for s in statements) == Decimal("200.00")
    if variant == FinancingVariant.STATE_PER_NEWCOMER:
        assert [s.party for s in statements] == ["state"]
        assert all(line.record_id for line in ClaimLine.objects.all())
        return
    by_party = {s.party_key: s.total for s in statements}
    assert by_party["state"] == Decimal("100.00")
    assert by_party["province"] == Decimal("50.00")
    assert sum(t for k, t in by_party.items() if k.startswith("GM")) == Decimal("50.00")
    # Every euro traces to one funded service of one visit, whose parts sum to its amount.
    for funded in FundedService.objects.all():
        assert money(funded.claim_lines.all()) == funded.amount == Decimal("50.00")
        assert {line.appointment_id for line in funded.claim_lines.all()} == {funded.appointment_id}
    if basis == MunicipalBasis.RESIDENCE:
        # Tilburg (outside the region) pays for its own resident.
        assert by_party["GM0855"] == Decimal("12.50")


def test_split_of_an_awkward_amount_is_exact_to_the_cent(desk, population):
    from counter.services.fees import tariff_create

    tariff_create(
        service=f.service("welcome"),
        amount=Decimal("33.33"),
        valid_from=dt.date(YEAR, 2, 1),
        actor=None,
        supersede=True,
    )
    choose(desk, FinancingVariant.GOVERNMENT_SPLIT)
    visits(desk, days=Q2[:1])
    funded = FundedService.objects.get()
    lines = list(funded.claim_lines.all())
    assert sum(line.amount for line in lines) == Decimal("33.33")
    state = next(x for x in lines if x.party == "state")
    assert state.amount == Decimal("16.67")  # largest remainder
    assert len([x for x in lines if x.party == "municipality"]) > 1


def test_switch_mid_quarter_claims_only_the_government_half(desk, population):
    choose(desk, FinancingVariant.EMPLOYER)
    choose(desk, FinancingVariant.STATE_PER_NEWCOMER, valid_from=dt.date(YEAR, 5, 1))
    visits(desk)
    # April: the employer pays; from May: the state per newcomer.
    assert FeeLine.objects.count() == 2
    assert money(FeeLine.objects.all()) == Decimal("100.00")
    assert money(ClaimLine.objects.all()) == Decimal("100.00")
    assert set(ClaimLine.objects.values_list("service_date", flat=True)) == {Q2[2], Q2[3]}


def test_statements_are_immutable_numbered_and_downloadable(desk, population):
    choose(desk, FinancingVariant.GOVERNMENT_SPLIT, MunicipalBasis.RESIDENCE)
    visits(desk)
    statements = claim_quarter_issue(quarter=f"{YEAR}-Q2", actor=None)
    numbers = sorted(s.number for s in statements)
    assert numbers == [f"{YEAR}-C{n:05d}" for n in range(1, len(statements) + 1)]
    statement = statements[0]
    statement.total = Decimal("1.00")
    with pytest.raises(ImmutableError):
        statement.save()
    with pytest.raises(ImmutableError):
        ClaimStatement.objects.update(total=Decimal("0"))
    with pytest.raises(ImmutableError):
        ClaimLine.objects.update(amount=Decimal("0"))
    assert not ClaimLine.objects.filter(statement_link__isnull=True).exists()
    for fmt in ("pdf", "csv", "xlsx"):
        content, name = claim_export(statements[0], fmt)
        assert content and name.endswith(fmt)
    csv = claim_export(statements[0], "csv")[0].decode()
    assert "Kowalski" not in csv and "V-" in csv
    # Issuing again is refused; nothing changes.
    from core.exceptions import Conflict

    with pytest.raises(Conflict):
        claim_quarter_issue(quarter=f"{YEAR}-Q2", actor=None)
    assert ClaimStatement.objects.count() == len(statements)


def test_unfinished_quarter_is_refused(desk):
    from core.exceptions import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        claim_quarter_issue(quarter="2026-Q4", actor=None, today=dt.date(2026, 12, 31))
    assert exc.value.code == "period_not_ended"
    with pytest.raises(ValidationFailed):
        claim_quarter_issue(quarter="2026-Q5", actor=None)
    assert not ClaimStatement.objects.exists()


def test_population_basis_needs_population_figures(desk):
    from core.exceptions import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        choose(desk, FinancingVariant.GOVERNMENT_SPLIT)
    assert exc.value.code == "financing_population_missing"


def test_municipality_sees_only_its_own_claim_statements(desk, client, population):
    choose(desk, FinancingVariant.GOVERNMENT_SPLIT, MunicipalBasis.RESIDENCE)
    visits(desk)
    statements = claim_quarter_issue(quarter=f"{YEAR}-Q2", actor=None)
    own = next(s for s in statements if s.party_key == "GM0826")
    other = next(s for s in statements if s.party_key == "GM0758")
    state = next(s for s in statements if s.party_key == "state")
    user = f.user(Role.MUNICIPALITY, municipality=f.municipality("GM0826"))
    client.force_login(user)
    page = client.get("/counter/settlement/claims/")
    assert page.status_code == 200
    assert own.number in page.content.decode()
    assert other.number not in page.content.decode()
    assert client.get(f"/counter/settlement/claims/{own.pk}/csv").status_code == 200
    assert client.get(f"/counter/settlement/claims/{other.pk}/csv").status_code == 404
    assert client.get(f"/counter/settlement/claims/{state.pk}/pdf").status_code == 404
    assert (
        client.post("/counter/settlement/claims/issue/", {"quarter": "2025-Q3"}).status_code == 404
    )


def test_coordinator_runs_a_quarter_from_the_page(desk, client, population):
    choose(desk, FinancingVariant.STATE_PER_NEWCOMER)
    visits(desk)
    client.force_login(f.user(Role.COORDINATOR))
    refused = client.post("/counter/settlement/claims/issue/", {"quarter": "2099-Q1"}, follow=True)
    assert not ClaimStatement.objects.exists()
    assert "has not ended" in refused.content.decode()
    done = client.post("/counter/settlement/claims/issue/", {"quarter": f"{YEAR}-Q2"}, follow=True)
    statement = ClaimStatement.objects.get()
    assert statement.total == Decimal("200.00")
    assert statement.number in done.content.decode()
    assert client.get(f"/counter/settlement/claims/{statement.pk}/xlsx").status_code == 200


def test_api_answers_a_government_paid_extra_service_with_its_funded_record(desk, client):
    """Under a government variant the fee-add API writes no fee line for the employer and
    answers the documented FundedServiceOut shape (id null, the funded record)."""
    choose(desk, FinancingVariant.GOVERNMENT_SPLIT, basis=MunicipalBasis.RESIDENCE)
    record, _lines = registration(loc=desk, day=Q2[0], residence="GM0758", hook=False)
    visit = record.leg.appointment
    client.force_login(f.user(Role.COORDINATOR))
    response = client.post(
        f"/api/v1/counter/visits/{visit.pk}/fees/",
        {"service": "welcome"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    funded = FundedService.objects.get(appointment=visit)
    assert body == {"id": None, "appointment": visit.pk, "funded_service": funded.pk}
    assert not FeeLine.objects.filter(appointment=visit).exists()


def test_statement_hash_covers_exactly_its_own_lines(desk, population):
    """The content hash is SHA-256 over the header and every line in (pk) order, with the
    amount to the cent; a negative reversal line is hashed with its sign."""
    from settlement.selectors.claims import claim_statement_verify

    choose(desk, FinancingVariant.GOVERNMENT_SPLIT, MunicipalBasis.RESIDENCE)
    visits(desk)
    first = ClaimLine.objects.filter(party="province").first()
    ClaimLine.objects.create(
        party="province",
        party_key="province",
        amount=-first.amount,
        variant=first.variant,
        reference=first.reference,
        service_date=Q2[3],
        appointment_id=first.appointment_id,
        funded_service_id=first.funded_service_id,
        financing_id=first.financing_id,
        reverses=first,
    )
    statements = claim_quarter_issue(quarter=f"{YEAR}-Q2", actor=None)
    assert not ClaimLine.objects.filter(statement_link__isnull=True).exists()
    for statement in statements:
        lines = list(statement.lines.order_by("pk"))
        assert {line.party_key for line in lines} == {statement.party_key}
        assert statement.line_count == len(lines)
        assert statement.total == sum(line.amount for line in lines)
        assert statement.content_hash == claim_statement_expected_hash(statement, lines)
        assert claim_statement_verify(statement)
    province = next(s for s in statements if s.party_key == "province")
    assert province.total == Decimal("37.50") and province.line_count == 5
