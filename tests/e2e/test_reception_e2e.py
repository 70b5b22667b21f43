"""The receptionist's day in a real headless Chromium (issue 14): a booked person checks in at
the desk's kiosk, a walk-in number is issued at the reception console and its slip printed,
a paid extra service shows its price (kiosk: go to reception; reception: confirm the price),
and the grouped menu works by keyboard. Screenshots at desktop and 390 px (BMIP_SHOTS)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from core.roles import Role
from counter.models import Tariff
from kiosk.models import KioskDevice, KioskSettings, WalkInPolicy
from kiosk.services.devices import device_pairing_start
from scheduling.models import ServiceType
from tests import factories
from tests.e2e.conftest import PHONE, axe_check, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_receptionist_checks_in_issues_a_walk_in_prints_the_slip_and_sees_the_price(
    reference, office_hours, live_server, browser
):
    from playwright.sync_api import expect

    desk = factories.location(slug="e2e-reception", name="Desk Breda")
    KioskSettings.objects.create(location=desk, kiosk_walk_ins=True)
    brp, welcome = (ServiceType.objects.get(code=c) for c in ("brp", "welcome"))
    for service in (brp, welcome):
        WalkInPolicy.objects.create(location=desk, service=service, daily_cap=5)
    Tariff.objects.create(service=welcome, amount=Decimal("50.00"), valid_from=dt.date(2020, 1, 1))
    visit = factories.appointment(
        loc=desk,
        start=timezone.localtime() + dt.timedelta(minutes=5),
        cl=factories.client(first_name="Marta", last_name="Wojcik"),
    )
    factories.user(Role.RECEPTIONIST, username="e2e-reception", location=desk)
    factories.user(Role.COORDINATOR, username="e2e-coordinator")

    # The desk's kiosk (paired by the coordinator): the booked person checks in with the
    # receptionist's help; the paid service shows its price and no one-tap button.
    kiosk = browser.new_page()
    kiosk.goto(f"{live_server.url}/kiosk/pair/")
    device = KioskDevice.objects.create(location=desk, name="E2E kiosk")
    kiosk.fill("#pairing-code", device_pairing_start(device=device, actor=None))
    kiosk.locator("form button[type=submit]").last.click()
    kiosk.goto(f"{live_server.url}/kiosk/{desk.slug}/")
    paid = kiosk.locator(f'[data-paid-service="{welcome.pk}"]')
    expect(paid).to_contain_text("EUR 50.00")
    expect(paid).to_contain_text("Please go to the reception desk.")
    expect(kiosk.locator(f'button[name=service][value="{welcome.pk}"]')).to_have_count(0)
    expect(kiosk.locator(f'button[name=service][value="{brp.pk}"]')).to_have_count(1)
    shot(kiosk, "reception-kiosk-paid-service-desktop")
    kiosk.fill("#code", visit.booking_code)
    kiosk.press("#code", "Enter")
    booked_number = kiosk.locator(".receipt .number").inner_text()
    assert re.fullmatch(r"[A-Z]\d{3}", booked_number)

    # The reception console: the checked-in person waits; the paid service shows its price.
    page = login(browser, live_server, "e2e-reception")
    page.goto(f"{live_server.url}/kiosk/reception/")
    expect(page.locator("h1")).to_contain_text("Desk Breda")
    expect(page.locator("#lists")).to_contain_text(booked_number)
    expect(page.locator("fieldset")).to_contain_text("EUR 50.00")
    axe_check(page, "reception console", "body")
    shot(page, "reception-console-desktop")

    # A free walk-in: issued, then the printable slip (number, service, place; no name).
    page.locator(f'input[name=services][value="{brp.pk}"]').check()
    page.get_by_role("button", name="Issue number").click()
    expect(page).to_have_url(re.compile(r"/kiosk/reception/slip/\d+/$"))
    slip = page.locator(".receipt")
    expect(slip).to_contain_text("Desk Breda")
    expect(slip).to_contain_text(brp.localized_name())
    walk_in_number = slip.locator(".number").inner_text()
    assert re.fullmatch(r"[A-Z]\d{3}", walk_in_number) and walk_in_number != booked_number
    expect(page.get_by_role("button", name="Print")).to_be_visible()
    shot(page, "reception-slip-desktop")
    page.emulate_media(media="print")  # what the printer gets: the receipt only
    expect(page.locator("header.site")).to_be_hidden()
    expect(page.get_by_role("button", name="Print")).to_be_hidden()
    expect(slip).to_be_visible()
    shot(page, "reception-slip-print")
    page.emulate_media(media="screen")

    # The console links the slip again; a paid walk-in needs the price confirmed.
    page.get_by_role("link", name="Back to reception").click()
    expect(page.get_by_role("link", name=f"Print slip {walk_in_number}")).to_be_visible()
    page.locator(f'input[name=services][value="{welcome.pk}"]').check()
    page.get_by_role("button", name="Issue number").click()
    expect(page.locator(".errorlist")).to_contain_text(
        "Confirm that the client agrees to pay EUR 50.00"
    )
    expect(page.locator(f'input[name=services][value="{welcome.pk}"]')).to_be_checked()
    page.get_by_label("The client was told the price").check()
    page.get_by_role("button", name="Issue number").click()
    expect(page.locator(".receipt")).to_contain_text("EUR 50.00")
    expect(page.locator("body")).not_to_contain_text("Wojcik")
    page.close()

    # At 390 px: the console and the slip fit; the menu stacks and opens by keyboard.
    phone = login(browser, live_server, "e2e-reception", viewport=PHONE)
    phone.goto(f"{live_server.url}/kiosk/reception/")
    _no_sideways_scroll(phone)
    shot(phone, "reception-console-phone")
    desk_group = phone.locator("details.nav-group", has_text="Desk").first
    desk_group.locator("summary").focus()
    phone.keyboard.press("Enter")
    expect(desk_group).to_have_attribute("open", "")
    expect(desk_group.get_by_role("link", name="Reception")).to_have_attribute(
        "aria-current", "page"
    )
    _no_sideways_scroll(phone)
    shot(phone, "reception-menu-phone")
    phone.keyboard.press("Escape")
    expect(desk_group).not_to_have_attribute("open", "")
    expect(desk_group.locator("summary")).to_be_focused()
    phone.close()

    # The coordinator's 17 links in four groups: one line at desktop width, one group open.
    coordinator = login(browser, live_server, "e2e-coordinator")
    coordinator.goto(f"{live_server.url}/counter/visits/")
    groups = coordinator.locator("header.site details.nav-group")
    expect(groups).to_have_count(4)
    tops = {round(box["y"]) for box in (g.bounding_box() for g in groups.all())}
    assert len(tops) == 1, tops  # no wrapping
    back_office = groups.nth(1)
    back_office.locator("summary").click()
    expect(back_office.get_by_role("link", name="Tariffs")).to_be_visible()
    axe_check(coordinator, "grouped menu", "header.site")
    shot(coordinator, "reception-menu-coordinator-desktop")
    coordinator.locator("main h1").click()  # a click elsewhere closes the group
    expect(back_office).not_to_have_attribute("open", "")
    coordinator.close()
    kiosk.close()


def test_the_lists_reload_without_taking_the_keyboard_focus_away(
    reference, office_hours, live_server, browser
):
    """The reception lists reload every few seconds. A receptionist who tabbed to a late
    arrival's "Admit (late)" keeps the focus there while the lists change around it (another
    late arrival comes in), instead of being sent back to the top of the page; the new late
    arrival is announced in a live region that outlives the reloads (a region replaced with
    the lists, as the late table's was, is not reliably announced)."""
    from kiosk.services.tickets import kiosk_check_in
    from scheduling.tokens import ticket_token_make

    desk = factories.location(slug="e2e-focus", name="Desk Tilburg")
    factories.user(Role.RECEPTIONIST, username="e2e-focus", location=desk)
    now = timezone.localtime()

    def late_arrival():
        visit = factories.appointment(loc=desk, start=now - dt.timedelta(minutes=40), codes=["brp"])
        return kiosk_check_in(location=desk, token=ticket_token_make(visit)).ticket

    first = late_arrival()
    page = login(browser, live_server, "e2e-focus")
    page.goto(f"{live_server.url}/kiosk/reception/")
    admit = page.locator(f'tr[data-late="{first.code}"] button[value="admit"]')
    admit.focus()
    focused = (
        "() => { const el = document.activeElement;"
        " const row = el && el.closest('tr[data-late]');"
        " return row ? row.dataset.late + ':' + el.value : el && el.tagName; }"
    )
    assert page.evaluate(focused) == f"{first.code}:admit"
    status = page.locator("#lists-status")  # a live region that stays: screen readers hear it
    assert status.inner_text() == ""  # what the page showed on arrival is not announced again
    second = late_arrival()
    page.locator(f'tr[data-late="{second.code}"]').wait_for(timeout=10_000)  # a reload came
    assert status.inner_text() == "Late: reception decides (2)"
    page.wait_for_timeout(3_500)  # and another one
    assert page.evaluate(focused) == f"{first.code}:admit"
    assert page.locator("[aria-live]", has=page.locator("tr[data-late]")).count() == 0
    # The focus is where the keyboard left it: Enter admits that arrival.
    with page.expect_navigation():
        page.keyboard.press("Enter")
    first.refresh_from_db()
    assert first.state == "waiting"
