"""Issuing a large quarter of claim lines: every statement's total, count and hash match its
own lines to the cent, every line dated up to the quarter's end is on exactly one statement,
and the issue reads the lines once and links them in one statement (no per-line work in the
database driver: the membership rows go in by one COPY on PostgreSQL, from one JSON parameter
on SQLite; an SQLite date is not parsed per line)."""

import datetime as dt
import sqlite3
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Sum
from django.test.utils import CaptureQueriesContext

from counter.models import FinancingVariant, FundedService, MunicipalBasis
from counter.services.financing import financing_choice_create, region_municipalities
from scheduling.models import ServiceType
from settlement.models import ClaimLine, ClaimStatement, ClaimStatementLine
from settlement.selectors.claims import claim_lines_digest, claim_statement_verify
from settlement.services.claims import claim_quarter_issue, claim_reference
from tests import factories as f
from tests.settlement.helpers import claim_statement_expected_hash

pytestmark = pytest.mark.django_db

YEAR = 2025
QUARTER = f"{YEAR}-Q2"
END = dt.date(YEAR, 6, 30)
# Awkward amounts: a cent, negative amounts under and over a euro, seven digits, odd cents.
AMOUNTS = [
    Decimal("25.00"),
    Decimal("12.50"),
    Decimal("0.01"),
    Decimal("-0.05"),
    Decimal("-12.30"),
    Decimal("1234567.89"),
    Decimal("3.07"),
    Decimal("-100.00"),
    Decimal("0.10"),
]
LINES = 3_000


@pytest.fixture
def lines(desk):
    """LINES claim lines for the state, the province and four municipalities, dated from
    the first quarter (late lines) through the third (not yet claimable), bulk-created."""
    choice = financing_choice_create(
        region=desk.region,
        variant=FinancingVariant.GOVERNMENT_SPLIT,
        municipal_basis=MunicipalBasis.RESIDENCE,
        valid_from=dt.date(YEAR, 1, 1),
        actor=None,
    )
    appointment = f.appointment(
        loc=desk, start=f.aware(dt.date(YEAR, 4, 1), 10), codes=["brp"], cl=f.client()
    )
    funded = FundedService.objects.create(
        appointment=appointment,
        service=ServiceType.objects.filter(kind="extra").first(),
        financing=choice,
        amount=Decimal("50.00"),
        service_date=dt.date(YEAR, 4, 1),
    )
    municipalities = list(region_municipalities(desk.region).order_by("cbs_code")[:4])
    parties = [("state", None), ("province", None)] + [("municipality", m) for m in municipalities]
    first = dt.date(YEAR, 2, 1)
    rows = []
    for n in range(LINES):
        party, municipality = parties[n % len(parties)]
        rows.append(
            ClaimLine(
                party=party,
                municipality=municipality,
                party_key=municipality.cbs_code if municipality else party,
                amount=AMOUNTS[n % len(AMOUNTS)],
                variant=choice.variant,
                reference=claim_reference("V", 5_000_000 + n),
                service_date=first + dt.timedelta(days=(n * 7) % 200),  # Feb to mid-August
                appointment_id=appointment.pk,
                funded_service=funded,
                financing=choice,
            )
        )
    ClaimLine.objects.bulk_create(rows, batch_size=1000)
    return ClaimLine.objects.all()


def assert_issued_exactly(statements, all_lines):
    claimable = all_lines.filter(service_date__lte=END)
    assert len(statements) == 6
    # Each claimable line on exactly one statement (the line is the membership's primary
    # key), no later line on any.
    assert ClaimStatementLine.objects.count() == claimable.count()
    assert set(ClaimStatementLine.objects.values_list("line_id", flat=True)) == set(
        claimable.values_list("pk", flat=True)
    )
    assert not all_lines.filter(service_date__gt=END, statement_link__isnull=False).exists()
    for statement in statements:
        lines = list(statement.lines.order_by("pk"))
        assert lines and {line.party_key for line in lines} == {statement.party_key}
        assert {line.municipality_id for line in lines} == {statement.municipality_id}
        assert statement.line_count == len(lines)
        assert statement.total == sum((line.amount for line in lines), Decimal("0.00"))
        assert statement.content_hash == claim_statement_expected_hash(statement, lines)
        assert claim_statement_verify(statement)
    by_key = claimable.values("party_key").annotate(total=Sum("amount"), count=Count("pk"))
    assert {(r["party_key"], r["total"], r["count"]) for r in by_key} == {
        (s.party_key, s.total, s.line_count) for s in statements
    }


def test_a_large_quarter_is_claimed_to_the_cent_each_line_on_exactly_one_statement(lines):
    with CaptureQueriesContext(connection) as queries:
        statements = claim_quarter_issue(quarter=QUARTER, actor=None)
    assert_issued_exactly(statements, lines)
    sql = [q["sql"] for q in queries.captured_queries]
    # The lines are read once, linked by one statement with one parameter; the statements
    # just written are not read back before the returned list.
    line_reads = [s for s in sql if s.startswith(("SELECT", "DECLARE")) and "claimline" in s]
    assert len(line_reads) == 1
    links = [s for s in sql if s.startswith(("INSERT", "COPY")) and "claimstatementline" in s]
    assert len(links) == 1
    if connection.vendor == "postgresql":
        assert links[0].startswith('COPY "settlement_claimstatementline"')
    else:
        assert "json_each" in links[0]
    assert len([s for s in sql if 'FROM "settlement_claimstatement"' in s]) == 1
    # The next quarter's issue claims the later lines only.
    later = claim_quarter_issue(quarter=f"{YEAR}-Q3", actor=None)
    assert sum(s.line_count for s in later) == lines.filter(service_date__gt=END).count()
    assert ClaimStatementLine.objects.count() == LINES


def test_statement_ids_are_read_back_where_the_database_returns_none(lines, monkeypatch):
    """Without INSERT ... RETURNING (SQLite before 3.35) the statements' ids are read back."""
    monkeypatch.setattr(
        type(connection.features), "can_return_rows_from_bulk_insert", False, raising=False
    )
    statements = claim_quarter_issue(quarter=QUARTER, actor=None)
    assert_issued_exactly(statements, lines)


def test_a_line_claimed_meanwhile_rolls_the_whole_issue_back(lines, monkeypatch):
    """Another issue claiming a hashed line between the read and the link: ``busy``, and no
    statement, run or membership row of this issue stays."""
    from core.exceptions import Conflict
    from settlement.services import claims

    def digest_then_claim(unclaimed):
        rows = list(claim_lines_digest(unclaimed))
        ClaimStatementLine.objects.create(line_id=rows[0][6][0], statement_id=999_999)
        yield from rows

    monkeypatch.setattr(claims, "claim_lines_digest", digest_then_claim)
    with pytest.raises(Conflict) as error:
        claim_quarter_issue(quarter=QUARTER, actor=None)
    assert error.value.code == "busy"
    assert not ClaimStatement.objects.exists()
    assert not ClaimStatementLine.objects.exists()
    from settlement.models import ClaimRun

    assert not ClaimRun.objects.exists()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's date converter")
def test_sqlite_dates_are_hashed_from_their_stored_text_not_parsed_per_line(lines):
    from django.db.backends.sqlite3.base import decoder
    from django.utils.dateparse import parse_date

    parsed = []

    def counting(value):
        parsed.append(value)
        return parse_date(value.decode())

    sqlite3.register_converter("date", counting)
    try:
        digests = list(claim_lines_digest(ClaimLine.objects.filter(service_date__lte=END)))
    finally:
        sqlite3.register_converter("date", decoder(parse_date))
    assert digests and parsed == []
    statements = claim_quarter_issue(quarter=QUARTER, actor=None)
    assert_issued_exactly(statements, lines)
