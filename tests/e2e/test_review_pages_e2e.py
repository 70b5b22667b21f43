"""The pages a UI review opened in a browser for the first time (operations board, capacity,
statistics, API tokens, advice log and report point, activities and the door check-in, the
claim statements; then every page whose table scrolls sideways on a phone), on the demo data,
as the role that uses each, at 1280 and 390 px: no sideways scroll of the page, the ticket's
QR code in view on a phone, and no serious or critical axe-core finding (when BMIP_AXE points
to axe.min.js). Screenshots: BMIP_SHOTS."""

import io
from importlib import import_module

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from tests.e2e.conftest import DESKTOP, PHONE, axe_check, shot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _demo_login(browser, live_server, username, viewport):
    page = browser.new_page(viewport=viewport, locale="nl-NL")
    if username:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "demo1234")
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state()
    return page


def test_reviewed_pages_fit_a_phone_and_passaxe_check(reference, live_server, browser):
    from django.contrib.auth import get_user_model

    from activities.models import Registration, Session
    from advice.models import Report
    from core.roles import user_employer, user_location
    from kiosk.constants import TicketState
    from kiosk.models import QueueTicket
    from scheduling.models import Appointment, GroupBooking, Location, PopulationFigure
    from settlement.models import SettlementPeriod, Statement

    # The demo stands on what migrations leave (advice topics and handling organisations; the
    # tariff comes with `reference`), which an earlier live-server test's flush removed.
    import_module("advice.migrations.0002_seed_lists").seed(django_apps, None)
    call_command("seed_demo", stdout=io.StringIO())
    session = Session.objects.order_by("pk").first()
    registration = Registration.objects.order_by("pk").first()
    report = Report.objects.order_by("pk").first()
    statement = Statement.objects.order_by("pk").first()
    users = get_user_model().objects
    period = SettlementPeriod.objects.order_by("pk").first().label
    group = (
        GroupBooking.objects.filter(employer=user_employer(users.get(username="employer")))
        .order_by("pk")
        .first()
    )
    appointment = Appointment.objects.filter(group_booking=group).order_by("pk").first()
    year = PopulationFigure.objects.order_by("-year").values_list("year", flat=True).first()
    desks = Location.objects.filter(kind="desk", is_active=True)
    cost_split = f"/counter/settlement/cost-split/?year={year}&state_percent=50" + (
        "&province_percent=25&municipalities_percent=25"
        + "".join(f"&desk_{desk.pk}=100000.00" for desk in desks)
    )
    # One of today's numbers at the reception's desk came late: its table is shown.
    late = QueueTicket.objects.filter(
        location=user_location(users.get(username="receptionist")), state=TicketState.WAITING
    ).first()
    QueueTicket.objects.filter(pk=late.pk).update(state=TicketState.LATE)
    pages = {
        "coordinator": [
            ("board", "/kiosk/board/"),
            ("capacity", "/scheduling/capacity/"),
            ("statistics", "/statistics/"),
            ("tokens", "/account/tokens/"),
            ("activities", "/activities/"),
            ("claims", "/counter/settlement/claims/"),
            ("book", "/scheduling/book/"),
            ("statement", f"/counter/settlement/statements/{statement.pk}/"),
            ("period", f"/counter/settlement/periods/{period}/"),
            ("netting", f"/counter/settlement/periods/{period}/netting/"),
            ("ageing", "/counter/settlement/ageing/"),
            ("cost-split", cost_split),
            ("invoices", "/counter/invoices/"),
            ("tariffs", "/counter/tariffs/"),
            ("waitlist-line", "/scheduling/portal/waitlist/"),
        ],
        "officer": [
            ("advice-log", "/advice/"),
            ("report-new", "/advice/reports/new/"),
            ("visits", "/counter/visits/"),
        ],
        "handler": [("reports", "/advice/reports/"), ("report", f"/advice/reports/{report.pk}/")],
        "employer": [
            ("session", f"/activities/sessions/{session.pk}/"),
            ("registration", f"/activities/registrations/{registration.reference}/"),
            ("group", f"/scheduling/portal/group-bookings/{group.reference}/"),
            ("appointment", f"/scheduling/appointments/{appointment.booking_code}/"),
        ],
        "receptionist": [
            ("door", f"/activities/sessions/{session.pk}/door/"),
            ("reception", "/kiosk/reception/"),
        ],
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
                axe_check(page, f"{name} {width}")
            page.close()


def _fits(page, name: str, width: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, (name, width, overflow)


def test_offer_visit_and_kiosk_report_fit_and_passaxe_check(
    reference, working_day_office_hours, live_server, browser
):
    """A second review: the employer's waitlist offer, the officer's visit page with the "Not
    delivered" box of a service being served, the kiosk's report form and receipt (a paired
    kiosk, portrait 1080x1920 and landscape 1280x800): no sideways scroll, no serious axe
    finding (the receipt had a hard meta refresh), as many worker rows as places held."""

    from django.conf import settings
    from django.contrib.auth import get_user_model

    from scheduling.constants import AppointmentStatus, WaitlistStatus
    from scheduling.models import Appointment
    from scheduling.services.legs import leg_start
    from scheduling.waitlist.tokens import offer_token
    from tests import factories

    import_module("advice.migrations.0002_seed_lists").seed(django_apps, None)
    call_command("seed_demo", stdout=io.StringIO())
    employer, desk, start, entry = factories.demo_waitlist_offer(group_size=2)
    officer = get_user_model().objects.get(username="officer")
    assert entry.status == WaitlistStatus.OFFERED
    visit = Appointment.objects.filter(location=desk, status=AppointmentStatus.CHECKED_IN).first()
    leg = visit.legs.order_by("position").first()
    leg_start(leg=leg, counter=desk.counters.filter(services=leg.service).first(), actor=officer)
    secret = factories.kiosk_device(desk)

    offer_url = f"/scheduling/portal/waitlist/offer/{offer_token(entry)}/"
    for viewport, width in ((DESKTOP, "desktop"), (PHONE, "390")):
        page = _demo_login(browser, live_server, "employer", viewport)
        assert page.goto(f"{live_server.url}{offer_url}").status == 200
        assert page.locator("#worker-rows fieldset").count() == 2  # the places held
        _fits(page, "offer", width)
        shot(page, f"review2-offer-{width}")
        axe_check(page, f"offer {width}")
        page.close()
        page = _demo_login(browser, live_server, "officer", viewport)
        assert page.goto(f"{live_server.url}/counter/visits/{visit.pk}/").status == 200
        box = page.locator("form.not-delivered").bounding_box()
        assert box and box["x"] + box["width"] <= viewport["width"], box
        _fits(page, "visit", width)
        shot(page, f"review2-visit-{width}")
        axe_check(page, f"visit {width}")
        page.close()

    for viewport, name in (
        ({"width": 1080, "height": 1920}, "portrait"),
        ({"width": 1280, "height": 800}, "landscape"),
    ):
        page = browser.new_page(viewport=viewport, locale="nl-NL")
        page.context.add_cookies(
            [{"name": settings.KIOSK_DEVICE_COOKIE, "value": secret, "url": live_server.url}]
        )
        assert page.goto(f"{live_server.url}/kiosk/{desk.slug}/more/report/").status == 200
        _fits(page, "kiosk report", name)
        shot(page, f"review2-kiosk-report-{name}")
        axe_check(page, f"kiosk report {name}")
        page.locator("input[name=category]").first.check()
        page.fill("#id_address", "Breda")
        page.fill("#id_description", "Geen loon sinds twee maanden.")
        page.locator("form.kiosk-report button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("[data-receipt]").count() == 1
        _fits(page, "kiosk receipt", name)
        shot(page, f"review2-kiosk-receipt-{name}")
        axe_check(page, f"kiosk receipt {name}")
        page.close()
