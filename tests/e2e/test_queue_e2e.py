"""End to end in a real headless Chromium: scan at the kiosk, call from the officer console,
see the number on the display screen (which polls; no reload)."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from core.roles import Role
from kiosk.models import KioskSettings
from scheduling.tokens import ticket_token_make
from tests import factories
from tests.e2e.conftest import shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


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
    shot(display, "display-last-calls-desktop")
