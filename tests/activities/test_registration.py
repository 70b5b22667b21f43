"""Registering groups for activities: all or nothing, capacity, waiting list, fees per person
on the employer's invoice, credits for cancelling in time, door check-in, calendar file."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from activities.constants import ActivityPayer, Attendance, ParticipantKind, RegistrationState
from activities.errors import ActivitiesError
from activities.services.registration import (
    ParticipantIn,
    door_check_in,
    no_shows_record,
    participant_cancel,
    registration_cancel,
    registration_create,
)
from activities.tickets import participant_token
from core.exceptions import Conflict, ValidationFailed
from counter.models import ItemFeeLine
from counter.services.invoices import invoice_issue_for_employer
from scheduling.errors import SchedulingError
from tests import factories
from tests.activities.conftest import child, make_session, people

pytestmark = pytest.mark.django_db


def _register(session, n, employer=None, **kw):
    return registration_create(
        session=session, participants=people(n), actor=None, employer=employer, **kw
    )


def test_group_that_fits_is_confirmed_and_charged_per_person(session):
    employer = factories.employer()
    group = [*people(2), ParticipantIn(ParticipantKind.PARTNER, "P", "Test"), child()]
    registration = registration_create(
        session=session, participants=group, actor=None, employer=employer, po_reference="PO-9"
    )
    assert registration.state == RegistrationState.CONFIRMED
    fees = sorted(p.fee for p in registration.participants.all())
    assert fees == [Decimal("10.00"), Decimal("25.00"), Decimal("25.00"), Decimal("25.00")]
    lines = ItemFeeLine.objects.filter(payer_employer=employer)
    assert lines.count() == 4
    assert sum(line.amount for line in lines) == Decimal("85.00")


def test_all_or_nothing_one_bad_row_registers_nobody(reference):
    session = make_session(children_allowed=False)
    with pytest.raises(ValidationFailed) as err:
        registration_create(
            session=session,
            participants=[*people(3), child()],
            actor=None,
            employer=factories.employer(),
        )
    assert err.value.code == SchedulingError.ROSTER_INVALID
    assert err.value.details["rows"][0]["row"] == 4
    assert session.registrations.count() == 0
    assert ItemFeeLine.objects.count() == 0


def test_minimum_age_needs_and_checks_the_birth_date(reference):
    session = make_session(minimum_age=16)
    with pytest.raises(ValidationFailed) as err:
        registration_create(session=session, participants=[child(age=12)], actor=None)
    assert err.value.details["rows"][0]["code"] == ActivitiesError.TOO_YOUNG


def test_group_that_does_not_fit_is_waitlisted_whole_and_promoted_in_order(reference):
    session = make_session(capacity=10)
    employer = factories.employer()
    first = _register(session, 8, employer)
    waiting_a = _register(session, 3, employer)  # 11 > 10: the whole group waits
    waiting_b = _register(session, 1, employer)  # would fit, but nobody overtakes the head
    assert first.state == RegistrationState.CONFIRMED
    assert waiting_a.state == RegistrationState.WAITLISTED
    assert waiting_b.state == RegistrationState.WAITLISTED
    assert ItemFeeLine.objects.count() == 8  # waiting groups are not charged
    participant_cancel(participant=first.participants.first(), actor=None)  # 7 taken: 3 fit
    waiting_a.refresh_from_db()
    waiting_b.refresh_from_db()
    assert waiting_a.state == RegistrationState.CONFIRMED
    assert waiting_b.state == RegistrationState.WAITLISTED  # 10 taken
    assert ItemFeeLine.objects.filter(credit_of__isnull=True).count() == 11


def test_full_session_without_waitlist_refuses(reference):
    session = make_session(capacity=2)
    with pytest.raises(Conflict) as err:
        _register(session, 3, waitlist=False)
    assert err.value.code == ActivitiesError.SESSION_FULL


def test_cancel_in_time_credits_each_person_late_cancel_keeps_the_fee(reference):
    employer = factories.employer()
    early = make_session(days_ahead=30)
    registration = _register(early, 2, employer)
    registration_cancel(registration=registration, actor=None)
    assert sum(ItemFeeLine.objects.values_list("amount", flat=True)) == Decimal("0.00")
    assert ItemFeeLine.objects.filter(credit_of__isnull=False).count() == 2
    late = make_session(days_ahead=3)
    registration = _register(late, 2, employer)
    registration_cancel(registration=registration, actor=None)
    registration.refresh_from_db()
    assert registration.state == RegistrationState.CANCELLED
    late_lines = ItemFeeLine.objects.filter(service_date=late.date)
    assert sum(line.amount for line in late_lines) == Decimal("50.00")


def test_fees_and_credits_per_person_on_the_employer_invoice(session):
    employer = factories.employer()
    registration = registration_create(
        session=session,
        participants=[*people(2), child()],
        actor=None,
        employer=employer,
        po_reference="PO-1",
    )
    cancelled = registration.participants.get(kind=ParticipantKind.CHILD)
    participant_cancel(participant=cancelled, actor=None)  # in time: credited
    today = timezone.localdate()
    invoice = invoice_issue_for_employer(
        employer=employer,
        year=today.year,
        month=today.month,
        now=timezone.now() + dt.timedelta(seconds=1),
    )
    assert invoice is not None
    assert invoice.total == Decimal("50.00")
    lines = list(invoice.lines.all())
    assert [line.amount for line in lines] == [Decimal("25.00"), Decimal("25.00")]
    assert all("Introduction day" in line.description and line.client is None for line in lines)
    # The line names the person by ticket code, never by name (invoices outlive the retention
    # of personal data).
    for participant in registration.participants.exclude(pk=cancelled.pk):
        assert any(participant.code in line.description for line in lines)
        assert participant.first_name not in " ".join(line.description for line in lines)
    assert all(line.po_reference == "PO-1" for line in lines)
    assert ItemFeeLine.objects.filter(invoice__isnull=True).count() == 0


def test_participant_payer_and_free_make_no_invoice_lines(reference):
    free = make_session(payer=ActivityPayer.FREE)
    registration = _register(free, 2, factories.employer())
    assert {p.fee for p in registration.participants.all()} == {Decimal("0.00")}
    individual = _register(make_session(), 1)  # at the counter: the participant pays
    assert individual.payer == ActivityPayer.PARTICIPANT
    assert ItemFeeLine.objects.count() == 0


def test_door_check_in_with_the_ticket_is_idempotent(session):
    registration = _register(session, 2, factories.employer())
    participant = registration.participants.first()
    token = participant_token(participant)
    assert participant.first_name not in token  # no personal data in the QR
    first = door_check_in(session=session, text=token, actor=None)
    again = door_check_in(session=session, text=token.lower(), actor=None)
    assert (first.already, again.already) == (False, True)
    participant.refresh_from_db()
    assert participant.attendance == Attendance.ATTENDED
    typed = door_check_in(session=session, text=registration.participants.last().code, actor=None)
    assert typed.already is False


def test_door_refuses_forged_foreign_cancelled_and_waitlisted_tickets(reference):
    session = make_session(capacity=1)
    other = make_session()
    confirmed = _register(session, 1).participants.get()
    waiting = _register(session, 1).participants.get()
    foreign = _register(other, 1).participants.get()
    forged = participant_token(confirmed)[:-2] + "AA"
    for text in [forged, participant_token(foreign), participant_token(waiting), "hello"]:
        with pytest.raises(ValidationFailed):
            door_check_in(session=session, text=text, actor=None)
    # A visit ticket is not an activity ticket (same signer, another kind).
    from scheduling.tokens import signed_token_make

    visit_kind = signed_token_make(prefix="T2", code=confirmed.code, version=1)
    with pytest.raises(ValidationFailed):
        door_check_in(session=session, text=visit_kind, actor=None)
    participant_cancel(participant=confirmed, actor=None)
    with pytest.raises(ValidationFailed) as err:
        door_check_in(session=session, text=participant_token(confirmed), actor=None)
    assert err.value.code == ActivitiesError.ALREADY_CANCELLED


def test_no_shows_recorded_on_the_day(reference):
    session = make_session(days_ahead=0)
    registration = _register(session, 3)
    door_check_in(session=session, text=registration.participants.first().code, actor=None)
    assert no_shows_record(session=session, actor=None) == 2
    with pytest.raises(ValidationFailed):
        no_shows_record(session=make_session(days_ahead=5), actor=None)


def test_calendar_file_names_the_desk_as_organizer(session):
    from activities.calendar import registration_ics

    registration = registration_create(
        session=session,
        participants=[ParticipantIn(ParticipantKind.WORKER, "Ana", "Pop", email="ana@x.example")],
        actor=None,
    )
    ics = registration_ics(registration).decode()
    assert "ORGANIZER;CN=" in ics and "ATTENDEE" in ics and "ana@x.example" in ics
    assert f"activity-{registration.reference}@" in ics
