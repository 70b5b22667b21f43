"""Every page a demo user reaches from the navigation answers, in English and Dutch, and a
page outside a role's reach is not found or redirects to the login (never a 500)."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db

ROLE_PAGES = {
    "coordinator": [
        "/",
        "/scheduling/planner/",
        "/scheduling/book/",
        "/counter/tariffs/",
        "/counter/settlement/",
        "/kiosk/reception/",
        "/admin/",
    ],
    "receptionist": ["/kiosk/reception/", "/kiosk/breda/", "/kiosk/breda/display/"],
    "officer": ["/kiosk/officer/", "/counter/visits/"],
    "employer": ["/scheduling/portal/", "/counter/invoices/"],
    "municipality": ["/counter/settlement/"],
}


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def _nav_links(html: str) -> set[str]:
    nav = html.split("<nav", 1)[1].split("</nav>", 1)[0]
    return set(re.findall(r'href="(/[^"]*)"', nav))


def test_each_role_reaches_its_pages(client, demo):
    failures = []
    for role, pages in ROLE_PAGES.items():
        client.force_login(get_user_model().objects.get(username=role))
        for language in ("en", "nl"):
            home = client.get("/", HTTP_ACCEPT_LANGUAGE=language)
            assert home.status_code == 200
            for url in sorted(set(pages) | _nav_links(home.content.decode())):
                response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
                if response.status_code != 200:
                    failures.append((role, language, url, response.status_code))
        client.logout()
    assert failures == []


def test_employer_cannot_open_staff_screens(client, demo):
    client.force_login(get_user_model().objects.get(username="employer"))
    for url in ["/kiosk/reception/", "/kiosk/officer/", "/counter/visits/", "/admin/"]:
        response = client.get(url)
        assert response.status_code in (302, 403, 404), (url, response.status_code)
