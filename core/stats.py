"""Statistics: one registry of tables, one way to publish them (docs/statistics.md).

Each app lists its tables in ``AppConfig.statistics_tables`` as dotted paths to selectors
``table(*, period: Period, scope: StatsScope) -> StatTable | None`` (None: not for this
scope); the selector's name is the table's key in URLs and file names. ``stats_tables`` collects and runs them; ``stats_publish`` applies small-count
suppression (core.suppression) and gives what the page, the SVG chart and the CSV/XLSX
downloads show. Core imports no app: the selectors are found through the app registry.

Publishing rules:
- count columns are suppressed together as one matrix (rows x count columns), with a row
  total when ``row_totals`` (the count columns partition the row) and a totals row when
  ``column_totals``;
- a derived column (share, rate, duration, amount marked ``derived``) in a row holding a
  hidden count is hidden too: a rate computed from "<5" would give the count away;
- ``coordinators_only`` tables (e.g. no-shows per employer) never reach another scope.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField, Func, Q, Window
from django.db.models.functions import RowNumber
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core.dates import days_bounds
from core.exports import Table
from core.suppression import COMPLEMENTARY, Hidden, cell_text, suppress_matrix

LABEL = "label"
COUNT = "count"
SHARE = "share"  # Decimal percentage, derived
SECONDS = "seconds"  # a duration in seconds, derived from the row's count
AMOUNT = "amount"  # Decimal euros; derived only when ``derived`` is set
DERIVED_KINDS = {SHARE, SECONDS}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @property
    def moments(self) -> tuple[dt.datetime, dt.datetime]:
        """Aware Amsterdam datetimes [start, end + 1 day): a range an index can use (a
        ``__date`` lookup is a function per row on SQLite)."""
        return days_bounds(self.start, self.end)

    def months(self) -> list[tuple[str, dt.date, dt.date]]:
        """``("YYYY-MM", first, last)`` for each calendar month the period touches, clipped
        to the period (inclusive days)."""
        months, first = [], self.start.replace(day=1)
        while first <= self.end:
            following = first.replace(
                year=first.year + first.month // 12, month=first.month % 12 + 1
            )
            last = following - dt.timedelta(days=1)
            months.append((first.strftime("%Y-%m"), max(first, self.start), min(last, self.end)))
            first = following
        return months


@dataclass(frozen=True)
class StatsScope:
    """All figures (coordinator) or those of one municipality (municipality user)."""

    municipality_id: int | None = None

    @property
    def everything(self) -> bool:
        return self.municipality_id is None


@dataclass
class Column:
    key: str  # snake_case: the CSV header
    label: str  # translated: the page and XLSX header
    kind: str = COUNT
    derived: bool = False

    @property
    def hides_with_row(self) -> bool:
        return self.kind in DERIVED_KINDS or self.derived


@dataclass
class StatTable:
    title: str
    columns: list[Column]
    rows: list[list] = field(default_factory=list)
    key: str = ""  # set by stats_tables: the selector's name
    row_totals: bool = False
    column_totals: bool = True
    coordinators_only: bool = False
    note: str = ""


@dataclass
class PublishedTable:
    key: str
    title: str
    columns: list[Column]
    rows: list[list]  # values: str, int, Decimal, Hidden, None
    footer: list | None
    note: str
    chart: list[tuple[str, object]]  # (label, count or Hidden)

    def export(self) -> Table:
        def value(v):
            return str(v) if isinstance(v, Hidden) else v

        return Table(
            columns=[c.key for c in self.columns],
            headers=[c.label for c in self.columns],
            rows=[[value(v) for v in row] for row in self.rows],
            footer=[value(v) for v in self.footer] if self.footer else None,
            title=self.title,
        )


def statistics_table_paths() -> list[str]:
    paths: list[str] = []
    for config in apps.get_app_configs():
        paths.extend(getattr(config, "statistics_tables", ()))
    return paths


def stats_publish(table: StatTable) -> PublishedTable:
    count_idx = [i for i, c in enumerate(table.columns) if c.kind == COUNT]
    # Count columns may come from configuration (advice topics): with none, no totals.
    row_totals = table.row_totals and bool(count_idx)
    columns = table.columns + ([Column("total", _("Total"), COUNT)] if row_totals else [])
    matrix = [[int(row[i] or 0) for i in count_idx] for row in table.rows]
    result = suppress_matrix(
        matrix,
        row_totals=row_totals,
        column_totals=table.column_totals and bool(count_idx),
    )
    rows = []
    for r, raw in enumerate(table.rows):
        row = list(raw)
        for position, i in enumerate(count_idx):
            row[i] = result.cells[r][position]
        hidden = next((row[i] for i in count_idx if isinstance(row[i], Hidden)), None)
        if hidden is not None:
            row = [
                Hidden(COMPLEMENTARY, hidden.below) if c.hides_with_row and v is not None else v
                for c, v in zip(table.columns, row, strict=True)
            ]
        if result.row_totals is not None:
            row.append(result.row_totals[r])
        rows.append(row)
    footer = None
    if result.column_totals is not None and table.rows:
        footer = [None] * len(columns)
        footer[0] = _("Total")
        for position, i in enumerate(count_idx):
            footer[i] = result.column_totals[position]
        if result.row_totals is not None:
            footer[-1] = result.grand_total
    chart_idx = len(columns) - 1 if row_totals else (count_idx[0] if count_idx else None)
    chart = [] if chart_idx is None else [(cell_text(row[0]), row[chart_idx]) for row in rows]
    return PublishedTable(
        key=table.key,
        title=table.title,
        columns=columns,
        rows=rows,
        footer=footer,
        note=table.note,
        chart=chart,
    )


def stats_tables(*, period: Period, scope: StatsScope, only: str = "") -> list[PublishedTable]:
    """Every registered table for the period and scope, published (suppressed)."""
    published = []
    for path in statistics_table_paths():
        key = path.rsplit(".", 1)[-1]
        if only and key != only:
            continue
        table = import_string(path)(period=period, scope=scope)
        if table is None or (table.coordinators_only and not scope.everything):
            continue
        table.key = key
        published.append(stats_publish(table))
    return published


def share(part: int, whole: int) -> Decimal | None:
    """``part`` as a percentage of ``whole``, one decimal (None when ``whole`` is 0)."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def count_per_month(
    queryset, *, field: str, period: Period, by: tuple[str, ...] = (), aware: bool = True
) -> dict[tuple, int]:
    """``{(month "YYYY-MM", *by values): count}`` for every month of the period.

    One query: a conditional count per month over half-open ranges of ``field`` (local
    midnights for an aware datetime field, days for a date field), grouped by ``by``. No
    per-row month or time-zone function (TruncMonth on a datetime is one per row), so an
    index on ``field`` serves and the cost is a comparison per row and month.
    """
    aggregates = {}
    for i, (_label, first, last) in enumerate(period.months()):
        low, high = days_bounds(first, last) if aware else (first, last + dt.timedelta(days=1))
        aggregates[f"m{i}"] = Count("pk", filter=Q(**{f"{field}__gte": low, f"{field}__lt": high}))
    if by:
        rows = queryset.values(*by).annotate(**aggregates).order_by()
    else:
        rows = [queryset.aggregate(**aggregates)]
    counts = {}
    for row in rows:
        group = tuple(row[name] for name in by)
        for i, (label, _first, _last) in enumerate(period.months()):
            counts[(label, *group)] = row[f"m{i}"] or 0
    return counts


def monthly_share_table(
    *,
    title: str,
    counts: dict[tuple, int],
    period: Period,
    pair: tuple[tuple[str, str, str], tuple[str, str, str]],
    share_column: tuple[str, str],
) -> StatTable:
    """Two counts per month (``counts`` from ``count_per_month`` grouped by one field) and the
    second's share of both. ``pair``: ``(value, key, label)`` for each count column;
    ``share_column``: ``(key, label)``."""
    (first_value, first_key, first_label), (second_value, second_key, second_label) = pair
    rows = []
    for month, _first, _last in period.months():
        a = counts.get((month, first_value), 0)
        b = counts.get((month, second_value), 0)
        rows.append([month, a, b, share(b, a + b)])
    return StatTable(
        title=title,
        columns=[
            Column("month", _("Month"), LABEL),
            Column(first_key, first_label),
            Column(second_key, second_label),
            Column(share_column[0], share_column[1], SHARE),
        ],
        rows=rows,
        row_totals=True,
    )


class SecondsBetween(Func):
    """``end - start`` of two datetime columns in seconds (float), computed natively:
    julianday on SQLite (Django's datetime subtraction there is a Python function per
    row), EXTRACT(EPOCH) on PostgreSQL."""

    output_field = FloatField()
    arity = 2
    template = "CAST(EXTRACT(EPOCH FROM (%(expressions)s)) AS double precision)"
    arg_joiner = " - "

    def __init__(self, start, end, **extra):
        super().__init__(end, start, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra,
        )


class PercentileDisc(Aggregate):
    """PostgreSQL's ``percentile_disc(p) WITHIN GROUP (ORDER BY value)``: the first value
    whose cumulative share reaches p, i.e. the nearest rank ceil(n * p)."""

    function = "percentile_disc"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), **extra)


def percentiles_by(
    queryset, *, value, by: tuple[str, ...], fractions: tuple[float, ...] = (0.5, 0.9)
) -> dict[tuple, dict]:
    """Nearest-rank percentiles (the value at rank ceil(n * p), at least 1) of ``value``
    per group, computed in the database: ``{group: {"n": count, fraction: value, ...}}``.

    PostgreSQL: one aggregate per fraction (percentile_disc), one row per group. Elsewhere
    (SQLite): window functions rank each row within its group and only the rows at the
    wanted ranks come back, two per group whatever the history. Same figures either way
    (tests/stats run on both).
    """
    if connection.vendor == "postgresql":
        aggregates = {f"p{i}": PercentileDisc(value, f) for i, f in enumerate(fractions)}
        rows = queryset.values(*by).annotate(stat_n=Count("pk"), **aggregates).order_by()
        return {
            tuple(row[name] for name in by): {
                "n": row["stat_n"],
                **{f: row[f"p{i}"] for i, f in enumerate(fractions)},
            }
            for row in rows
        }
    partition = [F(name) for name in by]
    ranked = queryset.annotate(
        stat_value=value,
        stat_rank=Window(RowNumber(), partition_by=partition, order_by=F("stat_value").asc()),
        stat_n=Window(Count("pk"), partition_by=partition),
    )
    wanted = Q()
    for fraction in fractions:
        wanted |= Q(stat_rank=(F("stat_n") * int(fraction * 100) + 99) / 100)
    result: dict[tuple, dict] = {}
    for row in ranked.filter(wanted).values_list(*by, "stat_rank", "stat_n", "stat_value"):
        group, rank, n, found = tuple(row[: len(by)]), row[-3], row[-2], row[-1]
        figures = result.setdefault(group, {"n": n})
        for fraction in fractions:
            if rank == max(1, -(-int(fraction * 100) * n // 100)):
                figures[fraction] = found
    return result
