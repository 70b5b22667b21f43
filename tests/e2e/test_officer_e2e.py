"""The officer's day in Chromium: one screen per called person. A two-leg visit (BRP
registration, health-insurance intake) is served at two counters, each leg finished by
recording it on the console; a refused BSN keeps the form; one extra service is charged on
the visit page and the visit is closed. There is no Finish without a record."""

import datetime as dt

import pytest
from django.utils import timezone

from core.roles import Role
from counter.models import FeeLine, ServiceRecord, VisitClosure
from counter.services.setup import counter_setup
from kiosk.models import KioskSettings
from kiosk.services.tickets import kiosk_check_in_appointment
from scheduling.constants import AppointmentStatus
from settlement.models import SettlementLine
from tests import factories
from tests.e2e.conftest import PHONE, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_officer_serves_two_legs_by_recording_them(reference, office_hours, live_server, browser):
    from playwright.sync_api import expect

    desk = factories.location(slug="e2e-officer", name="Desk Breda", cbs_code="GM0758")
    KioskSettings.objects.create(location=desk)
    counter_setup()
    visit = factories.appointment(
        loc=desk,
        start=timezone.localtime() + dt.timedelta(minutes=5),
        codes=["brp", "zvw"],
        cl=factories.client(first_name="Marta", last_name="Wojcik"),
    )
    kiosk_check_in_appointment(location=desk, appointment=visit)
    factories.user(Role.OFFICER, username="e2e-officer", location=desk)
    balie1 = desk.counters.get(name="Balie 1")
    balie2 = desk.counters.get(name="Balie 2")

    page = login(browser, live_server, "e2e-officer")
    console1 = f"{live_server.url}/kiosk/officer/{balie1.pk}/"
    page.goto(console1)
    page.locator("#call-next").click()
    page.get_by_role("button", name="Start").click()
    current = page.locator("#current-person")
    expect(current).to_contain_text("Marta")
    # No Finish for a registration: the record form of the current leg is on the console.
    expect(current.get_by_role("button", name="Finish", exact=True)).to_have_count(0)
    form = current.locator("form[data-record-form]")
    expect(form).to_contain_text("Record: BRP registration")
    form.get_by_label("Reason").fill("documents checked")
    form.get_by_label("Registration date").fill(timezone.localdate().isoformat())
    form.get_by_label("BSN (when issued)").fill("123456789")
    form.get_by_role("button", name="Record and finish").click()
    # Refused in place: what was typed stays, the error is at the BSN field.
    form = current.locator("form[data-record-form]")
    expect(form.locator(".has-error .field-error")).to_contain_text("not a valid BSN")
    expect(form.get_by_label("BSN (when issued)")).to_have_value("123456789")
    expect(form.get_by_label("Reason")).to_have_value("documents checked")
    expect(form.get_by_label("BSN (when issued)")).to_be_focused()
    shot(page, "officer-console-refused-bsn-desktop")
    phone = browser.new_page(viewport=PHONE)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(console1)
    shot(phone, "officer-console-record-form-390")
    phone.close()
    assert not ServiceRecord.objects.exists()

    form.get_by_label("BSN (when issued)").fill("111222333")
    form.get_by_role("button", name="Record and finish").click()
    expect(page.locator("#current-person")).to_contain_text("Nobody at this counter.")
    expect(page.locator(".messages")).to_contain_text("Recorded: BRP registration")
    assert SettlementLine.objects.filter(record__leg__appointment=visit).count() == 1

    # The same number waits for the intake at Balie 2.
    page.goto(f"{live_server.url}/kiosk/officer/{balie2.pk}/")
    page.locator("#call-next").click()
    page.get_by_role("button", name="Start").click()
    form = page.locator("#current-person form[data-record-form]")
    expect(form).to_contain_text("Record: Health insurance intake")
    form.get_by_label("Intake result").select_option("signed_up")
    form.get_by_role("button", name="Record and finish").click()
    expect(page.locator("#current-person")).to_contain_text("Nobody at this counter.")

    # The visit page: both legs recorded; charge one extra service and close.
    page.goto(f"{live_server.url}/counter/visits/{visit.pk}/")
    expect(page.locator("section.leg")).to_have_count(2)
    expect(page.locator("section.leg").first).to_contain_text("Completed")
    page.locator("select[name=service]").select_option(index=0)
    page.get_by_role("button", name="Add extra service").click()
    page.get_by_role("button", name="Close visit").click()
    expect(page.locator("body")).to_contain_text("Closed on")
    shot(page, "officer-visit-page-closed-desktop")
    assert FeeLine.objects.filter(appointment=visit).count() == 1
    assert VisitClosure.objects.filter(appointment=visit).exists()
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.COMPLETED
    page.close()
