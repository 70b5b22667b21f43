"""Compare weasyprint layouts: where every box of a document lands, page by page."""

from contextlib import contextmanager
from unittest import mock

from weasyprint.html import UA_STYLESHEET as WEASYPRINT_UA


@contextmanager
def weasyprint_user_agent():
    """Lay documents out with weasyprint's own user-agent stylesheet instead of the project's."""
    with mock.patch(
        "core.pdf._ProjectHTML._ua_stylesheets", lambda self, forms=False: [WEASYPRINT_UA]
    ):
        yield


def _number(value):
    return round(value, 2) if isinstance(value, int | float) else value


def layout_of(document) -> list[tuple]:
    """Every box of every page (kind, element, text, position, size) and the PDF outline."""
    rows: list[tuple] = [("outline", repr(document.make_bookmark_tree()))]
    for n, page in enumerate(document.pages):
        rows.append(("page", n, _number(page.width), _number(page.height)))
        for box in page._page_box.descendants():
            rows.append(
                (
                    type(box).__name__,
                    getattr(box, "element_tag", None),
                    getattr(box, "text", None),
                    *(
                        _number(getattr(box, name, None))
                        for name in ("position_x", "position_y", "width", "height")
                    ),
                )
            )
    return rows
