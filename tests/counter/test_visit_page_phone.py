"""The officer's visit page on a phone (the browser side is tests/e2e/test_visit_page_phone_e2e.py):
the fee table and the "Paid by the government" table are ``table.stack`` tables whose cells carry
their column's name (data-label), so below 600 px each row is a card instead of a sideways
scroll; no header cell is empty, the table boxes are named focusable regions, every control
has a label; the extra-service dropdown has its own label and a hook that makes it the column's
width with wrapping option text on a phone."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories as f
from tests.foundation.test_page_markup import _Page

pytestmark = pytest.mark.django_db

CSS = Path(settings.BASE_DIR) / "static" / "css" / "bmip.css"


@pytest.fixture
def visit(desk, officer, today_start):
    return f.visit_with_both_fee_tables(desk=desk, officer=officer, start=today_start)


def _tables(html: str) -> list[str]:
    return re.findall(r"<table\b.*?</table>", html, flags=re.S)


@pytest.mark.parametrize("language", ["en", "nl"])
def test_the_fee_tables_stack_on_a_phone_with_labelled_cells(client, officer, visit, language):
    client.force_login(officer)
    response = client.get(reverse("counter:visit", args=[visit.pk]), HTTP_ACCEPT_LANGUAGE=language)
    html = response.content.decode()
    tables = _tables(html)
    assert len(tables) == 2  # the employer's fee lines and the government-paid services
    for table in tables:
        assert table.startswith('<table class="stack">'), table[:60]
        body = table.split("<tbody>")[1].split("</tbody>")[0]
        cells = re.findall(r"<td\b[^>]*>", body)
        assert cells and all("data-label=" in cell for cell in cells), cells
        # Each value cell names its column; a cell spanning the row (the "nothing charged"
        # note) has an empty one.
        labels = [re.search(r'data-label="([^"]*)"', cell).group(1) for cell in cells]
        assert all(label or "colspan" in cell for label, cell in zip(labels, cells, strict=True))
    amount = "Bedrag (EUR)" if language == "nl" else "Amount (EUR)"
    assert f'data-label="{amount}"' in html
    page = _Page()
    page.feed(html)
    assert page.empty_th == 0
    assert len(page.wraps) == 2
    for wrap in page.wraps:
        assert wrap.get("role") == "region" and wrap.get("tabindex") == "0"
        assert wrap.get("aria-labelledby") in page.ids
    for control, wrapped in page.controls:
        assert wrapped or control.get("id") in page.label_for or control.get("aria-label")


def test_the_extra_service_dropdown_has_a_label_and_the_phone_hook(client, officer, visit):
    client.force_login(officer)
    html = client.get(reverse("counter:visit", args=[visit.pk])).content.decode()
    form = re.search(r'<form class="extra-service".*?</form>', html, flags=re.S).group(0)
    assert '<label for="extra-service">Extra service</label>' in form
    assert '<select name="service" id="extra-service"' in form
    # A shorter visible option text: the name and the price in euros.
    assert re.search(r"<option [^>]*>Help with forms · €&nbsp;50\.00</option>", form), form


def test_the_stylesheet_stacks_the_tables_and_fits_the_dropdown_below_600px():
    css = CSS.read_text()
    phone = re.findall(r"@media \(max-width: 600px\) \{(.*?)\n\}", css, flags=re.S)
    rules = "\n".join(phone)
    assert "table.stack tfoot" in rules  # the total row is a card too
    assert "form.extra-service select" in rules and "width: 100%" in rules
    assert "appearance: base-select" in rules  # option text wraps where the browser can
