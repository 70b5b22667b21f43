"""The live operations board (issue 16): every location and the bus on one screen, for
coordinators, from hand-built queue data at 10:00 on a Monday."""

import datetime as dt
import itertools

import pytest
import time_machine
from django.urls import reverse

from core.roles import Role
from kiosk.board import operations_board
from kiosk.constants import TicketPriority, TicketState
from kiosk.models import QueueTicket
from scheduling.constants import LocationKind
from tests import factories

pytestmark = pytest.mark.django_db

_numbers = itertools.count(1)


def ticket(loc, day, state, *, since, counter=None, service_date=None):
    """A number in ``state`` at ``loc`` waiting since ``since`` (an aware datetime)."""
    appt = factories.appointment(loc=loc, start=since, codes=["welcome"])
    n = next(_numbers)
    return QueueTicket.objects.create(
        location=loc,
        service_date=service_date or day,
        prefix="A",
        number=n,
        code=f"A{n:03d}",
        appointment=appt,
        priority=TicketPriority.BOOKED,
        state=state,
        leg=appt.legs.first(),
        counter=counter,
        issued_at=since,
        waiting_since=since,
        called_at=since if state in (TicketState.CALLED, TicketState.SERVING) else None,
    )


@pytest.fixture
def floor(reference, next_monday):
    """Desk A (open Mon-Fri 9-17, three counters) with a busy queue, desk B (closed on
    Mondays) and the bus at a site today (10-15... here 9-15, two counters on board)."""
    day = next_monday
    at = lambda h, m=0: factories.aware(day, h, m)  # noqa: E731
    desk_a = factories.location(name="Desk A", slug="desk-a")
    desk_b = factories.location(
        name="Desk B", slug="desk-b", weekdays=range(1, 5), counters={"B1": ["brp"], "B2": ["zvw"]}
    )
    bus = factories.location(
        name="The bus",
        slug="bus",
        kind=LocationKind.BUS,
        counters={"Bus 1": ["brp", "welcome"], "Bus 2": ["zvw"]},
    )
    factories.bus_visit(bus=bus, date=day, hours=(9, 15))
    balie = {c.name: c for c in desk_a.counters.all()}
    ticket(desk_a, day, TicketState.WAITING, since=at(9, 40))
    ticket(desk_a, day, TicketState.WAITING, since=at(9, 52))
    ticket(desk_a, day, TicketState.CALLED, since=at(9, 30), counter=balie["Balie 1"])
    ticket(desk_a, day, TicketState.SERVING, since=at(9, 20), counter=balie["Balie 2"])
    ticket(desk_a, day, TicketState.NO_SHOW, since=at(9, 10), counter=balie["Balie 1"])
    ticket(desk_a, day, TicketState.LATE, since=at(9, 55))
    ticket(desk_a, day, TicketState.DONE, since=at(9, 5), counter=balie["Balie 3"])
    # Yesterday's number still open (the day close did not run): not today's figure.
    ticket(
        desk_a,
        day,
        TicketState.WAITING,
        since=at(8, 0) - dt.timedelta(days=1),
        service_date=day - dt.timedelta(days=1),
    )
    ticket(bus, day, TicketState.WAITING, since=at(9, 58))
    return {"day": day, "now": at(10), "a": desk_a, "b": desk_b, "bus": bus}


def _rows(board):
    return {row.name: row.as_dict() for row in board["locations"]}


def test_each_location_and_the_bus_with_hand_computed_figures(floor):
    board = operations_board(now=floor["now"])
    rows = _rows(board)
    assert list(rows) == ["Desk A", "Desk B", "The bus"]  # desks first, then the bus
    figures = (
        "is_open waiting longest_wait_minutes counters_open counters_serving counters_idle "
        "no_shows late"
    ).split()
    assert [rows["Desk A"][f] for f in figures] == [True, 2, 20, 3, 2, 1, 1, 1]
    assert [rows["Desk B"][f] for f in figures] == [False, 0, None, 0, 0, 0, 0, 0]
    assert [rows["The bus"][f] for f in figures] == [True, 1, 2, 2, 0, 2, 0, 0]
    assert board["totals"] == {
        "waiting": 3,
        "longest_wait_minutes": 20,
        "counters_open": 5,
        "counters_serving": 2,
        "counters_idle": 3,
        "no_shows": 1,
        "late": 1,
    }


def test_after_closing_only_a_counter_still_serving_counts_as_open(floor):
    board = operations_board(now=factories.aware(floor["day"], 17, 30))
    rows = _rows(board)
    assert rows["Desk A"]["is_open"] is False
    assert rows["Desk A"]["counters_open"] == 2  # the two still at work
    assert rows["Desk A"]["counters_idle"] == 0
    assert rows["The bus"]["counters_open"] == 0  # the bus left at 15:00
    assert rows["Desk A"]["longest_wait_minutes"] == 17 * 60 + 30 - (9 * 60 + 40)


def test_constant_number_of_queries_whatever_the_number_of_locations(
    floor, django_assert_num_queries, django_assert_max_num_queries, client
):
    with django_assert_num_queries(8):
        operations_board(now=floor["now"])
    for n in range(4):
        loc = factories.location(name=f"Extra {n}", slug=f"extra-{n}")
        ticket(loc, floor["day"], TicketState.WAITING, since=floor["now"])
    with django_assert_num_queries(8):
        board = operations_board(now=floor["now"])
    assert len(board["locations"]) == 7
    client.force_login(factories.user(Role.COORDINATOR))
    with django_assert_max_num_queries(12):
        assert client.get(reverse("kiosk:board-feed")).status_code == 200


def test_coordinator_sees_the_page_and_the_feed(floor, client):
    with time_machine.travel(floor["now"], tick=False):
        client.force_login(factories.user(Role.COORDINATOR))
        page = client.get(reverse("kiosk:board"))
        feed = client.get(reverse("kiosk:board-feed"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Desk A" in html and "The bus" in html and "kiosk/board.js" in html
    assert f'data-feed="{reverse("kiosk:board-feed")}"' in html
    assert feed["Cache-Control"] == "no-store"
    data = feed.json()
    assert data["time"] == "10:00:00"
    desk_a = next(row for row in data["locations"] if row["name"] == "Desk A")
    assert desk_a["waiting"] == 2 and desk_a["longest_wait_minutes"] == 20
    assert data["totals"]["counters_serving"] == 2
    # Numbers and counts only: no names, no codes of people.
    assert "Kowalski" not in feed.content.decode() and "A001" not in feed.content.decode()


@pytest.mark.parametrize(
    "role", [Role.RECEPTIONIST, Role.OFFICER, Role.EMPLOYER, Role.MUNICIPALITY]
)
def test_others_get_403_and_anonymous_the_login_page(floor, client, role):
    for name in ("kiosk:board", "kiosk:board-feed"):
        assert client.get(reverse(name)).status_code == 302
    tie = {"location": floor["a"]} if role in (Role.RECEPTIONIST, Role.OFFICER) else {}
    if role == Role.EMPLOYER:
        tie = {"employer": factories.employer()}
    if role == Role.MUNICIPALITY:
        tie = {"municipality": factories.municipality()}
    client.force_login(factories.user(role, **tie))
    for name in ("kiosk:board", "kiosk:board-feed"):
        assert client.get(reverse(name)).status_code == 403


def test_board_speaks_dutch_and_has_no_inline_script_or_style(floor, client):
    with time_machine.travel(floor["now"], tick=False):
        client.force_login(factories.user(Role.COORDINATOR))
        client.cookies["django_language"] = "nl"
        page = client.get(reverse("kiosk:board"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Operationeel overzicht" in page and "Langste wachttijd (min)" in page
    assert "<script>" not in page and " style=" not in page
