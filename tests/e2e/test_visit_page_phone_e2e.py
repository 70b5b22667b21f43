"""The officer's visit page on a 390 px phone: the extra-service fee table and the "Paid by the
government" table are cards (one row a card, each value labelled), nothing scrolls sideways,
neither the page nor a table's box, and the extra-service dropdown takes the column's width.
Desktop keeps the tables. Screenshots with BMIP_SHOTS; axe-core with BMIP_AXE."""

import datetime as dt

import pytest
from django.utils import timezone

from core.roles import Role
from counter.services.setup import counter_setup
from tests import factories
from tests.e2e.conftest import DESKTOP, PHONE, axe_check, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _visit_with_both_tables(desk):
    """A group visit with one extra service the employer pays (charged before the region chose
    a government variant) and one the government parties pay (charged after)."""
    counter_setup()
    officer = factories.user(Role.OFFICER, username="e2e-visit-phone", location=desk)
    start = timezone.localtime() - dt.timedelta(hours=1)
    return factories.visit_with_both_fee_tables(desk=desk, officer=officer, start=start)


WITHIN_WIDTH = (
    "e => { const r = e.getBoundingClientRect(); return r.left >= 0 && r.right <= innerWidth; }"
)


def _overflow(page) -> dict:
    """Sideways overflow of the page and of every table box (0 = fits)."""
    return page.evaluate(
        """() => ({
            page: document.scrollingElement.scrollWidth - window.innerWidth,
            boxes: Array.from(document.querySelectorAll('.table-wrap, table'))
                .map(el => el.scrollWidth - el.clientWidth),
            select: (() => { const s = document.querySelector('select[name=service]');
                             const box = s.closest('form').getBoundingClientRect();
                             const r = s.getBoundingClientRect();
                             return Math.max(0, r.right - box.right); })(),
        })"""
    )


def test_the_visit_page_fits_a_phone_and_keeps_its_tables_on_a_desktop(
    reference, office_hours, live_server, browser
):
    from playwright.sync_api import expect

    desk = factories.location(slug="e2e-visit-phone", name="Desk Breda", cbs_code="GM0758")
    visit = _visit_with_both_tables(desk)
    url = f"{live_server.url}/counter/visits/{visit.pk}/"

    page = login(browser, live_server, "e2e-visit-phone", viewport=DESKTOP)
    page.goto(url)
    expect(page.locator("tr", has_text="Government parties pay")).to_have_count(1)
    # Desktop: still a table with its header row on screen.
    expect(page.locator("table.stack thead th").first).to_be_visible()
    assert page.locator("table.stack tbody tr").first.evaluate(
        "e => getComputedStyle(e).display"
    ) == ("table-row")
    shot(page, "visit-page-tables-desktop")
    axe_check(page, "visit page desktop")

    phone = browser.new_page(viewport=PHONE)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(url)
    funded_row = phone.locator("tr", has_text="Government parties pay")
    expect(funded_row).to_have_count(1)
    # Each row a card: the value's column named beside it, the header row out of sight.
    # (kept for screen readers: clipped to one pixel, as .sr-only)
    assert phone.locator("table.stack thead").first.evaluate(
        "e => e.getBoundingClientRect().height <= 1"
    )
    assert funded_row.evaluate("e => getComputedStyle(e).display") == "block"
    # The row's reason field and its button lie within the screen's width.
    for control in (
        funded_row.get_by_label("Reason"),
        funded_row.get_by_role("button", name="Void"),
        phone.locator("tr", has_text="Help with forms").get_by_role("button", name="Credit"),
        phone.get_by_label("Extra service", exact=True),
    ):
        assert control.evaluate(WITHIN_WIDTH), control
    assert _overflow(phone) == {"page": 0, "boxes": [0, 0, 0, 0], "select": 0}, _overflow(phone)
    shot(phone, "visit-page-tables-390")
    axe_check(phone, "visit page 390")
    # The dropdown still opens and chooses by touch and by keyboard.
    select = phone.get_by_label("Extra service", exact=True)
    select.click()
    shot(phone, "visit-page-extra-service-open-390")
    phone.keyboard.press("Escape")
    select.select_option(index=1)
    assert select.evaluate("e => e.selectedIndex") == 1
    phone.close()
    page.close()
