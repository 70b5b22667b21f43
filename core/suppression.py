"""Small-count suppression for published statistics, so no person can be recognised.

Stable API (other apps rely on it; keep these signatures):

    suppress_threshold() -> int
        ``settings.STATS_SUPPRESS_BELOW`` (default 5): counts 1..threshold-1 are hidden.

    suppress_matrix(cells, *, threshold=None, row_totals=True, column_totals=True)
        -> SuppressedMatrix(cells, row_totals, column_totals, grand_total)
        ``cells`` is a list of rows of non-negative ints. Every value in the result is an
        ``int`` or a ``Hidden``. ``row_totals`` / ``column_totals`` say which totals are
        published (a list per row / per column, else ``None``); ``grand_total`` is published
        when either is.

    suppress_counts(counts, *, threshold=None, total=True)
        -> tuple[list[int | Hidden], int | Hidden | None]
        One column of counts with (optionally) its published total.

    is_hidden(value) -> bool
    cell_text(value) -> str          "<5" (small), "x" (complementary), else str(value)

    Hidden(reason, below)            frozen; ``reason`` is SMALL or COMPLEMENTARY;
                                     ``str(hidden)`` is what a reader sees.

Rules:

1. Primary: a count ``0 < n < threshold`` is shown as ``"<threshold"`` (e.g. ``"<5"``).
   Zero is shown: "nobody" recognises no one. A total is a count like any other.
2. Secondary (complementary): a published line (a row with its row total, a column with its
   column total) with exactly ONE hidden cell would give that cell away by subtraction. So
   the smallest still-visible positive cell of that line is hidden too (a zero when nothing
   positive is left; the line's total as a last resort), shown as ``"x"``. Repeated until
   no line has exactly one hidden cell (each step hides one more cell, so it ends).

This is the usual line-by-line heuristic (as in tau-argus's "hypercube" light); it does
not solve the full linear-programming attack on large tables, which is not needed for the
figures published here (docs/statistics.md).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

SMALL = "small"
COMPLEMENTARY = "complementary"
DEFAULT_THRESHOLD = 5


@dataclass(frozen=True)
class Hidden:
    """A suppressed cell. ``str()`` is what a reader sees ("<5" or "x")."""

    reason: str
    below: int

    def __str__(self) -> str:
        return f"<{self.below}" if self.reason == SMALL else "x"


@dataclass
class SuppressedMatrix:
    cells: list[list[int | Hidden]]
    row_totals: list[int | Hidden] | None
    column_totals: list[int | Hidden] | None
    grand_total: int | Hidden | None


def suppress_threshold() -> int:
    return int(getattr(settings, "STATS_SUPPRESS_BELOW", DEFAULT_THRESHOLD))


def is_hidden(value) -> bool:
    return isinstance(value, Hidden)


def cell_text(value) -> str:
    return "" if value is None else str(value)


def _pick_complement(line: list[tuple[int, int]], values, hidden, totals: set) -> tuple:
    """The cell to hide next in a line: smallest positive, then zero, then a total."""
    visible = [key for key in line if key not in hidden]
    for allowed in (
        lambda key: key not in totals and values[key] > 0,
        lambda key: key not in totals,
        lambda key: True,
    ):
        candidates = [key for key in visible if allowed(key)]
        if candidates:
            return min(candidates, key=lambda key: (values[key], key))
    return None


def _grid(cells, row_totals: bool, column_totals: bool):
    """The extended grid: row n_rows holds column totals, column n_cols holds row totals."""
    n_rows = len(cells)
    n_cols = len(cells[0]) if n_rows else 0
    values: dict[tuple[int, int], int] = {}
    for i, row in enumerate(cells):
        if len(row) != n_cols:
            raise ValueError("every row needs the same number of cells")
        for j, value in enumerate(row):
            if value < 0:
                raise ValueError("counts are never negative")
            values[i, j] = int(value)
    totals: set[tuple[int, int]] = set()
    if row_totals:
        for i in range(n_rows):
            values[i, n_cols] = sum(values[i, j] for j in range(n_cols))
            totals.add((i, n_cols))
    if column_totals:
        for j in range(n_cols):
            values[n_rows, j] = sum(values[i, j] for i in range(n_rows))
            totals.add((n_rows, j))
    if row_totals or column_totals:
        values[n_rows, n_cols] = sum(values[i, j] for i in range(n_rows) for j in range(n_cols))
        totals.add((n_rows, n_cols))
    return n_rows, n_cols, values, totals


def _lines(n_rows: int, n_cols: int, row_totals: bool, column_totals: bool):
    lines: list[list[tuple[int, int]]] = []
    if row_totals:
        # Each row sums to its total; the row totals sum to the grand total.
        lines += [[(i, j) for j in range(n_cols + 1)] for i in range(n_rows)]
        lines.append([(i, n_cols) for i in range(n_rows + 1)])
    if column_totals:
        # Each column sums to its total; the column totals sum to the grand total.
        lines += [[(i, j) for i in range(n_rows + 1)] for j in range(n_cols)]
        lines.append([(n_rows, j) for j in range(n_cols + 1)])
    return lines


def _hide(values, totals, lines, below: int) -> dict[tuple[int, int], str]:
    hidden = {key: SMALL for key, value in values.items() if 0 < value < below}
    changed = bool(hidden)
    while changed:
        changed = False
        for line in lines:
            if sum(1 for key in line if key in hidden) == 1:
                key = _pick_complement(line, values, hidden, totals)
                if key is not None:
                    hidden[key] = COMPLEMENTARY
                    changed = True
    return hidden


def suppress_matrix(
    cells: Sequence[Sequence[int]],
    *,
    threshold: int | None = None,
    row_totals: bool = True,
    column_totals: bool = True,
) -> SuppressedMatrix:
    below = suppress_threshold() if threshold is None else threshold
    n_rows, n_cols, values, totals = _grid(cells, row_totals, column_totals)
    hidden = _hide(values, totals, _lines(n_rows, n_cols, row_totals, column_totals), below)

    def shown(key):
        return Hidden(hidden[key], below) if key in hidden else values[key]

    any_total = row_totals or column_totals
    return SuppressedMatrix(
        cells=[[shown((i, j)) for j in range(n_cols)] for i in range(n_rows)],
        row_totals=[shown((i, n_cols)) for i in range(n_rows)] if row_totals else None,
        column_totals=[shown((n_rows, j)) for j in range(n_cols)] if column_totals else None,
        grand_total=shown((n_rows, n_cols)) if any_total else None,
    )


def suppress_counts(
    counts: Sequence[int], *, threshold: int | None = None, total: bool = True
) -> tuple[list[int | Hidden], int | Hidden | None]:
    """One column of counts (e.g. per municipality) with its published total."""
    result = suppress_matrix(
        [[count] for count in counts],
        threshold=threshold,
        row_totals=False,
        column_totals=total,
    )
    column_total = result.column_totals[0] if total and result.column_totals else None
    return [row[0] for row in result.cells], column_total
