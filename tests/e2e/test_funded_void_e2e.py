"""Voiding an extra service the government parties pay, in Chromium (issue 18): the officer
types a reason in the row on the visit page and clicks Void (a missing reason is refused by
the browser's own check and, past it, by the service); the extra service can then be taken
again. Desktop and a 390 px phone: the page never scrolls sideways."""

import datetime as dt

import pytest
from django.utils import timezone

from core.roles import Role
from counter.models import FundedService
from counter.services.fees import fee_line_add
from counter.services.setup import counter_setup
from settlement.models import ClaimLine
from tests import factories
from tests.e2e.conftest import DESKTOP, PHONE, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "390"])
def test_officer_voids_a_funded_service_and_takes_it_again(
    reference, office_hours, live_server, browser, viewport
):
    from playwright.sync_api import expect

    desk = factories.location(slug="e2e-funded", name="Desk Breda", cbs_code="GM0758")
    counter_setup()
    factories.government_split(desk.region)
    visit = factories.appointment(
        loc=desk, start=timezone.localtime() - dt.timedelta(hours=1), codes=["brp", "welcome"]
    )
    officer = factories.user(Role.OFFICER, username="e2e-funded", location=desk)
    funded = fee_line_add(appointment=visit, service=factories.service("welcome"), actor=officer)

    page = login(browser, live_server, "e2e-funded", viewport=viewport)
    page.goto(f"{live_server.url}/counter/visits/{visit.pk}/")
    row = page.locator("tr", has_text="Government parties pay")
    expect(row).to_have_count(1)
    # No reason: the browser's own check keeps the form from leaving.
    row.get_by_role("button", name="Void").click()
    assert row.get_by_label("Reason").evaluate("e => !e.validity.valid")
    funded.refresh_from_db()
    assert funded.voided_at is None
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, f"funded-void-before-{viewport['width']}")

    row.get_by_label("Reason").fill("taken in error")
    row.get_by_role("button", name="Void").click()
    expect(page.locator(".messages")).to_contain_text("Saved.")
    row = page.locator("tr", has_text="taken in error")
    expect(row).to_contain_text("voided on")
    expect(row.get_by_role("button", name="Void")).to_have_count(0)
    funded.refresh_from_db()
    assert funded.voided_at is not None
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, f"funded-void-after-{viewport['width']}")

    # Taken again on the same visit.
    page.get_by_label("Extra service", exact=True).select_option(
        str(factories.service("welcome").pk)
    )
    page.get_by_role("button", name="Add extra service").click()
    expect(page.locator(".messages")).to_contain_text("Saved.")
    expect(page.locator("tr", has_text="Government parties pay")).to_have_count(2)
    valid = FundedService.objects.filter(appointment=visit, voided_at__isnull=True)
    assert valid.count() == 1
    assert sum(line.amount for line in ClaimLine.objects.filter(appointment=visit)) == 50
