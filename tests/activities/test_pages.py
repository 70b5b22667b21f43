"""The pages: an employer registers a list and sees only his own registrations; desk staff
check people in at the door of their own desk's sessions."""

import pytest
from django.urls import reverse

from activities.models import Registration
from activities.tickets import participant_token
from tests import factories
from tests.activities.conftest import make_session
from tests.html import inline_scripts

pytestmark = pytest.mark.django_db


def test_employer_registers_a_list_and_other_employer_gets_404(client, reference):
    session = make_session()
    employer = factories.employer()
    client.force_login(factories.user("employer", employer=employer))
    url = reverse("activities:session", kwargs={"session_id": session.pk})
    text = "worker; Jan; de Vries; ; jan@example.com\npartner; Eva; de Vries\nchild; Tim; de Vries; 2018-04-01"
    response = client.post(url, {"participants": text, "po_reference": "PO-7"})
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert registration.employer == employer and registration.participants.count() == 3
    page = client.get(
        reverse("activities:registration", kwargs={"registration": registration.reference})
    )
    assert page.status_code == 200 and b"data:image/png;base64" in page.content
    assert inline_scripts(page.content) == []
    client.force_login(factories.user("employer", employer=factories.employer()))
    other = client.get(
        reverse("activities:registration", kwargs={"registration": registration.reference})
    )
    assert other.status_code == 404


def test_bad_row_shows_the_line_and_registers_nobody(client, reference):
    session = make_session()
    client.force_login(factories.user("employer", employer=factories.employer()))
    url = reverse("activities:session", kwargs={"session_id": session.pk})
    response = client.post(url, {"participants": "worker; Jan\u202e; X\nboss; A; B"})
    assert response.status_code == 400
    assert Registration.objects.count() == 0


def test_row_errors_name_the_column_in_the_page_language_not_its_code(client, reference):
    session = make_session()
    client.force_login(factories.user("employer", employer=factories.employer()))
    url = reverse("activities:session", kwargs={"session_id": session.pk})
    response = client.post(
        url, {"participants": "worker; Jan\nboss; A; B"}, HTTP_ACCEPT_LANGUAGE="nl"
    )
    assert response.status_code == 400
    errors = response.content.decode().split('<ul class="errors"', 1)[1].split("</ul>", 1)[0]
    assert "Regel 1: achternaam" in errors and "Regel 2: soort" in errors
    assert "last_name" not in errors and "kind –" not in errors


def test_door_check_in_page_for_the_desk_staff(client, reference):
    desk = factories.location(counters={"A": ["brp"]})
    session = make_session(desk=desk)
    from activities.services.registration import registration_create
    from tests.activities.conftest import people

    participant = registration_create(session=session, participants=people(1), actor=None)
    participant = participant.participants.get()
    client.force_login(factories.user("receptionist", location=desk))
    url = reverse("activities:door", kwargs={"session_id": session.pk})
    response = client.post(url, {"token": participant_token(participant)})
    assert response.status_code == 200 and b"is checked in" in response.content
    # The confirmation stands out at the door (a styled, announced box, not a plain line).
    assert b'<p class="notice success" role="status">' in response.content
    other_desk = factories.location(slug="elsewhere", counters={"A": ["brp"]})
    client.force_login(factories.user("receptionist", location=other_desk))
    assert client.get(url).status_code == 404
