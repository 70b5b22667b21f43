"""The public kiosk page has no site navigation (no "Log in"), on a kiosk and on a phone; an
unknown page shows the branded 404 in the layout; the console shows a late booking as late."""

import datetime as dt

import pytest
from django.utils import timezone

from core.roles import Role
from kiosk.models import KioskSettings
from kiosk.services.tickets import kiosk_check_in_appointment
from scheduling.services.legs import appointment_check_in
from tests import factories
from tests.e2e.conftest import DESKTOP, PHONE, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_kiosk_without_navigation_404_and_late_badge(reference, office_hours, live_server, browser):
    from playwright.sync_api import expect

    desk = factories.location(slug="e2e-public", name="Desk Breda")
    KioskSettings.objects.create(location=desk, late_minutes=15)
    for viewport, name in ((DESKTOP, "desktop"), (PHONE, "390")):
        page = browser.new_page(viewport=viewport)
        page.goto(f"{live_server.url}/kiosk/{desk.slug}/")
        expect(page.locator("header.site")).to_have_count(0)
        expect(page.get_by_role("link", name="Log in")).to_have_count(0)
        shot(page, f"kiosk-no-navigation-{name}")
        page.goto(f"{live_server.url}/no-such-page/")
        expect(page.locator(".error-page h1")).to_be_visible()
        shot(page, f"error-404-{name}")
        page.close()

    # A 09:00 booking checked in at the reception, its number taken at 10:00: late.
    now = timezone.localtime()
    late = factories.appointment(loc=desk, start=now - dt.timedelta(hours=1), codes=["brp"])
    appointment_check_in(appointment=late, actor=None)
    kiosk_check_in_appointment(location=desk, appointment=late)
    on_time = factories.appointment(loc=desk, start=now + dt.timedelta(minutes=5), codes=["brp"])
    kiosk_check_in_appointment(location=desk, appointment=on_time)
    factories.user(Role.OFFICER, username="e2e-late", location=desk)
    counter = desk.counters.get(name="Balie 1")
    page = login(browser, live_server, "e2e-late")
    page.goto(f"{live_server.url}/kiosk/officer/{counter.pk}/")
    rows = page.locator("#waiting tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).not_to_contain_text("late")
    expect(rows.nth(1).locator(".badge.late")).to_have_text("late")
    shot(page, "officer-waiting-late-desktop")
    page.close()


def test_planner_block_opens_the_visit_with_print_ticket(
    reference, office_hours, live_server, browser
):
    from playwright.sync_api import expect

    desk = factories.location(slug="e2e-planner", name="Desk Tilburg")
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    visit = factories.appointment(loc=desk, start=start, codes=["brp", "zvw"])
    factories.user(Role.COORDINATOR, username="e2e-coord")
    page = login(browser, live_server, "e2e-coord")
    page.goto(f"{live_server.url}/scheduling/planner/?location={desk.slug}")
    block = page.locator("a.planner-block").first
    expect(block).to_contain_text(visit.booking_code)
    shot(page, "planner-blocks-link-desktop")
    block.click()
    expect(page).to_have_url(f"{live_server.url}/scheduling/appointments/{visit.booking_code}/")
    expect(page.get_by_role("link", name="Ticket (receipt printer)")).to_be_visible()
    shot(page, "visit-page-print-ticket-desktop")
    page.close()
