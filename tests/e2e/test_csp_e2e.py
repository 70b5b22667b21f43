"""The Content-Security-Policy in a real Chromium: the officer console, the reception
console, the kiosk, the display and the planner work with no policy violation (their
behaviour now lives in static files: polling, auto-submit, focus, positions)."""

import datetime as dt

import pytest
from django.utils import timezone

from core.roles import Role
from kiosk.models import KioskSettings, WalkInPolicy
from kiosk.services.tickets import walk_in_issue
from scheduling.models import ServiceType
from tests import factories
from tests.e2e.conftest import login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Records every violation the browser reports on the page (and logs it in the console).
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


def _watched(page):
    errors = []
    page.on(
        "console",
        lambda msg: (
            errors.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused to" in msg.text
            else None
        ),
    )
    page.add_init_script(WATCH)
    return errors


def _no_violations(page, errors):
    assert page.evaluate("window.__csp") == []
    assert errors == []


def test_consoles_kiosk_and_display_work_under_the_policy(
    reference, office_hours, live_server, browser
):
    from playwright.sync_api import expect

    desk = factories.location(slug="csp-e2e", name="CSP Desk")
    KioskSettings.objects.create(location=desk)
    factories.appointment(loc=desk, start=timezone.localtime() + dt.timedelta(minutes=5))
    factories.user(Role.OFFICER, username="csp-officer", location=desk)
    factories.user(Role.RECEPTIONIST, username="csp-reception", location=desk)
    factories.user(Role.COORDINATOR, username="csp-coordinator")
    counter = desk.counters.get(name="Balie 1")
    brp = ServiceType.objects.get(code="brp")
    WalkInPolicy.objects.create(location=desk, service=brp, daily_cap=10)

    # Officer console: the waiting list polls (static JS) and shows a new walk-in.
    officer = login(browser, live_server, "csp-officer")
    officer_errors = _watched(officer)
    officer.goto(f"{live_server.url}/kiosk/officer/{counter.pk}/")
    ticket = walk_in_issue(location=desk, services=[brp], actor=None)
    expect(officer.locator("#waiting")).to_contain_text(ticket.code, timeout=8000)
    # The language menu submits on change (was an onchange= handler).
    officer.select_option("#lang-select", "nl")
    expect(officer.locator("html")).to_have_attribute("lang", "nl")
    _no_violations(officer, officer_errors)

    # Reception console: its lists poll too.
    reception = login(browser, live_server, "csp-reception")
    reception_errors = _watched(reception)
    reception.goto(f"{live_server.url}/kiosk/reception/")
    ticket = walk_in_issue(location=desk, services=[brp], actor=None)
    expect(reception.locator("#lists")).to_contain_text(ticket.code, timeout=6000)
    _no_violations(reception, reception_errors)

    # Kiosk (paired) keeps the focus in the code field; the display polls its feed.
    kiosk = browser.new_page()
    kiosk_errors = _watched(kiosk)
    kiosk.context.add_cookies(
        [
            {
                "name": "bmip_kiosk_device",
                "value": factories.kiosk_device(desk),
                "url": live_server.url,
            }
        ]
    )
    kiosk.goto(f"{live_server.url}/kiosk/{desk.slug}/")
    kiosk.locator("h1").first.click()
    expect(kiosk.locator("#code")).to_be_focused(timeout=3000)
    _no_violations(kiosk, kiosk_errors)

    display = browser.new_page()
    display_errors = _watched(display)
    display.goto(f"{live_server.url}/kiosk/{desk.slug}/display/")
    expect(display.locator("#waiting")).not_to_be_empty(timeout=3000)
    display.wait_for_timeout(1500)  # at least one poll of the feed
    _no_violations(display, display_errors)

    # Planner: the blocks are placed from data-css through the CSSOM.
    planner = login(browser, live_server, "csp-coordinator")
    planner_errors = _watched(planner)
    planner.goto(f"{live_server.url}/scheduling/planner/?location={desk.slug}")
    column = planner.locator(".planner-col").first
    expect(column).to_be_visible()
    assert column.evaluate("el => el.style.height").endswith("px")
    _no_violations(planner, planner_errors)
