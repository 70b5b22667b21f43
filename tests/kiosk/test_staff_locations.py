"""Staff pages remember the chosen location (issue 14): planner, reception, officer console
and today's visits open at a desk (the user's own for desk staff, the first desk for a
coordinator, never the bus) and keep the location chosen last in the session."""

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from scheduling.constants import LocationKind
from tests import factories as f

pytestmark = pytest.mark.django_db

PAGES = ["scheduling:planner", "kiosk:reception", "kiosk:officer"]


@pytest.fixture
def places(reference):
    # "bus" sorts before "desk": the old default opened every page at the bus.
    bus = f.location(slug="bus-1", name="Mobile bus", kind=LocationKind.BUS)
    breda = f.location(slug="breda", name="Desk Breda")
    tilburg = f.location(slug="tilburg", name="Desk Tilburg", cbs_code="GM0855")
    return {"bus": bus, "breda": breda, "tilburg": tilburg}


def heading(response) -> str:
    page = response.getvalue().decode()
    return page[page.index("<h1>") : page.index("</h1>")]


@pytest.mark.parametrize("name", PAGES)
def test_coordinator_starts_at_the_first_desk_not_the_bus(name, places, client):
    client.force_login(f.user(Role.COORDINATOR))
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert "Desk Breda" in heading(response)


@pytest.mark.parametrize("name", PAGES)
def test_chosen_location_is_remembered_across_pages(name, places, client):
    client.force_login(f.user(Role.COORDINATOR))
    # Chosen on the planner, the other pages open there too (and vice versa).
    assert client.get(reverse("scheduling:planner"), {"location": "tilburg"}).status_code == 200
    assert "Desk Tilburg" in heading(client.get(reverse(name)))
    assert client.get(reverse(name), {"location": "bus-1"}).status_code == 200
    assert "Mobile bus" in heading(client.get(reverse("scheduling:planner")))


def test_desk_staff_open_at_their_own_desk(places, client):
    client.force_login(f.user(Role.RECEPTIONIST, location=places["tilburg"]))
    assert "Desk Tilburg" in heading(client.get(reverse("kiosk:reception")))
    # Another location is out of scope: 404, and nothing is remembered.
    assert client.get(reverse("kiosk:reception"), {"location": "breda"}).status_code == 404
    assert "Desk Tilburg" in heading(client.get(reverse("kiosk:reception")))


def test_todays_visits_location_column_and_filter_with_pagination(places, client, monkeypatch):
    now = timezone.localtime()
    start = now.replace(minute=0, second=0, microsecond=0)
    for loc in (places["breda"], places["tilburg"]):
        f.appointment(loc=loc, start=start, codes=["brp"])
    client.force_login(f.user(Role.COORDINATOR))
    page = client.get(reverse("counter:visits")).getvalue().decode()
    assert "<th>Location</th>" in page or '<th scope="col">Location</th>' in page
    assert page.count("Desk Breda") >= 2 and "Desk Tilburg" in page  # column + filter option
    filtered = client.get(reverse("counter:visits"), {"location": "tilburg"})
    body = filtered.getvalue().decode()
    rows = body[body.index("<tbody>") : body.index("</tbody>")]
    assert "Desk Tilburg" in rows and "Desk Breda" not in rows
    assert '<option value="tilburg" selected>' in body
    # All locations again (the empty choice), then pagination keeps the filter.
    everything = client.get(reverse("counter:visits"), {"location": ""}).getvalue().decode()
    rows = everything[everything.index("<tbody>") : everything.index("</tbody>")]
    assert "Desk Tilburg" in rows and "Desk Breda" in rows
    # Pagination keeps the filter: page 2 of Tilburg's visits is still Tilburg's.
    f.appointment(loc=places["tilburg"], start=start, codes=["zvw"])
    monkeypatch.setattr("counter.views.VISITS_PER_PAGE", 1)
    first = client.get(reverse("counter:visits"), {"location": "tilburg"}).getvalue().decode()
    assert "?location=tilburg&amp;page=2" in first
    second = client.get(reverse("counter:visits"), {"location": "tilburg", "page": 2})
    rows = second.getvalue().decode()
    rows = rows[rows.index("<tbody>") : rows.index("</tbody>")]
    assert "Desk Tilburg" in rows and "Desk Breda" not in rows
