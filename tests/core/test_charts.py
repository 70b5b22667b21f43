"""Statistics bar charts (core.charts): the label column fits the labels, so a chart of months
is narrow enough to stay readable when a phone scales it to 390 px (CSS svg.chart)."""

import re

from core.charts import bar_chart_svg


def _width(svg: str) -> int:
    return int(re.search(r'viewBox="0 0 (\d+) \d+"', svg).group(1))


def test_short_labels_make_a_narrow_chart_long_labels_keep_the_full_label_column():
    months = bar_chart_svg([(f"2026-{m:02d}", m) for m in range(1, 13)], title="Visits")
    names = bar_chart_svg([("Logistiek Moerdijk B.V. (Moerdijk haven)", 3)], title="No-shows")
    assert _width(months) < 500  # was 620: a 200 px label column for "2026-01"
    assert _width(names) == 620
    assert 'class="chart"' in months and "<title>Visits</title>" in months
