"""Door check-in with the kiosk device: the kiosk does not know activity tickets (kind A2);
it hands tokens it does not know to TICKET_CHECK_IN_HOOKS, and the activities hook checks
the person in at a session of that desk today."""

import pytest
from django.conf import settings

from activities.constants import Attendance
from activities.services.registration import registration_create
from activities.tickets import participant_token
from kiosk.models import QueueTicket
from tests import factories
from tests.activities.conftest import make_session, people

pytestmark = pytest.mark.django_db


def _today_participant(**kw):
    session = make_session(days_ahead=0, **kw)
    registration = registration_create(session=session, participants=people(2), actor=None)
    return session, registration.participants.order_by("pk").first()


def test_kiosk_checks_an_activity_ticket_in_once(client, reference):
    session, participant = _today_participant()
    # A name no CSRF token or ticket code can contain by chance.
    participant.first_name, participant.last_name = "Zenobia", "Kowalczyk-Nazwisko"
    participant.save(update_fields=["first_name", "last_name"])
    factories.pair_client(client, session.location)
    url = f"/kiosk/{session.location.slug}/"
    token = participant_token(participant)
    page = client.post(url, {"code": token.lower()})  # a scanner in keyboard mode
    assert page.status_code == 200
    assert "checked in" in page.content.decode()
    participant.refresh_from_db()
    assert participant.attendance == Attendance.ATTENDED
    assert participant.checked_in_at is not None
    again = client.post(url, {"code": token})
    assert again.status_code == 200 and "already" in again.content.decode().lower()
    assert not QueueTicket.objects.exists()  # no queue number for an activity
    for shown in (page, again):  # no names on the screen
        assert "Zenobia" not in shown.content.decode()
        assert "Kowalczyk" not in shown.content.decode()


def test_kiosk_refuses_activity_tickets_of_another_desk_or_forged(client, reference):
    session, participant = _today_participant()
    other = factories.location(slug="elsewhere", counters={"A": ["brp"]})
    factories.pair_client(client, other)
    page = client.post(f"/kiosk/{other.slug}/", {"code": participant_token(participant)})
    assert page.status_code == 400
    participant.refresh_from_db()
    assert participant.attendance == Attendance.EXPECTED
    forged = participant_token(participant)[:-2] + "XX"
    factories.pair_client(client, session.location)
    page = client.post(f"/kiosk/{session.location.slug}/", {"code": forged})
    assert page.status_code == 400


def test_the_activities_hook_is_configured():
    assert "activities.services.door.kiosk_ticket_check_in" in settings.TICKET_CHECK_IN_HOOKS
