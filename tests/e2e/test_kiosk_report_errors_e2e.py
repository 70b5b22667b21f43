"""A refused report at the kiosk in Chromium: the shared error summary stands above the fields
in the kiosk's language, large, its link takes the person to the field; at 390 px and on the
kiosk's portrait screen nothing scrolls sideways; axe-core with BMIP_AXE. The follow-up
secret on the receipt is then typed in lower case with spaces and still follows the report."""

import re

import pytest
from django.conf import settings

from tests import factories
from tests.e2e.conftest import PHONE, axe_check, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    "viewport", [PHONE, {"width": 1080, "height": 1920}], ids=["390", "portrait"]
)
def test_a_refused_kiosk_report_shows_the_error_summary(reference, live_server, browser, viewport):
    from playwright.sync_api import expect

    desk = factories.location(slug="e2e-kiosk-report", name="Desk Breda", cbs_code="GM0758")
    secret = factories.kiosk_device(desk)
    page = browser.new_page(viewport=viewport, locale="nl-NL")
    page.context.add_cookies(
        [{"name": settings.KIOSK_DEVICE_COOKIE, "value": secret, "url": live_server.url}]
    )
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "pl", "url": live_server.url}]
    )
    url = f"{live_server.url}/kiosk/{desk.slug}/more/report/"
    page.goto(url)
    page.locator("input[name=category]").first.check()
    page.fill("#id_address", "Breda")
    page.locator("form.kiosk-report button[type=submit]").click()  # no description
    page.wait_for_load_state()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Popraw następujące elementy:")
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    shot(page, f"kiosk-report-error-summary-{viewport['width']}")
    axe_check(page, f"kiosk report errors {viewport['width']}")
    summary.locator("a[href='#id_description']").click()
    expect(page.locator("#id_description")).to_be_in_viewport()

    # The report goes in; its secret, typed sloppily, follows it.
    page.fill("#id_description", "Brak wypłaty od dwóch miesięcy.")
    page.locator("form.kiosk-report button[type=submit]").click()
    page.wait_for_load_state()
    number = page.locator("[data-receipt]").inner_text().strip()
    shown = page.locator("[data-secret]").inner_text().strip()
    shot(page, f"kiosk-report-receipt-{viewport['width']}")
    # The follow-up address wraps instead of widening the page.
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    typed = " " + re.sub(r"-", " ", shown).lower() + " "
    page.goto(f"{live_server.url}/report/en/status/")
    page.fill("#id_receipt_number", number)
    page.fill("#id_secret", typed)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    expect(page.locator("body")).to_contain_text("Received")
    page.close()
