"""Reminders before an activity session: one per participant with an e-mail, in the
registration's language, sent once however often the periodic task runs."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from activities.constants import ParticipantKind
from activities.services.notifications import session_reminders_send
from activities.services.registration import (
    ParticipantIn,
    participant_cancel,
    registration_create,
)
from core.schedules import periodic_tasks
from tests.activities.conftest import make_session

pytestmark = pytest.mark.django_db


def person(name, email):
    return ParticipantIn(ParticipantKind.WORKER, name, "Test", email=email)


def test_reminder_once_per_participant_in_their_language(reference):
    soon = make_session(days_ahead=1)
    later = make_session(days_ahead=20)
    nl = registration_create(
        session=soon,
        participants=[person("Anna", "anna@example.com"), person("Piet", "")],
        actor=None,
        language="nl",
    )
    pl = registration_create(
        session=soon, participants=[person("Jan", "jan@example.com")], actor=None, language="pl"
    )
    gone = registration_create(
        session=soon, participants=[person("Ola", "ola@example.com")], actor=None
    )
    participant_cancel(participant=gone.participants.get(), actor=None)
    registration_create(session=later, participants=[person("Eve", "eve@example.com")], actor=None)
    now = timezone.now()
    assert session_reminders_send(now=now) == 2
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {"anna@example.com", "jan@example.com"}
    assert by_to["anna@example.com"].subject.startswith("Herinnering")
    assert "Hallo Anna" in by_to["anna@example.com"].body
    assert nl.reference not in by_to["anna@example.com"].subject
    assert by_to["jan@example.com"].subject.startswith("Przypomnienie")
    assert pl.participants.get().code in by_to["jan@example.com"].body
    # The task runs every 15 minutes: nobody gets a second reminder.
    assert session_reminders_send(now=now + dt.timedelta(minutes=15)) == 0
    assert len(mail.outbox) == 2


def test_reminder_task_is_scheduled():
    names = {task.func for task in periodic_tasks()}
    assert "activities.tasks.session_reminders_task" in names
