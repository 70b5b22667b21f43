"""Bar charts drawn on the server as SVG: no script, no CDN (statistics pages)."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from core.suppression import is_hidden

BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 200  # at most: the label column fits the longest label (40 characters)
CHAR_WIDTH = 7  # about one character at font-size 12
BAR_WIDTH = 360


def bar_chart_svg(bars: list[tuple[str, object]], *, title: str) -> str:
    """Horizontal bars; a suppressed value is drawn as no bar with its text ("<5", "x")."""
    numbers = [v for _label, v in bars if isinstance(v, int | float) and not is_hidden(v)]
    top = max(numbers, default=0) or 1
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    # A narrow label column for short labels (months): on a phone the chart is scaled down to
    # the column width (CSS svg.chart), so every unused pixel here makes the text smaller.
    longest = max((len(str(label)[:40]) for label, _value in bars), default=0)
    label_width = min(LABEL_WIDTH, longest * CHAR_WIDTH + 12)
    width = label_width + BAR_WIDTH + 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(bars):
        y = GAP + index * (BAR_HEIGHT + GAP)
        text_y = y + BAR_HEIGHT - 5
        parts.append(
            f'<text x="{label_width - 6}" y="{text_y}" text-anchor="end" '
            f'font-size="12">{escape(str(label)[:40])}</text>'
        )
        bar = 0 if is_hidden(value) or value is None else round(BAR_WIDTH * value / top)
        if bar:
            parts.append(
                f'<rect x="{label_width}" y="{y}" width="{bar}" height="{BAR_HEIGHT}" '
                f'fill="#2f6f9f"></rect>'
            )
        parts.append(
            f'<text x="{label_width + bar + 4}" y="{text_y}" font-size="12">'
            f"{escape('' if value is None else str(value))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
