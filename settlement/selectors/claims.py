"""Reads for the government claims: quarters, scoping (a municipality sees only its own
claim statements; coordinators see all), lines of a statement. Never writes."""

import datetime as dt
import hashlib
import re
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal
from operator import itemgetter

from django.db import connections
from django.db.models import BigIntegerField, Exists, F, OuterRef, QuerySet
from django.db.models.functions import Cast, Round
from django.http import Http404
from django.utils.translation import gettext as _

from core.exceptions import ValidationFailed
from core.roles import is_coordinator, user_municipality
from settlement.errors import SettlementError
from settlement.models import ClaimLine, ClaimParty, ClaimStatement, ClaimStatementLine

QUARTER_RE = re.compile(r"^([0-9]{4})-Q([1-4])$")


def quarter_bounds(quarter: str) -> tuple[dt.date, dt.date]:
    """First and last day of ``YYYY-Qn``; a clear error for anything else."""
    match = QUARTER_RE.match(quarter or "")
    if not match or not 2000 <= int(match.group(1)) <= 2999:
        raise ValidationFailed(
            _("Give a quarter as YYYY-Qn, for example 2025-Q1."),
            code=SettlementError.QUARTER_INVALID,
        )
    year, number = int(match.group(1)), int(match.group(2))
    start = dt.date(year, 3 * number - 2, 1)
    end = (
        dt.date(year + 1, 1, 1) if number == 4 else dt.date(year, 3 * number + 1, 1)
    ) - dt.timedelta(days=1)
    return start, end


def quarter_of(day: dt.date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def last_ended_quarter(today: dt.date) -> str:
    start, _end = quarter_bounds(quarter_of(today))
    return quarter_of(start - dt.timedelta(days=1))


def claim_statements_for_user(user) -> QuerySet[ClaimStatement]:
    qs = ClaimStatement.objects.select_related("municipality")
    if is_coordinator(user):
        return qs
    municipality = user_municipality(user)
    if municipality is not None:
        return qs.filter(party=ClaimParty.MUNICIPALITY, municipality=municipality)
    return qs.none()


def claim_statement_for_user_or_404(user, pk) -> ClaimStatement:
    statement = claim_statements_for_user(user).filter(pk=pk).first()
    if statement is None:
        raise Http404
    return statement


def claim_statement_lines(statement: ClaimStatement) -> QuerySet[ClaimLine]:
    return statement.lines.order_by("pk")


def claim_lines_unclaimed(end: dt.date) -> QuerySet[ClaimLine]:
    """Lines dated up to ``end`` on no statement yet (an anti-join on the membership rows)."""
    return ClaimLine.objects.filter(
        ~Exists(ClaimStatementLine.objects.filter(line_id=OuterRef("pk"))),
        service_date__lte=end,
    )


# --- Content hash --------------------------------------------------------------------------
# SHA-256 over "quarter|party key|total|line count\n" followed by the SHA-256 of the lines,
# each "pk|amount|reference|YYYY-MM-DD|variant\n" in pk order (amount to the cent, with sign).


def _cents_to_money(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _driver_rows(rows: QuerySet, chunk_size: int = 10_000) -> Iterator[tuple]:
    """The rows of a ``values_list`` query as the database driver returns them, in chunks
    (a server-side cursor on PostgreSQL), without Django's per-value converters: the caller
    selects only values that need none (integers, text; a date is ``str()``-ed, which gives
    ISO both for the driver's date and for SQLite's stored text)."""
    connection = connections[rows.db]
    sql, params = rows.query.get_compiler(using=rows.db).as_sql()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while chunk := cursor.fetchmany(chunk_size):
            yield from chunk


def claim_lines_digest(
    lines: QuerySet[ClaimLine],
) -> Iterator[tuple[str, str, int | None, Decimal, int, bytes, list[int]]]:
    """Per party key of ``lines`` (in key order): party, municipality id, total, line count,
    the SHA-256 of its lines in pk order and their pks. Streams plain values: the amount comes from the
    database in whole cents, so no row becomes a model or a Decimal and no value passes a
    converter. The database does not sort (on PostgreSQL a quarter's sort by party key spilled
    to disk): rows are grouped by key here and each key's rows sorted by pk."""
    rows = (
        lines.order_by()
        .annotate(cents=Cast(Round(F("amount") * 100), BigIntegerField()))
        .values_list(
            "party_key",
            "party",
            "municipality_id",
            "pk",
            "reference",
            "service_date",
            "variant",
            "cents",  # last: the annotation's column comes after the fields in the SQL
        )
    )
    groups: dict[str, list[tuple]] = defaultdict(list)
    parties: dict[str, tuple[str, int | None]] = {}
    for key, party, municipality_id, pk, reference, day, variant, cents in _driver_rows(rows):
        groups[key].append((pk, cents, reference, day, variant))
        # party and municipality are the same on every line of one key.
        parties[key] = (party, municipality_id)
    for key in sorted(groups):
        group = groups.pop(key)
        group.sort(key=itemgetter(0))
        total = sum(row[1] for row in group)
        body = hashlib.sha256()
        for pk, cents, reference, day, variant in group:
            sign, value = ("-", -cents) if cents < 0 else ("", cents)
            body.update(
                f"{pk}|{sign}{value // 100}.{value % 100:02d}|{reference}|{day}"
                f"|{variant}\n".encode()
            )
        party, municipality_id = parties[key]
        pks = [row[0] for row in group]
        yield key, party, municipality_id, _cents_to_money(total), len(group), body.digest(), pks


def claim_statement_hash(quarter: str, key: str, total: Decimal, count: int, body: bytes) -> str:
    header = f"{quarter}|{key}|{total}|{count}\n".encode()
    return hashlib.sha256(header + body).hexdigest()


def claim_statement_verify(statement: ClaimStatement) -> bool:
    """Whether the statement's hash, total and count still match its lines."""
    for key, _party, _m, total, count, body, _pks in claim_lines_digest(statement.lines.all()):
        return (
            key == statement.party_key
            and total == statement.total
            and count == statement.line_count
            and claim_statement_hash(statement.quarter, key, total, count, body)
            == statement.content_hash
        )
    return statement.line_count == 0
