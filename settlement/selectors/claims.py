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
from django.db.models import BigIntegerField, CharField, Exists, F, OuterRef, QuerySet
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
    ISO both for the driver's date and for SQLite's stored text). sqlite3 itself still
    converts a plain column declared ``date`` (Django registers converters by declared type):
    select such a column through an expression there (see ``claim_lines_digest``)."""
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
    the SHA-256 of its lines in pk order and their pks. Streams plain values: the amount comes
    from the database in whole cents, so no row becomes a model or a Decimal and no value passes
    a converter. The database does not sort (on PostgreSQL a quarter's sort by party key spilled
    to disk): rows are grouped by key here and each key's rows sorted by pk. Each key's lines
    are joined into one text and hashed at once; an amount or a date is formatted once per
    distinct value (a quarter has a few amounts and at most 92 dates, and ~40,000 lines)."""
    day = F("service_date")
    if connections[lines.db].vendor == "sqlite":
        # The column's stored ISO text as it is: sqlite3 would parse every value of a column
        # declared "date" with Django's converter (PARSE_DECLTYPES); an expression has no
        # declared type. (PostgreSQL's cast to text would follow the session's DateStyle.)
        day = Cast("service_date", CharField())
    rows = (
        lines.order_by()
        .annotate(day=day, cents=Cast(Round(F("amount") * 100), BigIntegerField()))
        .values_list(
            "party_key",
            "party",
            "municipality_id",
            "pk",
            "reference",
            "variant",
            "day",  # the annotations last: their columns come after the fields in the SQL
            "cents",
        )
    )
    groups: dict[str, list[tuple]] = defaultdict(list)
    for row in _driver_rows(rows):
        groups[row[0]].append(row)
    amounts = _FormatCache(_cents_text)
    days = _FormatCache(str)
    for key in sorted(groups):
        group = groups.pop(key)
        group.sort(key=itemgetter(3))
        # party and municipality are the same on every line of one key.
        _key, party, municipality_id = group[0][:3]
        body = "".join(
            [
                f"{pk}|{amounts[cents]}|{reference}|{days[day]}|{variant}\n"
                for _k, _p, _m, pk, reference, variant, day, cents in group
            ]
        )
        total = sum(row[7] for row in group)
        pks = [row[3] for row in group]
        digest = hashlib.sha256(body.encode()).digest()
        yield key, party, municipality_id, _cents_to_money(total), len(group), digest, pks


def _cents_text(cents: int) -> str:
    """The canonical amount of a hashed line: euros and two cent digits, with sign."""
    sign, value = ("-", -cents) if cents < 0 else ("", cents)
    return f"{sign}{value // 100}.{value % 100:02d}"


class _FormatCache(dict):
    """``cache[value]``: ``format(value)``, computed once per distinct value."""

    def __init__(self, format_):
        super().__init__()
        self.format = format_

    def __missing__(self, value):
        text = self[value] = self.format(value)
        return text


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
