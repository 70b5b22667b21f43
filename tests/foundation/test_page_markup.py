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
    from scheduling.models import Counter
    from settlement.models import Statement

    session = Session.objects.order_by("pk").first()
    registration = Registration.objects.order_by("pk").first()
    report = Report.objects.order_by("pk").first()
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
    ]


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.label_for, self.wraps, self.controls = set(), set(), [], []
        self.empty_th, self._th, self._label_depth = 0, None, 0

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
        if tag == "th":
            self._th = ""
        elif self._th is not None and tag in ("span", "img", "abbr"):
            self._th += "<x>"

    def handle_endtag(self, tag):
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
    problems = []
    for role, url in _pages():
        client.logout()
        if role:
            client.force_login(get_user_model().objects.get(username=role))
        for language in ("en", "nl"):
            response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
            assert response.status_code == 200, (role, url, response.status_code)
            page = _Page()
            page.feed(response.content.decode())
            for wrap in page.wraps:
                named = wrap.get("aria-labelledby") in page.ids or wrap.get("aria-label")
                if wrap.get("role") != "region" or wrap.get("tabindex") != "0" or not named:
                    problems.append((url, "table-wrap", wrap))
            if page.empty_th:
                problems.append((url, "empty th", page.empty_th))
            for control, wrapped in page.controls:
                if not (
                    wrapped or control.get("id") in page.label_for or control.get("aria-label")
                ):
                    problems.append((url, "no label", control.get("name")))
    assert problems == []
