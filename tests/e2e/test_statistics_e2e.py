"""The coordinator's statistics page in Chromium at 1280 and 390 px: every table has its
heading, downloads and chart; the documents-missing rate shows its suppressed cells; at
390 px the page itself does not scroll sideways (wide tables scroll inside their box, the
charts shrink to the screen). Screenshots with BMIP_SHOTS."""

import datetime as dt

import pytest

from core.roles import Role
from counter.constants import NotDeliveredReason, Outcome
from tests import factories
from tests.e2e.conftest import DESKTOP, PHONE, login, shot
from tests.settlement.helpers import registration
from tests.stats.test_documents_missing import served

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

QUERY = "?from=2025-01-01&to=2025-03-31"
OVERFLOW = (
    "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
    " > window.innerWidth + 1 && !e.closest('.table-wrap'))"
    ".map(e => e.tagName + '.' + e.getAttribute('class') + '#' + e.id).slice(0, 8)"
)


def test_coordinator_statistics_page_is_usable(reference, live_server, browser):
    from playwright.sync_api import expect

    breda = factories.location(slug="e2e-stats", name="Desk Breda", cbs_code="GM0758")
    for n in range(6):
        registration(loc=breda, day=dt.date(2025, 1, 6 + n), residence="GM0826")
    missing = {
        "outcome": Outcome.NOT_COMPLETED,
        "reason_code": NotDeliveredReason.DOCUMENTS_MISSING,
    }
    for n in range(8):
        served(breda, dt.date(2025, 2, 3 + n), "zvw", **(missing if n < 2 else {}))
    factories.user(Role.COORDINATOR, username="e2e-coordinator")

    for viewport in (DESKTOP, PHONE):
        page = login(browser, live_server, "e2e-coordinator", viewport=viewport)
        page.goto(f"{live_server.url}/statistics/{QUERY}")
        expect(page.locator("h1")).to_have_text("Statistics")
        section = page.locator("#documents_missing_by_month")
        expect(section.locator("h2")).to_have_text("Documents-missing rate per month")
        feb = section.locator("tbody tr", has_text="2025-02")
        expect(feb).to_contain_text("<5")
        expect(section.get_by_role("link", name="CSV")).to_be_visible()
        expect(section.locator("svg[role=img] title")).to_have_count(1)
        # Every table section has a heading and both downloads.
        sections = page.locator("main section[id]")
        count = sections.count()
        assert count >= 10
        for i in range(count):
            expect(sections.nth(i).locator("h2")).to_have_count(1)
            expect(sections.nth(i).get_by_role("link", name="XLSX")).to_have_count(1)
        shot(page, f"statistics-{viewport['width']}")
        wide = page.evaluate(OVERFLOW)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), wide
        assert wide == []
        page.close()
