"""The employer's day in Chromium: books eight workers by typing them (rows added and removed in
the browser; a Ukrainian under temporary protection gets no work-permit referral), confirms,
cancels one worker with a reason; books a second group from a CSV with one bad row (sees the
row's error, the file named, the rest kept), corrects it and confirms; the dashboard's counts
add up. Screenshots at desktop and 390 px with BMIP_SHOTS; at 390 px nothing scrolls sideways."""

import pytest

from core.models import AuditLogEntry
from core.roles import Role
from scheduling.constants import AppointmentStatus
from scheduling.models import Appointment, GroupBooking
from tests import factories
from tests.e2e.conftest import PHONE, axe_check, login, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WORKERS = [
    ("Piotr", "Kowalski", "1990-05-17", "PL", "12", "GM0826", "pl"),
    ("Ana", "Popescu", "1992-03-03", "RO", "6", "GM0758", "ro"),
    ("Olena", "Shevchenko", "1988-08-08", "UA", "12", "GM0855", "uk"),
    ("Jonas", "Petraitis", "1995-01-20", "LT", "2", "GM0826", "lt"),
    ("Maria", "Ivanova", "1991-11-11", "BG", "12", "GM0758", "bg"),
    ("Janis", "Berzins", "1993-07-07", "LV", "6", "GM0855", "lv"),
    ("Eva", "Kovacs", "1994-04-04", "HU", "12", "GM0826", "hu"),
    ("Tomas", "Novak", "1989-09-09", "SK", "12", "GM0758", "sk"),
]


def _no_sideways_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _fill_row(row, worker, *, protected=False):
    first, last, birth, nationality, stay, municipality, language = worker
    row.get_by_label("First name").fill(first)
    row.get_by_label("Last name").fill(last)
    row.get_by_label("Birth date").fill(birth)
    row.get_by_label("Nationality (ISO, e.g. PL)").fill(nationality)
    row.get_by_label("Stay (months)").fill(stay)
    row.get_by_label("Municipality of residence").select_option(municipality)
    row.get_by_label("Language").select_option(language)
    if protected:
        row.get_by_label("Temporary protection (Ukraine)").check()
        row.get_by_label("Interpreter needed").check()


def test_employer_books_by_form_and_by_csv_and_cancels_a_worker(
    reference, live_server, browser, next_monday, tmp_path
):
    from playwright.sync_api import expect

    desk = factories.location(
        slug="e2e-portal",
        name="Desk Breda",
        counters={
            "Balie 1": ["brp", "rni"],
            "Balie 2": ["brp", "rni"],
            "Balie 3": ["zvw"],
            "Balie 4": ["ind", "twv"],
        },
    )
    employer = factories.employer(name="Brabant Logistics B.V.")
    factories.user(Role.EMPLOYER, username="e2e-hr", employer=employer)
    day = next_monday.isoformat()

    page = login(browser, live_server, "e2e-hr")
    page.goto(f"{live_server.url}/scheduling/portal/group-bookings/new/")
    # "Where": only the field it needs is shown.
    expect(page.get_by_label("Desk")).to_be_visible()
    expect(page.get_by_label("Region")).to_be_hidden()
    page.get_by_label("Where").select_option("region")
    expect(page.get_by_label("Region")).to_be_visible()
    expect(page.get_by_label("Desk")).to_be_hidden()
    page.get_by_label("Where").select_option("location")
    page.get_by_label("Desk").select_option(str(desk.pk))
    page.get_by_label("From").fill(day)
    page.get_by_label("To").fill(day)
    page.get_by_label("Purchase-order reference").fill("PO-2026-8")

    rows = page.locator("[data-worker-row]")
    expect(rows).to_have_count(3)
    add = page.get_by_role("button", name="Add a worker")
    for _ in range(6):
        add.click()
    expect(rows).to_have_count(9)
    # One row too many: removed again, the others renumbered.
    rows.nth(8).get_by_role("button", name="Remove this worker").click()
    expect(rows).to_have_count(8)
    expect(page.locator("#id_w-TOTAL_FORMS")).to_have_value("8")
    for i, worker in enumerate(WORKERS):
        _fill_row(rows.nth(i), worker, protected=worker[3] == "UA")
    expect(rows.nth(7).locator("legend")).to_contain_text("Worker 8")
    shot(page, "employer-form-eight-workers-desktop")
    axe_check(page, "form")
    page.get_by_role("button", name="Plan the visits").click()
    expect(page.locator("h1")).to_contain_text("Group booking")
    expect(page.locator("#workers tbody tr")).to_have_count(8)
    olena = page.locator("#workers tbody tr", has_text="Olena")
    expect(olena).to_contain_text("IND referral")
    expect(olena).not_to_contain_text("permit")
    page.get_by_role("button", name="Confirm and book").click()
    expect(page.locator(".messages")).to_contain_text("Booked.")
    group = GroupBooking.objects.get(po_reference="PO-2026-8")
    assert group.status == "confirmed" and group.appointments.count() == 8
    shot(page, "employer-group-confirmed-desktop")
    axe_check(page, "group page")

    # At 390 px the table is cards: the visit and the Ticket/Cancel buttons are on screen.
    phone = browser.new_page(viewport=PHONE)
    phone.context.add_cookies(page.context.cookies())
    phone.goto(page.url)
    _no_sideways_scroll(phone)
    card = phone.locator("#workers tbody tr").first
    for name in ("Ticket", "Cancel…"):
        box = card.get_by_role("link", name=name).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], name
    expect(card.locator("td[data-label=Visit]")).to_be_in_viewport(ratio=0.5)
    shot(phone, "employer-group-confirmed-390")

    # Cancelling a worker: a confirmation page that needs a reason.
    tomas = page.locator("#workers tbody tr", has_text="Tomas")
    tomas.get_by_role("link", name="Cancel…").click()
    expect(page.locator("h1")).to_contain_text("Cancel a worker's visit")
    expect(page.locator("main")).to_contain_text("Tomas Novak")
    page.get_by_role("button", name="Cancel this visit").click()  # empty reason: blocked
    expect(page.locator("h1")).to_contain_text("Cancel a worker's visit")
    page.get_by_label("Reason").fill("He left the company")
    shot(page, "employer-cancel-worker-desktop")
    axe_check(page, "cancel page")
    page.get_by_role("button", name="Cancel this visit").click()
    expect(page.locator(".messages")).to_contain_text("The visit of Tomas Novak is cancelled.")
    tomas_visit = Appointment.objects.get(client__first_name="Tomas")
    assert tomas_visit.status == AppointmentStatus.CANCELLED
    entry = AuditLogEntry.objects.get(action="group_booking.worker_cancel")
    assert entry.reason == "He left the company"

    # The same by CSV: one bad row is shown with its error; nothing booked.
    header = (
        "first_name,last_name,birth_date,nationality,expected_stay_months,"
        "municipality_of_residence,language,email,temporary_protection"
    )
    lines = [f"Csv{n},Worker,1990-02-{n:02d},PL,12,Breda,pl,,no" for n in range(1, 8)]
    bad = [*lines, "Jan,Nowak,1990-01-01,PL,6,Tilburg,pl,jan@,no"]
    roster = tmp_path / "roster-week-50.csv"
    roster.write_text("\n".join([header, *bad]) + "\n", encoding="utf-8")
    page.goto(f"{live_server.url}/scheduling/portal/group-bookings/new/")
    page.get_by_label("Desk").select_option(str(desk.pk))
    page.get_by_label("From").fill(day)
    page.get_by_label("To").fill(day)
    page.get_by_label("Purchase-order reference").fill("PO-CSV")
    page.get_by_label("Roster file (.csv or .xlsx)").set_input_files(str(roster))
    page.get_by_role("button", name="Plan the visits").click()
    errors = page.locator("#roster-errors")
    expect(errors).to_contain_text("9")  # the row number in the file (header = 1)
    expect(errors).to_contain_text("Enter a valid e-mail address.")
    expect(page.locator(".messages")).to_contain_text("The file roster-week-50.csv was refused")
    expect(page.get_by_label("Purchase-order reference")).to_have_value("PO-CSV")
    expect(page.get_by_label("Desk")).to_have_value(str(desk.pk))
    shot(page, "employer-csv-row-error-desktop")
    axe_check(page, "row errors")
    phone.goto(page.url)  # a fresh form at 390 px: the worker rows stack
    _no_sideways_scroll(phone)
    shot(phone, "employer-form-390")
    assert not GroupBooking.objects.filter(po_reference="PO-CSV").exists()

    good = [*lines, "Jan,Nowak,1990-01-01,PL,6,Tilburg,pl,jan@example.org,no"]
    roster.write_text("\n".join([header, *good]) + "\n", encoding="utf-8")
    page.get_by_label("Roster file (.csv or .xlsx)").set_input_files(str(roster))
    page.get_by_role("button", name="Plan the visits").click()
    expect(page.locator("#workers tbody tr")).to_have_count(8)
    page.get_by_role("button", name="Confirm and book").click()
    expect(page.locator(".messages")).to_contain_text("Booked.")

    # The dashboard: counts that add up, per group.
    page.goto(f"{live_server.url}/scheduling/portal/")
    first = page.locator("tr", has_text=group.reference)
    expect(first.locator("td[data-label=Booked]")).to_have_text("7")
    expect(first.locator("td[data-label=Cancelled]")).to_have_text("1")
    expect(first.locator("td[data-label=Total]")).to_have_text("8")
    shot(page, "employer-dashboard-desktop")
    axe_check(page, "dashboard")
    phone.goto(page.url)
    _no_sideways_scroll(phone)
    shot(phone, "employer-dashboard-390")
    phone.close()
