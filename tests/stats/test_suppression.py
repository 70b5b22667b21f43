"""Small counts are hidden, and so are the cells that would give them away by subtraction."""

from django.test import override_settings

from core.suppression import (
    COMPLEMENTARY,
    SMALL,
    Hidden,
    cell_text,
    is_hidden,
    suppress_counts,
    suppress_matrix,
    suppress_threshold,
)


def texts(values):
    return [cell_text(v) for v in values]


def test_threshold_defaults_to_five_and_follows_the_setting():
    assert suppress_threshold() == 5
    with override_settings(STATS_SUPPRESS_BELOW=10):
        assert suppress_threshold() == 10


def test_nothing_small_nothing_hidden():
    result = suppress_matrix([[10, 20], [30, 40]])
    assert result.cells == [[10, 20], [30, 40]]
    assert result.row_totals == [30, 70]
    assert result.column_totals == [40, 60]
    assert result.grand_total == 100


def test_zero_is_shown_and_five_is_shown_four_is_hidden():
    counts, _total = suppress_counts([0, 5, 4, 20], total=False)
    assert counts[0] == 0 and counts[1] == 5
    assert counts[2] == Hidden(SMALL, 5)
    assert str(counts[2]) == "<5"


def test_one_column_with_total_hides_the_next_smallest_cell():
    # 3 is small; with the total 38 published, 38 - 5 - 30 would give it away: the next
    # smallest visible positive cell (5) is hidden as well.
    counts, total = suppress_counts([30, 3, 5])
    assert texts(counts) == ["30", "<5", "x"]
    assert total == 38
    assert counts[2] == Hidden(COMPLEMENTARY, 5)


def test_one_column_without_total_needs_no_complement():
    counts, total = suppress_counts([30, 3, 5], total=False)
    assert texts(counts) == ["30", "<5", "5"]
    assert total is None


def test_matrix_complements_in_row_and_column():
    # Hand computed: 2 (row 0, col 0) is small.  Row 0 -> hide its next smallest (7).
    # Column 0 -> hide its next smallest (8).  Column 1 now holds one hidden cell (7): hide
    # its next smallest (9); row 1 then holds two (8, 9).  Column 2 holds none. Every line
    # ends with 0 or >= 2 hidden cells.
    result = suppress_matrix([[2, 7, 50], [8, 9, 60], [40, 30, 70]])
    assert [texts(r) for r in result.cells] == [
        ["<5", "x", "50"],
        ["x", "x", "60"],
        ["40", "30", "70"],
    ]
    assert result.row_totals == [59, 77, 140]
    assert result.column_totals == [50, 46, 180]
    assert result.grand_total == 276
    full = [r + [t] for r, t in zip(result.cells, result.row_totals, strict=True)]
    full.append(result.column_totals + [result.grand_total])
    for row in full:
        assert sum(map(is_hidden, row)) != 1
    for column in zip(*full, strict=True):
        assert sum(map(is_hidden, column)) != 1


def test_small_total_is_hidden_and_its_line_protected():
    # Row 1 sums to 3: its cells 1 and 2 are small, and so is its total.
    result = suppress_matrix([[10, 20], [1, 2]])
    assert texts(result.cells[1]) == ["<5", "<5"]
    assert str(result.row_totals[1]) == "<5"
    # Column 0 (10, 1 -> 11) and column 1 (20, 2 -> 22) each have one hidden cell, so the
    # smallest visible one is hidden too: the 10 and the 20.
    assert texts(result.cells[0]) == ["x", "x"]
    assert result.column_totals == [11, 22]
    # The row totals line (30 + 3 = 33) would give the 3 away: the 30 is hidden too.
    assert str(result.row_totals[0]) == "x"
    assert result.grand_total == 33


def test_custom_threshold():
    counts, _total = suppress_counts([6, 12, 40], threshold=10)
    assert texts(counts) == ["<10", "x", "40"]


def test_a_table_without_count_columns_publishes_without_totals_or_chart():
    """A table whose count columns come from configuration (advice topics) may have none,
    e.g. when every topic was removed: the page shows the months, not a server error."""
    from core.stats import LABEL, Column, StatTable, stats_publish

    table = StatTable(
        title="Advice per month by topic",
        columns=[Column("month", "Month", LABEL)],
        rows=[["2025-01"], ["2025-02"]],
        row_totals=True,
    )
    published = stats_publish(table)
    assert [c.key for c in published.columns] == ["month"]
    assert published.rows == [["2025-01"], ["2025-02"]]
    assert published.chart == []
