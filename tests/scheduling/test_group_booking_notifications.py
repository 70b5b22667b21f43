"""Notifications: sent once (a task that runs twice sends nothing twice), worker e-mails in
the worker's language, reminders 48 hours ahead, notices on cancel and move, schedules."""

import datetime as dt

import pytest
from django.core import mail

from core.roles import Role
from scheduling.group_booking.services import group_booking_create, group_booking_worker_cancel
from scheduling.models import NotificationLog
from scheduling.services.booking import appointment_reschedule
from scheduling.services.notifications import (
    appointment_change_notify,
    appointment_reminders_send,
)
from scheduling.tasks import (
    appointment_change_task,
    appointment_reminders_task,
    group_booking_confirmation_task,
)
from tests import factories as f
from tests.scheduling.group_helpers import english, worker  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def booked(reference, next_monday, django_capture_on_commit_callbacks):
    employer = f.employer()
    hr = f.user(Role.EMPLOYER, employer=employer)
    desk = f.location(counters={"Balie 1": ["brp", "rni"], "Balie 2": ["zvw"]})
    with django_capture_on_commit_callbacks(execute=True):
        group = group_booking_create(
            employer=employer,
            actor=hr,
            workers=[
                worker(1, email="piotr@example.org", language="pl"),
                worker(2, email="ana@example.org", language="ro"),
                worker(3),  # no e-mail
            ],
            location=desk,
            date_from=next_monday,
            date_to=next_monday,
            confirm=True,
        )
    return group, hr


def test_confirmation_to_employer_with_ics_and_to_workers_in_their_language(booked):
    group, _hr = booked
    by_to = {m.to[0]: m for m in mail.outbox}
    assert set(by_to) == {group.employer.contact_email, "piotr@example.org", "ana@example.org"}
    employer_mail = by_to[group.employer.contact_email]
    assert group.reference in employer_mail.subject
    (name, content, mimetype) = employer_mail.attachments[0]
    assert name.endswith(".ics") and mimetype.startswith("text/calendar")
    assert str(content).count("BEGIN:VEVENT") == 3
    assert "Worker1" in employer_mail.body
    polish = by_to["piotr@example.org"]
    assert polish.subject.startswith("Twoja wizyta w BMIP")
    assert "Kod rezerwacji" in polish.body
    assert polish.attachments[0][0].endswith(".ics")
    romanian = by_to["ana@example.org"]
    assert romanian.subject.startswith("Programarea dumneavoastră la BMIP")
    # The worker's e-mail does not name the other workers.
    assert "Worker2" not in polish.body


def test_confirmation_task_run_twice_sends_nothing_twice(booked):
    group, _hr = booked
    sent = len(mail.outbox)
    assert group_booking_confirmation_task(group.pk) == 0
    assert group_booking_confirmation_task(group.pk) == 0
    assert len(mail.outbox) == sent
    assert NotificationLog.objects.filter(group_booking=group).count() == sent


def test_cancel_notice_once_per_change(booked, django_capture_on_commit_callbacks):
    group, hr = booked
    mail.outbox.clear()
    appointment = group.appointments.get(client__first_name="Worker1")
    with django_capture_on_commit_callbacks(execute=True):
        group_booking_worker_cancel(
            group_booking=group, booking_code=appointment.booking_code, actor=hr
        )
    assert {m.to[0] for m in mail.outbox} == {"piotr@example.org", group.employer.contact_email}
    polish = next(m for m in mail.outbox if m.to[0] == "piotr@example.org")
    assert "anulowana" in polish.subject
    assert "METHOD:CANCEL" in str(polish.attachments[0][1])
    assert appointment_change_task(appointment.pk, "cancelled") == 0
    assert len(mail.outbox) == 2


def test_moved_notice_after_reschedule(booked, next_monday, django_capture_on_commit_callbacks):
    group, _hr = booked
    mail.outbox.clear()
    appointment = group.appointments.get(client__first_name="Worker2")
    with django_capture_on_commit_callbacks(execute=True):
        appointment_reschedule(appointment=appointment, start=f.aware(next_monday, 14), actor=None)
    # The booking service itself sends the notice: once per change.
    assert {m.to[0] for m in mail.outbox} == {"ana@example.org", group.employer.contact_email}
    assert "SEQUENCE:1" in str(mail.outbox[0].attachments[0][1])
    appointment_change_notify(appointment_id=appointment.pk, kind="moved")
    assert len(mail.outbox) == 2


def test_staff_cancel_through_the_api_notifies_worker_and_employer(
    booked, client, django_capture_on_commit_callbacks
):
    group, _hr = booked
    mail.outbox.clear()
    appointment = group.appointments.get(client__first_name="Worker1")
    client.force_login(f.user(Role.COORDINATOR))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/api/v1/appointments/{appointment.booking_code}/cancel/",
            {"reason": "worker left"},
            content_type="application/json",
        )
    assert response.status_code == 200, response.getvalue()
    assert {m.to[0] for m in mail.outbox} == {"piotr@example.org", group.employer.contact_email}


def test_reminders_48_hours_ahead_once(booked, next_monday):
    group, _hr = booked
    mail.outbox.clear()
    first_start = group.appointments.order_by("start").first().start
    # Three days ahead: nothing yet.
    assert appointment_reminders_send(now=first_start - dt.timedelta(hours=72)) == 0
    # Within 48 hours: two workers with e-mail and one message for the employer.
    assert appointment_reminders_send(now=first_start - dt.timedelta(hours=47)) == 3
    assert appointment_reminders_send(now=first_start - dt.timedelta(hours=46)) == 0
    assert len(mail.outbox) == 3
    polish = next(m for m in mail.outbox if m.to[0] == "piotr@example.org")
    assert polish.subject.startswith("Przypomnienie")
    assert appointment_reminders_task() == 0  # "now" is weeks before the visit


def test_moving_a_worker_through_the_api_sends_a_moved_notice(
    booked, next_monday, django_capture_on_commit_callbacks
):
    from rest_framework.test import APIClient

    group, hr = booked
    mail.outbox.clear()
    appointment = group.appointments.get(client__first_name="Worker1")
    api = APIClient()
    api.force_authenticate(hr)
    url = f"/api/v1/group-bookings/{group.reference}/workers/{appointment.booking_code}/reschedule/"
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(url, {"start": f.aware(next_monday, 15).isoformat()}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["sequence"] == 1
    polish = next(m for m in mail.outbox if m.to[0] == "piotr@example.org")
    assert "przeniesiona" in polish.subject
    assert {m.to[0] for m in mail.outbox} == {"piotr@example.org", group.employer.contact_email}
    stranger = APIClient()
    stranger.force_authenticate(f.user(Role.EMPLOYER, employer=f.employer()))
    assert (
        stranger.post(
            url, {"start": f.aware(next_monday, 16).isoformat()}, format="json"
        ).status_code
        == 404
    )
