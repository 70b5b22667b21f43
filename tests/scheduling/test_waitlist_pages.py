"""The waitlist's portal pages: offered where a group search finds no fit, joining, my
waitlist with withdraw, the offer page (held time, confirm with workers, decline), the
coordinator's read-only line; another employer gets 404; no inline script; Dutch."""

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from django.utils import translation

from core.roles import Role
from scheduling.constants import GroupBookingStatus, WaitlistStatus
from scheduling.models import GroupBooking, WaitlistEntry
from scheduling.services.booking import appointment_cancel
from scheduling.waitlist.services import waitlist_join, waitlist_offers_make
from scheduling.waitlist.tokens import offer_token
from tests import factories as f
from tests.html import inline_scripts
from tests.scheduling.group_helpers import english  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def employer(reference):
    return f.employer()


def _web(user):
    client = WebClient()
    client.force_login(user)
    return client


@pytest.fixture
def web(employer):
    return _web(f.user(Role.EMPLOYER, employer=employer))


@pytest.fixture
def stranger(reference):
    return _web(f.user(Role.EMPLOYER, employer=f.employer()))


def _join(employer, waitlist_desk, day, size=2):
    return waitlist_join(
        employer=employer,
        actor=None,
        location=waitlist_desk,
        date_from=day,
        date_to=day,
        group_size=size,
        services=[f.service("brp")],
    )


@pytest.fixture
def offered(employer, waitlist_desk, next_monday, full_day):
    entry = _join(employer, waitlist_desk, next_monday)
    appointment_cancel(appointment=full_day[0], actor=None)
    appointment_cancel(appointment=full_day[1], actor=None)
    waitlist_offers_make()
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED
    return entry


def _worker_row(i: int) -> dict:
    values = {
        "first_name": f"Ana{i}",
        "last_name": "Pop",
        "birth_date": f"1990-01-{i + 1:02d}",
        "nationality": "RO",
        "expected_stay_months": "6",
        "municipality_of_residence": "GM0855",
        "language": "ro",
    }  # works_under_dutch_social_security left unticked: BRP only
    return {f"w-{i}-{k}": v for k, v in values.items()}


def test_a_group_that_does_not_fit_is_offered_the_waitlist(
    web, waitlist_desk, next_monday, full_day
):
    data = {
        "target": "location",
        "location": waitlist_desk.pk,
        "date_from": next_monday.isoformat(),
        "date_to": next_monday.isoformat(),
        "w-TOTAL_FORMS": "2",
        "w-INITIAL_FORMS": "0",
        **_worker_row(0),
        **_worker_row(1),
    }
    page = web.post(reverse("scheduling:portal-group-new"), data).content.decode()
    assert 'id="waitlist-offer"' in page
    join_url = reverse("scheduling:portal-waitlist-join")
    assert f"{join_url}?target=location&amp;group_size=2&amp;location={waitlist_desk.pk}" in page
    # The link fills in the join form (place, dates, size; no names).
    prefilled = web.get(
        f"{join_url}?target=location&group_size=2&location={waitlist_desk.pk}"
        f"&date_from={next_monday}&date_to={next_monday}"
    ).content.decode()
    assert 'name="group_size" value="2"' in prefilled
    assert f'value="{next_monday}"' in prefilled
    assert "Ana0" not in prefilled


def test_join_page_creates_the_entry(web, employer, waitlist_desk, next_monday):
    url = reverse("scheduling:portal-waitlist-join")
    data = {
        "target": "location",
        "location": waitlist_desk.pk,
        "date_from": next_monday.isoformat(),
        "date_to": next_monday.isoformat(),
        "group_size": "5",
        "services": [f.service("brp").pk],
    }
    response = web.post(url, data)
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get(employer=employer)
    assert (entry.group_size, entry.location) == (5, waitlist_desk)
    page = web.get(reverse("scheduling:portal-waitlist")).content.decode()
    assert entry.reference in page and "Withdraw" in page
    assert inline_scripts(page) == []


def test_join_page_shows_the_refusal(web, waitlist_desk, next_monday):
    data = {
        "target": "location",
        "location": waitlist_desk.pk,
        "date_from": next_monday.isoformat(),
        "date_to": (next_monday.replace(year=next_monday.year + 1)).isoformat(),
        "group_size": "5",
        "services": [f.service("brp").pk],
    }
    response = web.post(reverse("scheduling:portal-waitlist-join"), data)
    assert response.status_code == 400
    assert "at most 12 weeks" in response.content.decode()
    assert not WaitlistEntry.objects.exists()


def test_withdraw_from_my_waitlist(web, stranger, employer, waitlist_desk, next_monday):
    entry = _join(employer, waitlist_desk, next_monday)
    url = reverse("scheduling:portal-waitlist-withdraw", args=[entry.reference])
    assert stranger.post(url).status_code == 404
    assert (
        stranger.get(reverse("scheduling:portal-waitlist")).content.decode().count(entry.reference)
        == 0
    )
    assert web.post(url).status_code == 302
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WITHDRAWN


def test_offer_page_shows_the_hold_and_books_the_workers(web, stranger, offered):
    url = reverse("scheduling:portal-waitlist-offer", args=[offer_token(offered)])
    # Only the signed token (random reference + offer version): no name, no database id.
    assert url.split("/")[-2] == offer_token(offered)
    assert offer_token(offered).startswith(f"{offered.reference}.{offered.offer_version}:")
    assert offered.employer.name not in url
    assert stranger.get(url).status_code == 404
    page = web.get(url).content.decode()
    assert "2 visits are held for you" in page
    assert offered.offer_expires_at.astimezone().strftime("%d-%m-%Y") in page
    assert inline_scripts(page) == []
    data = {"w-TOTAL_FORMS": "2", "w-INITIAL_FORMS": "0", **_worker_row(0), **_worker_row(1)}
    response = web.post(url, data)
    assert response.status_code == 302
    offered.refresh_from_db()
    assert offered.status == WaitlistStatus.BOOKED
    assert response["Location"] == reverse(
        "scheduling:portal-group", args=[offered.booking.reference]
    )
    assert offered.booking.status == GroupBookingStatus.CONFIRMED


def test_offer_page_opens_with_as_many_worker_rows_as_places_held(web, offered):
    """An offer for 2 showed the group form's 3 empty rows (a UI review): one row too many."""
    page = web.get(
        reverse("scheduling:portal-waitlist-offer", args=[offer_token(offered)])
    ).content.decode()
    assert offered.group_size == 2
    assert 'name="w-TOTAL_FORMS" value="2"' in page
    assert 'name="w-1-first_name"' in page and 'name="w-2-first_name"' not in page
    assert 'data-max="2"' in page


def test_offer_page_decline(web, stranger, offered):
    url = reverse("scheduling:portal-waitlist-decline", args=[offer_token(offered)])
    assert stranger.post(url).status_code == 404
    assert web.post(url).status_code == 302
    offered.refresh_from_db()
    assert offered.status == WaitlistStatus.DECLINED
    page = web.get(
        reverse("scheduling:portal-waitlist-offer", args=[offer_token(offered)])
    ).content.decode()
    assert "There is no open offer" in page


def test_coordinator_reads_the_line_per_desk(offered, waitlist_desk, employer):
    coordinator = _web(f.user(Role.COORDINATOR))
    url = reverse("scheduling:portal-waitlist")
    page = coordinator.get(f"{url}?location={waitlist_desk.slug}").content.decode()
    assert offered.reference not in page  # the employer's name, not the reference
    assert employer.name in page and "Offered" in page
    assert "Withdraw" not in page


def test_hold_group_is_not_on_the_employer_dashboard(web, offered):
    page = web.get(reverse("scheduling:portal")).content.decode()
    hold = GroupBooking.objects.get(pk=offered.offer_group_id)
    assert hold.reference not in page
    assert web.get(reverse("scheduling:portal-group", args=[hold.reference])).status_code == 404


def test_pages_in_dutch(web, offered):
    web.cookies["django_language"] = "nl"
    text = web.get(reverse("scheduling:portal-waitlist")).content.decode()
    assert "Mijn wachtlijst" in text
    assert "Aanbod bekijken" in text
    with translation.override("nl"):
        assert str(WaitlistStatus.OFFERED.label) == "Aangeboden (plaatsen vastgehouden)"
