"""The grouped main menu (issue 14): 17 links for a coordinator no longer wrap over three
lines; they sit in four disclosure groups (<details>/<summary>: keyboard and screen reader
work without script). Every link keeps its role condition."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from core.roles import Role

pytestmark = pytest.mark.django_db

EVERYONE = {"kiosk:index", "api-docs"}
# The links each role saw before grouping (their conditions are unchanged).
EXPECTED = {
    Role.COORDINATOR: EVERYONE
    | {
        "scheduling:planner",
        "scheduling:book",
        "counter:visits",
        "counter:tariffs",
        "counter:invoices",
        "kiosk:reception",
        "kiosk:officer",
        "admin:index",
        "scheduling:portal",
        "settlement:index",
        "core:statistics",
        "activities:index",
        "scheduling:capacity",
        "core:tokens",
        "advice:log",
        "advice:reports",
        "kiosk:board",
    },
    Role.RECEPTIONIST: EVERYONE
    | {"scheduling:planner", "scheduling:book", "kiosk:reception", "activities:index"},
    Role.OFFICER: EVERYONE
    | {
        "scheduling:planner",
        "scheduling:book",
        "counter:visits",
        "kiosk:officer",
        "activities:index",
        "advice:log",
    },
    Role.EMPLOYER: EVERYONE
    | {"counter:invoices", "scheduling:portal", "activities:index", "core:tokens"},
    Role.MUNICIPALITY: EVERYONE | {"settlement:index", "core:statistics", "core:tokens"},
    Role.HANDLER: EVERYONE | {"advice:reports"},
    None: EVERYONE,
}


def nav(role) -> str:
    request = RequestFactory().get("/")
    with translation.override("en"):  # the titles below are the English ones
        return render_to_string(
            "partials/nav.html", {"bmip_roles": {role} if role else set()}, request=request
        )


@pytest.mark.parametrize("role", list(EXPECTED))
def test_every_link_keeps_its_role_condition(role):
    links = set(re.findall(r'href="([^"]+)"', nav(role)))
    assert links == {reverse(name) for name in EXPECTED[role]}


def test_coordinator_menu_has_four_disclosure_groups():
    html = nav(Role.COORDINATOR)
    groups = re.findall(
        r"<details[^>]*>\s*<summary[^>]*>([^<]+)</summary>(.*?)</details>", html, re.S
    )
    titles = [title.strip() for title, _ in groups]
    assert titles == ["Desk", "Back office", "Governments", "Account"]
    by_title = {title.strip(): set(re.findall(r'href="([^"]+)"', body)) for title, body in groups}
    assert by_title["Desk"] == {
        reverse(n)
        for n in (
            "scheduling:planner",
            "scheduling:book",
            "kiosk:reception",
            "kiosk:officer",
            "kiosk:index",
            "kiosk:board",
        )
    }
    assert reverse("counter:tariffs") in by_title["Back office"]
    assert reverse("settlement:index") in by_title["Governments"]
    assert reverse("admin:index") in by_title["Account"]
    # Lists, so a screen reader announces "list, 5 items"; no inline style or script.
    assert html.count("<ul") == 4
    assert not re.search(r"""\s(style|on[a-z]+)\s*=""", html)


def test_groups_without_links_are_left_out():
    html = nav(Role.MUNICIPALITY)
    titles = [t.strip() for t in re.findall(r"<summary[^>]*>([^<]+)</summary>", html)]
    assert titles == ["Desk", "Governments", "Account"]


def test_current_page_and_its_group_are_marked(client):
    from tests import factories as f

    client.force_login(f.user(Role.COORDINATOR))
    page = client.get(reverse("counter:tariffs")).getvalue().decode()
    menu = page.split("<nav", 1)[1].split("</nav>", 1)[0]
    assert f'<a href="{reverse("counter:tariffs")}" aria-current="page">' in menu
    back_office = menu.split("Back office", 1)[0].rsplit("<details", 1)[1]
    # Marked, not opened: an open group would cover the page on every load.
    assert back_office.startswith(' class="nav-group is-current">')
