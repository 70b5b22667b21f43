"""Crediting a funded extra service after its quarter was claimed: the next quarter's claim
statement carries the credit lines (negative, each referencing its original); the issued
statement is never touched. The three financing variants on the same visits."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from core.exceptions import Conflict, ValidationFailed
from counter.models import FeeLine, FinancingVariant, FundedService, MunicipalBasis
from counter.services.fees import fee_line_credit
from counter.services.financing import funded_service_void
from settlement.models import ClaimLine
from settlement.selectors.claims import claim_statement_verify
from settlement.services.claims import claim_line_reverse_newcomer, claim_quarter_issue
from tests.settlement.test_claims import YEAR, choose, money, population, visits  # noqa: F401

# population: the CBS figures fixture of test_claims (imported above).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("population")]

AMS = ZoneInfo("Europe/Amsterdam")
VOID_AT = dt.datetime(YEAR, 8, 12, 11, 0, tzinfo=AMS)  # in Q3, after Q2 was claimed
AFTER_Q3 = dt.date(YEAR, 10, 1)


def snapshot(statements):
    return {s.pk: (s.number, s.total, s.line_count, s.content_hash) for s in statements}


@pytest.mark.parametrize(
    "variant,basis",
    [
        (FinancingVariant.EMPLOYER, MunicipalBasis.POPULATION),
        (FinancingVariant.GOVERNMENT_SPLIT, MunicipalBasis.POPULATION),
        (FinancingVariant.GOVERNMENT_SPLIT, MunicipalBasis.RESIDENCE),
        (FinancingVariant.STATE_PER_NEWCOMER, MunicipalBasis.POPULATION),
    ],
)
def test_a_voided_service_is_credited_on_the_next_quarter_in_every_variant(desk, variant, basis):
    choose(desk, variant, basis)
    visits(desk)
    q2 = claim_quarter_issue(quarter=f"{YEAR}-Q2", actor=None)
    before = snapshot(q2)

    if variant == FinancingVariant.EMPLOYER:
        line = FeeLine.objects.order_by("pk").first()
        fee_line_credit(line=line, actor=None, reason="not given")
        # The employer's credit: one line, the negative of the charge.
        assert money(FeeLine.objects.all()) == Decimal("150.00")
        assert not ClaimLine.objects.exists()
        return

    funded = FundedService.objects.order_by("pk").first()
    if variant == FinancingVariant.STATE_PER_NEWCOMER:
        # The state pays per newcomer, not per service: voiding the service credits nothing;
        # voiding the registration does (in the quarter of the void).
        funded_service_void(funded=funded, actor=None, reason="not given", now=VOID_AT)
        assert not ClaimLine.objects.filter(amount__lt=0).exists()
        record = ClaimLine.objects.order_by("pk").first().record
        with time_machine.travel(VOID_AT, tick=False):
            claim_line_reverse_newcomer(record=record, actor=None)
        expected_credit = Decimal("-50.00")
    else:
        funded_service_void(funded=funded, actor=None, reason="not given", now=VOID_AT)
        expected_credit = -funded.amount

    credits = list(ClaimLine.objects.filter(amount__lt=0).select_related("reverses"))
    assert credits and sum(c.amount for c in credits) == expected_credit
    for credit in credits:
        original = credit.reverses
        assert credit.amount == -original.amount  # exact to the cent, part by part
        assert (credit.party_key, credit.reference) == (original.party_key, original.reference)
        assert original.statement in q2  # the original was claimed in Q2
        assert credit.statement is None and credit.service_date == VOID_AT.date()

    q3 = claim_quarter_issue(quarter=f"{YEAR}-Q3", actor=None, today=AFTER_Q3)
    assert sum(s.total for s in q3) == expected_credit
    for credit in credits:
        credit.refresh_from_db()
        assert credit.statement in q3
    # The Q2 statements are exactly as issued.
    for statement in q2:
        statement.refresh_from_db()
        assert claim_statement_verify(statement)
    assert snapshot(q2) == before
    # Net over both quarters: what the employer variant nets after its credit (3 x EUR 50).
    assert sum(s.total for s in q2) + sum(s.total for s in q3) == Decimal("150.00")


def test_a_funded_service_void_needs_a_reason_happens_once_and_credits_once(desk):
    choose(desk, FinancingVariant.GOVERNMENT_SPLIT)
    visits(desk)
    funded = FundedService.objects.order_by("pk").first()
    with pytest.raises(ValidationFailed) as err:
        funded_service_void(funded=funded, actor=None, reason="  ", now=VOID_AT)
    assert err.value.code == "reason_required"
    funded_service_void(funded=funded, actor=None, reason="not given", now=VOID_AT)
    with pytest.raises(Conflict):
        funded_service_void(funded=funded, actor=None, reason="again", now=VOID_AT)
    lines = funded.claim_lines.all()
    assert sum(line.amount for line in lines) == Decimal("0.00")  # (SQLite's SUM is a float)
    assert lines.filter(amount__lt=0).count() == lines.filter(amount__gt=0).count()
    funded.refresh_from_db()
    assert funded.amount == Decimal("50.00") and funded.voided_at == VOID_AT


def test_a_void_before_the_claim_cancels_out_on_the_same_statement(desk):
    choose(desk, FinancingVariant.GOVERNMENT_SPLIT)
    visits(desk)
    funded = FundedService.objects.order_by("pk").first()
    funded_service_void(
        funded=funded, actor=None, reason="not given", now=dt.datetime(YEAR, 6, 30, 12, tzinfo=AMS)
    )
    q2 = claim_quarter_issue(quarter=f"{YEAR}-Q2", actor=None)
    assert sum(s.total for s in q2) == Decimal("150.00")
    state = next(s for s in q2 if s.party_key == "state")
    assert state.line_count == 5  # 4 services + 1 credit


def test_the_void_reason_is_erased_after_the_retention_period(desk, settings):
    from counter.services.retention import counter_free_text_purge
    from scheduling.services.retention import REMOVED_NAME

    choose(desk, FinancingVariant.GOVERNMENT_SPLIT)
    visits(desk, days=[dt.date(YEAR, 4, 2)])
    funded = FundedService.objects.get()
    funded_service_void(funded=funded, actor=None, reason="wrong person", now=VOID_AT)
    counter_free_text_purge(now=VOID_AT + dt.timedelta(days=settings.DATA_RETENTION_DAYS - 1))
    funded.refresh_from_db()
    assert funded.void_reason == "wrong person"
    counter_free_text_purge(now=VOID_AT + dt.timedelta(days=settings.DATA_RETENTION_DAYS + 1))
    funded.refresh_from_db()
    assert funded.void_reason == REMOVED_NAME and funded.amount == Decimal("50.00")


def test_void_and_take_again_claims_the_service_once_to_the_cent(desk):
    """A service taken in error, voided and taken again on the same visit: the credits cancel
    the first service's lines part by part, the new lines claim it once more; per party the
    lines net exactly one service (an awkward amount, so the split has remainders)."""
    from counter.services.fees import fee_line_add, tariff_create
    from tests import factories as f

    welcome = f.service("welcome")
    tariff_create(
        service=welcome,
        amount=Decimal("33.33"),
        valid_from=dt.date(YEAR, 2, 1),
        actor=None,
        supersede=True,
    )
    choose(desk, FinancingVariant.GOVERNMENT_SPLIT)
    visits(desk, days=[dt.date(YEAR, 4, 2)])
    first = FundedService.objects.get()
    appointment = first.appointment
    first_lines = {line.pk: line for line in first.claim_lines.all()}
    assert len(first_lines) > 3  # state, province and more than one municipality

    funded_service_void(funded=first, actor=None, reason="taken in error", now=VOID_AT)
    again = fee_line_add(appointment=appointment, service=welcome, actor=None)
    assert again.pk != first.pk and again.amount == Decimal("33.33")

    credits = list(first.claim_lines.filter(reverses__isnull=False))
    assert sorted(c.reverses_id for c in credits) == sorted(first_lines)
    for credit in credits:
        assert credit.amount == -first_lines[credit.reverses_id].amount
    new_lines = list(again.claim_lines.all())
    assert sum(line.amount for line in new_lines) == Decimal("33.33")
    assert all(line.reverses_id is None for line in new_lines)
    # Per party: the original, its credit and the new line net to the new line alone, and
    # over every line of the visit exactly one service is claimed.
    everything = list(ClaimLine.objects.filter(appointment=appointment))
    by_party = {}
    for line in everything:
        by_party[line.party_key] = by_party.get(line.party_key, Decimal("0.00")) + line.amount
    assert by_party == {line.party_key: line.amount for line in new_lines}
    assert sum(line.amount for line in everything) == Decimal("33.33")
    q2 = claim_quarter_issue(quarter=f"{YEAR}-Q2", actor=None)
    q3 = claim_quarter_issue(quarter=f"{YEAR}-Q3", actor=None, today=AFTER_Q3)
    # Both services are dated the visit's day (Q2); the credits the day of the void (Q3).
    assert sum(s.total for s in q2) == Decimal("66.66")
    assert sum(s.total for s in q3) == Decimal("-33.33")
