"""The pages a UI review opened in a browser for the first time (operations board, capacity,
statistics, API tokens, advice log and report point, activities and the door check-in, the
claim statements), on the demo data, as the role that uses each, at 1280 and 390 px: no
sideways scroll of the page, the ticket's QR code in view on a phone, and no serious or
critical axe-core finding (when BMIP_AXE points to axe.min.js). Screenshots: BMIP_SHOTS."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.e2e.conftest import DESKTOP, PHONE, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

AXE = os.environ.get("BMIP_AXE", "")  # path to axe.min.js (npm axe-core), optional


def _axe(page, name: str) -> None:
    """Serious or critical WCAG 2.1 A/AA findings fail the test (only when BMIP_AXE is set).
    Evaluated through the DevTools protocol, so the page's CSP stays as it is."""
    if not AXE:
        return
    page.evaluate(Path(AXE).read_text() + ";0")
    result = page.evaluate(
        "axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})"
    )
    bad = [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert bad == [], (name, bad)


def _demo_login(browser, live_server, username, viewport):
    page = browser.new_page(viewport=viewport, locale="nl-NL")
    if username:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "demo1234")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state()
    return page


def test_reviewed_pages_fit_a_phone_and_pass_axe(live_server, browser):
    from activities.models import Registration, Session
    from advice.models import Report

    call_command("seed_demo", stdout=io.StringIO())
    session = Session.objects.order_by("pk").first()
    registration = Registration.objects.order_by("pk").first()
    report = Report.objects.order_by("pk").first()
    pages = {
        "coordinator": [
            ("board", "/kiosk/board/"),
            ("capacity", "/scheduling/capacity/"),
            ("statistics", "/statistics/"),
            ("tokens", "/account/tokens/"),
            ("activities", "/activities/"),
            ("claims", "/counter/settlement/claims/"),
        ],
        "officer": [("advice-log", "/advice/"), ("report-new", "/advice/reports/new/")],
        "handler": [("reports", "/advice/reports/"), ("report", f"/advice/reports/{report.pk}/")],
        "employer": [
            ("session", f"/activities/sessions/{session.pk}/"),
            ("registration", f"/activities/registrations/{registration.reference}/"),
        ],
        "receptionist": [("door", f"/activities/sessions/{session.pk}/door/")],
        None: [("public-report", "/report/"), ("public-status", "/report/status/")],
    }
    for viewport, width in ((DESKTOP, "desktop"), (PHONE, "390")):
        for username, role_pages in pages.items():
            page = _demo_login(browser, live_server, username, viewport)
            for name, url in role_pages:
                response = page.goto(f"{live_server.url}{url}")
                assert response.status == 200, (username, url, response.status)
                page.wait_for_load_state("networkidle")
                overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
                assert overflow <= 1, (name, width, overflow)
                if name == "registration":
                    # Each ticket's QR code can be shown at the door without scrolling sideways.
                    for qr in page.locator("td img").all():
                        box = qr.bounding_box()
                        assert box and box["x"] + box["width"] <= viewport["width"], box
                shot(page, f"review-{name}-{width}")
                _axe(page, f"{name} {width}")
            page.close()
