"""The PDFs are laid out with the project's user-agent stylesheet (static/css/pdf-ua.css, via
``core.pdf``): HTML's default rendering for the elements our PDF templates use, in place of
weasyprint's full sheet (8 % of a ticket's instructions). It must give the same layout, and
every element and page-margin box a PDF template uses must be styled in it."""

import re
from pathlib import Path

from django.conf import settings

from core.pdf import UA_STYLESHEET, pdf_layout
from tests.pdf_layout import layout_of, weasyprint_user_agent

ROOT = Path(settings.BASE_DIR)
TEMPLATES = ROOT / "templates"
# The templates rendered to PDF (core.pdf callers); their includes are followed.
PDF_TEMPLATES = [
    "scheduling/tickets/document.html",
    "settlement/statement_pdf.html",
    "settlement/claim_pdf.html",
    "settlement/cost_split_pdf.html",
    "activities/receipt_pdf.html",
    "counter/invoice_pdf.html",
]
# Inline by default with no style of their own: the initial values are HTML's rendering.
PLAIN_INLINE = {"span", "img"}
_PDF_TEMPLATE_NAME = re.compile(r"""["']([\w/]+(?:_pdf|tickets/document)\.html)["']""")


def _ua_css() -> str:
    return (Path(settings.STATICFILES_DIRS[0]) / UA_STYLESHEET).read_text()


def _template_sources() -> dict[str, str]:
    todo, seen = list(PDF_TEMPLATES), {}
    while todo:
        name = todo.pop()
        if name not in seen:
            seen[name] = (TEMPLATES / name).read_text()
            todo += re.findall(r'{%\s*include\s+"([^"]+)"', seen[name])
    return seen


def _ua_selector_words() -> set[str]:
    css = re.sub(r"/\*.*?\*/", "", _ua_css(), flags=re.S)
    selectors = " ".join(re.findall(r"([^{}]+){", css))
    return set(re.findall(r"(?<![\w.#:\[-])([a-z][a-z0-9]*)\b", selectors))


def test_the_list_of_pdf_templates_is_complete():
    """Every ``*_pdf.html`` (or ticket document) a module names is in PDF_TEMPLATES."""
    named = set()
    for app in ("core", "scheduling", "kiosk", "counter", "advice", "settlement", "activities"):
        for path in (ROOT / app).rglob("*.py"):
            named |= set(_PDF_TEMPLATE_NAME.findall(path.read_text()))
    assert named and named <= set(PDF_TEMPLATES), named - set(PDF_TEMPLATES)


def test_every_element_of_a_pdf_template_is_styled_by_the_user_agent_sheet():
    styled = _ua_selector_words() | PLAIN_INLINE
    missing = {}
    for name, source in _template_sources().items():
        tags = set(re.findall(r"<([a-z][a-z0-9]*)", source))
        if tags - styled:
            missing[name] = sorted(tags - styled)
    assert not missing, f"add HTML's default rendering of these to {UA_STYLESHEET}: {missing}"


def test_every_page_margin_box_of_a_pdf_template_is_styled_by_the_user_agent_sheet():
    css = _ua_css()
    for name, source in _template_sources().items():
        for box in set(re.findall(r"@((?:top|bottom|left|right)-[a-z-]+)", source)):
            assert f"@{box} " in css, (
                f"{name} uses @{box}: declare its alignment in {UA_STYLESHEET}"
            )


KITCHEN_SINK = """<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>t</title>
<style>@page { size: A5; margin: 12mm; @bottom-right { content: counter(page) } }
html { font-family: "DejaVu Sans"; font-size: 9pt }</style></head>
<body><article><section><h1>Kop een</h1><h2>Kop twee</h2><h3>Kop drie</h3><h4>Vier</h4>
<h5>Vijf</h5><h6>Zes</h6><p>Een <b>vet</b>, <strong>sterk</strong>, <em>nadruk</em>, <i>cursief</i>,
<small>klein</small>, x<sub>2</sub> y<sup>3</sup>, <u>onder</u>, <s>weg</s>, <code>code</code>
en een <a href="https://example.org/">link</a>.<br>Nieuwe regel.</p>
<ul><li>een<ul><li>genest</li></ul></li><li>twee</li></ul><ol><li>eerste</li><li>tweede</li></ol>
<dl><dt>Term</dt><dd>Uitleg</dd></dl><blockquote>Citaat</blockquote><pre>vast   breed
  tekst</pre><hr><div>Blok</div>
<table><thead><tr><th>Kop</th><th>Bedrag</th></tr></thead>
<tbody><tr><td>Breda</td><td>100,00</td></tr></tbody><tfoot><tr><td>Totaal</td><td>100,00</td>
</tr></tfoot></table></section></article></body></html>"""


def test_the_project_sheet_lays_out_as_weasyprints_own():
    """Every element the sheet styles, laid out with both sheets: the same boxes in the same
    places, the same page-number box and the same PDF outline (h1-h6 bookmarks)."""
    ours = layout_of(pdf_layout(KITCHEN_SINK))
    with weasyprint_user_agent():
        theirs = layout_of(pdf_layout(KITCHEN_SINK))
    assert len(ours) > 100
    assert ours == theirs


def test_the_project_sheet_is_the_one_in_use():
    """weasyprint centres a <center> element; the project's sheet does not style it (no PDF
    template uses it). Fails if weasyprint stops asking for ``_ua_stylesheets``: the project's
    sheet would then be silently unused (same look, slower)."""
    html = "<html><body style='width: 400px'><center>x</center></body></html>"

    def text_x(document):
        return next(
            b for b in document.pages[0]._page_box.descendants() if getattr(b, "text", None)
        ).position_x

    ours = text_x(pdf_layout(html))
    with weasyprint_user_agent():
        theirs = text_x(pdf_layout(html))
    assert theirs > ours + 100
