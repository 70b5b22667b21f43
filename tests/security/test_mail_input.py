"""Names with control characters are refused by the roster row (file, form, API).
Finding 11: a newline in a worker e-mail was accepted, and the send task then failed with
BadHeaderError after the employer's mail, so the remaining workers got nothing."""

import pytest
from django.core import mail

from core.roles import Role
from scheduling.group_booking.roster import RosterRowForm
from scheduling.group_booking.services import group_booking_create
from scheduling.models import Client
from scheduling.services.notifications import group_booking_confirmation_send
from tests import factories as f
from tests.scheduling.group_helpers import english, worker  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_an_email_with_a_newline_is_refused_by_the_roster_row(reference):
    form = RosterRowForm(
        data={
            "first_name": "Jan",
            "last_name": "Nowak",
            "birth_date": "1991-01-01",
            "nationality": "PL",
            "expected_stay_months": "12",
            "municipality_of_residence": "Oosterhout",
            "email": "a@example.org\nBcc: all@example.org",
        }
    )
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["email"]] == ["invalid_email"]


def test_one_bad_address_does_not_stop_the_others(reference, next_monday):
    employer = f.employer()
    desk = f.location(counters={"Balie 1": ["brp", "rni"], "Balie 2": ["zvw"]})
    group = group_booking_create(
        employer=employer,
        actor=f.user(Role.EMPLOYER, employer=employer),
        workers=[worker(n, email=f"w{n}@example.org") for n in (1, 2, 3)],
        location=desk,
        date_from=next_monday,
        date_to=next_monday,
        confirm=True,
    )
    mail.outbox.clear()
    # An address stored before the roster checked it (or written around the form).
    Client.objects.filter(email="w1@example.org").update(email="w1@example.org\nBcc: x@y.org")
    sent = group_booking_confirmation_send(group_booking_id=group.pk)
    recipients = {m.to[0] for m in mail.outbox}
    assert {"w2@example.org", "w3@example.org", employer.contact_email} <= recipients
    assert sent == 3


@pytest.mark.parametrize("name", ["Jan\nNowak", "Jan\x00", "Jan\u202eNowak", "Jan\tNowak"])
def test_a_name_with_control_characters_is_refused(reference, name):
    form = RosterRowForm(
        data={
            "first_name": name,
            "last_name": "Nowak",
            "birth_date": "1991-01-01",
            "nationality": "PL",
            "expected_stay_months": "12",
            "municipality_of_residence": "Oosterhout",
        }
    )
    assert not form.is_valid()
    assert [e.code for e in form.errors.as_data()["first_name"]] == ["name_invalid"]
