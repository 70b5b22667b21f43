"""End to end in a real headless Chromium: scan at the kiosk, call from the officer console,
see the number on the display screen (which polls; no reload)."""

import datetime as dt
import os
import re

import pytest
from django.utils import timezone

from core.roles import Role
from kiosk.models import KioskSettings
from scheduling.tokens import ticket_token_make
from tests import factories

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not os.path.exists(CHROMIUM), reason=f"{CHROMIUM} is not installed"),
]


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls in the test
    # body are still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
            # While Playwright's loop runs in this thread, Django keeps this thread's database
            # connection in per-context storage; close it here, or it outlives the test and
            # PostgreSQL refuses to drop the test database.
            from django.db import connections

            connections.close_all()


def test_scan_call_and_display(reference, office_hours, live_server, browser):
    from playwright.sync_api import expect

    desk = factories.location(slug="e2e-desk", name="E2E Desk")
    KioskSettings.objects.create(location=desk)
    visit = factories.appointment(
        loc=desk,
        start=timezone.localtime() + dt.timedelta(minutes=5),
        cl=factories.client(first_name="Marta", last_name="Wojcik"),
    )
    token = ticket_token_make(visit)
    factories.user(Role.OFFICER, username="e2e-officer", location=desk)
    counter = desk.counters.get(name="Balie 1")

    # The coordinator added the kiosk in the admin and reads its one-time pairing code.
    from kiosk.models import KioskDevice
    from kiosk.services.devices import device_pairing_start

    device = KioskDevice.objects.create(location=desk, name="E2E kiosk")
    pairing_code = device_pairing_start(device=device, actor=None)

    kiosk = browser.new_page()
    kiosk.goto(f"{live_server.url}/kiosk/pair/")
    kiosk.fill("#pairing-code", pairing_code)
    kiosk.locator("form button[type=submit]").last.click()
    expect(kiosk.locator("body")).to_contain_text("E2E kiosk")
    kiosk.goto(f"{live_server.url}/kiosk/{desk.slug}/")
    field = kiosk.locator("#code")
    expect(field).to_be_focused()
    field.type(token)  # what a USB scanner does
    field.press("Enter")
    expect(kiosk.locator(".receipt .number")).to_have_text("A001")

    display = browser.new_page()
    display.goto(f"{live_server.url}/kiosk/{desk.slug}/display/")
    expect(display.locator("#calls")).not_to_contain_text("A001")

    officer = browser.new_page()
    officer.goto(f"{live_server.url}/accounts/login/?next=/kiosk/officer/{counter.pk}/")
    officer.fill("#id_username", "e2e-officer")
    officer.fill("#id_password", "pw-test-123")
    officer.locator("form button[type=submit]").last.click()
    expect(officer).to_have_url(re.compile(rf"/kiosk/officer/{counter.pk}/$"))
    officer.locator("#call-next").click()
    expect(officer.locator("#current-number")).to_have_text("A001")
    expect(officer.locator(".officer-current")).to_contain_text("Marta")

    # The display polls every second: the call shows up without a reload, within 2 s.
    expect(display.locator("#calls li").first).to_contain_text("A001", timeout=2500)
    expect(display.locator("#calls li").first).to_contain_text("Balie 1")
    expect(display.locator("body")).not_to_contain_text("Marta")
