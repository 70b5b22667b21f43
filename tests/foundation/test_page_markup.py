"""Markup rules on the demo's back-office pages (a UI review found them broken): a table that
scrolls sideways on a phone is a named, focusable region (keyboard users can scroll it, WCAG
2.1.1 / axe scrollable-region-focusable); no header cell is empty; every visible form control
has a label. The browser side (390 px, axe-core) is tests/e2e/test_review_pages_e2e.py."""

import io
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import translation

pytestmark = pytest.mark.django_db


def _pages():
    from activities.models import Registration, Session
    from advice.models import Report
    from core.roles import user_employer
    from counter.selectors import visits_for_officer
    from scheduling.models import Appointment, Counter, GroupBooking, Location, PopulationFigure
    from settlement.models import SettlementPeriod, Statement

    session = Session.objects.order_by("pk").first()
    registration = Registration.objects.order_by("pk").first()
    report = Report.objects.order_by("pk").first()
    period = SettlementPeriod.objects.order_by("pk").first().label
    employer = user_employer(get_user_model().objects.get(username="employer"))
    group = GroupBooking.objects.filter(employer=employer).order_by("pk").first()
    appointment = Appointment.objects.filter(group_booking=group).order_by("pk").first()
    visit = visits_for_officer(get_user_model().objects.get(username="officer")).first()
    year = PopulationFigure.objects.order_by("-year").values_list("year", flat=True).first()
    desks = Location.objects.filter(kind="desk", is_active=True)
    cost_split = f"/counter/settlement/cost-split/?year={year}&state_percent=50" + (
        "&province_percent=25&municipalities_percent=25"
        + "".join(f"&desk_{desk.pk}=100000.00" for desk in desks)
    )
    _late_arrival()
    return [
        ("coordinator", "/kiosk/board/"),
        ("coordinator", "/scheduling/capacity/"),
        ("coordinator", "/statistics/"),
        ("municipality", "/statistics/"),
        ("coordinator", "/account/tokens/"),
        ("employer", "/account/tokens/"),
        ("officer", "/advice/"),
        ("officer", "/advice/reports/new/"),
        (None, "/report/"),
        (None, "/report/status/"),
        ("handler", "/advice/reports/"),
        ("handler", f"/advice/reports/{report.pk}/"),
        ("coordinator", "/activities/"),
        ("employer", "/activities/"),
        ("employer", f"/activities/sessions/{session.pk}/"),
        ("employer", f"/activities/registrations/{registration.reference}/"),
        ("receptionist", f"/activities/sessions/{session.pk}/door/"),
        ("coordinator", "/counter/settlement/claims/"),
        ("municipality", "/counter/settlement/claims/"),
        # The per-role sweep of a second review (reception, officer, employer, settlement).
        ("receptionist", "/kiosk/reception/"),
        ("officer", f"/kiosk/officer/{Counter.objects.order_by('pk').first().pk}/"),
        ("employer", "/scheduling/portal/"),
        ("employer", "/scheduling/portal/group-bookings/new/"),
        ("employer", "/scheduling/portal/waitlist/"),
        ("coordinator", "/counter/settlement/"),
        ("municipality", "/counter/settlement/"),
        # A statement: its summary and lines scroll sideways on a phone.
        (
            "coordinator",
            f"/counter/settlement/statements/{Statement.objects.order_by('pk').first().pk}/",
        ),
        # A third sweep: every other table that scrolls sideways on a phone.
        ("coordinator", f"/counter/settlement/periods/{period}/"),
        ("coordinator", f"/counter/settlement/periods/{period}/netting/"),
        ("coordinator", "/counter/settlement/ageing/"),
        ("municipality", "/counter/settlement/ageing/"),
        ("coordinator", cost_split),
        ("coordinator", "/counter/invoices/"),
        ("employer", "/counter/invoices/"),
        ("coordinator", "/counter/tariffs/"),
        ("officer", "/counter/visits/"),
        ("officer", f"/counter/visits/{visit.pk}/"),
        ("employer", f"/scheduling/portal/group-bookings/{group.reference}/"),
        ("employer", f"/scheduling/appointments/{appointment.booking_code}/"),
        ("coordinator", "/scheduling/portal/waitlist/"),
        ("coordinator", "/scheduling/planner/"),
    ]


def _late_arrival():
    """One of today's numbers at the receptionist's desk checked in late: the reception page
    then shows its "Late: reception decides" table."""
    from core.roles import user_location
    from kiosk.models import QueueTicket, TicketState

    desk = user_location(get_user_model().objects.get(username="receptionist"))
    ticket = QueueTicket.objects.filter(location=desk, state=TicketState.WAITING).first()
    QueueTicket.objects.filter(pk=ticket.pk).update(state=TicketState.LATE)


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.label_for, self.wraps, self.controls = set(), set(), [], []
        self.empty_th, self._th, self._label_depth = 0, None, 0
        self.tables, self.headless_tables = [], 0  # header cells seen per open table

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "label":
            self._label_depth += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        if tag == "div" and "table-wrap" in (a.get("class") or "").split():
            self.wraps.append(a)
        if tag in ("input", "select", "textarea") and a.get("type") not in (
            "hidden",
            "submit",
            "button",
        ):
            self.controls.append((a, self._label_depth > 0))
        if tag == "table":
            self.tables.append(0)
        if tag == "th":
            self._th = ""
            if self.tables:
                self.tables[-1] += 1
        elif self._th is not None and tag in ("span", "img", "abbr"):
            self._th += "<x>"

    def handle_endtag(self, tag):
        if tag == "table" and self.tables:
            self.headless_tables += self.tables.pop() == 0
        if tag == "label":
            self._label_depth -= 1
        if tag == "th" and self._th is not None:
            self.empty_th += not self._th.strip()
            self._th = None

    def handle_data(self, data):
        if self._th is not None:
            self._th += data


@pytest.fixture(autouse=True)
def _restore_language():
    """A page requested in Dutch leaves Dutch active in this thread; later tests expect English."""
    before = translation.get_language()
    yield
    translation.activate(before)


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def test_scrolling_tables_are_focusable_regions_headers_are_named_controls_labelled(client, demo):
    """Also: every table has header cells (the reception's Called and Being served lists
    had none)."""
    problems = []
    for role, url in _pages():
        client.logout()
        if role:
            client.force_login(get_user_model().objects.get(username=role))
        for language in ("en", "nl"):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, (role, url, response.status_code)
            problems += _problems(url, response.content.decode())
    assert problems == []


def _problems(url, html):
    problems, page = [], _Page()
    page.feed(html)
    for wrap in page.wraps:
        named = wrap.get("aria-labelledby") in page.ids or wrap.get("aria-label")
        if wrap.get("role") != "region" or wrap.get("tabindex") != "0" or not named:
            problems.append((url, "table-wrap", wrap))
    if page.empty_th:
        problems.append((url, "empty th", page.empty_th))
    if page.headless_tables:  # a data table names its columns (WCAG 1.3.1)
        problems.append((url, "table without header cells", page.headless_tables))
    for control, wrapped in page.controls:
        if not (wrapped or control.get("id") in page.label_for or control.get("aria-label")):
            problems.append((url, "no label", control.get("name")))
    return problems


def test_roster_error_tables_are_focusable_regions(client, demo):
    """The table of a roster's errors (a group booking, a waitlist offer) is shown only after a
    refused POST: a row with a malformed e-mail address."""
    from scheduling.waitlist.tokens import offer_token
    from tests.factories import demo_waitlist_offer

    employer, desk, start, entry = demo_waitlist_offer()
    row = {
        "w-TOTAL_FORMS": "1",
        "w-INITIAL_FORMS": "0",
        "w-0-first_name": "Jan",
        "w-0-last_name": "Nowak",
        "w-0-birth_date": "1990-01-01",
        "w-0-nationality": "PL",
        "w-0-expected_stay_months": "6",
        "w-0-municipality_of_residence": "Tilburg",
        "w-0-email": "jan@",
    }
    group = {
        "target": "location",
        "location": desk.pk,
        "date_from": start.isoformat(),
        "date_to": start.isoformat(),
    }
    client.force_login(employer)
    problems = []
    for url, data in (
        ("/scheduling/portal/group-bookings/new/", group | row),
        (f"/scheduling/portal/waitlist/offer/{offer_token(entry)}/", row),
    ):
        response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
        assert response.context["roster_errors"], (url, response.status_code)
        problems += _problems(url, response.content.decode())
    assert problems == []
