import datetime as dt

import pytest

from scheduling.constants import AppointmentStatus
from scheduling.tokens import TokenError, ticket_token_make, ticket_token_resolve
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def appt(reference, next_monday):
    desk = factories.location()
    return factories.appointment(loc=desk, start=factories.aware(next_monday, 10))


def test_token_round_trip_carries_no_personal_data(appt):
    token = ticket_token_make(appt)
    assert appt.client.last_name not in token
    assert str(appt.client.birth_date.year) not in token
    assert len(token) < 80
    result = ticket_token_resolve(token)
    assert result.ok and result.appointment == appt


@pytest.mark.parametrize("bad", ["", "garbage", "T1.ABC.1~xxxx", "x" * 500])
def test_malformed_or_tampered_tokens(appt, bad):
    result = ticket_token_resolve(bad)
    assert not result.ok and result.error in {TokenError.MALFORMED, TokenError.BAD_SIGNATURE}
    assert result.message


def test_tampered_payload_fails_signature(appt):
    token = ticket_token_make(appt)
    tampered = token.replace(appt.booking_code, "ABCDEFGH")
    assert ticket_token_resolve(tampered).error == TokenError.BAD_SIGNATURE
    assert ticket_token_resolve(token[:-3]).error == TokenError.BAD_SIGNATURE


def test_superseded_cancelled_and_expired(appt):
    token = ticket_token_make(appt)
    appt.token_version += 1
    appt.save()
    assert ticket_token_resolve(token).error == TokenError.SUPERSEDED
    assert ticket_token_resolve(ticket_token_make(appt)).ok
    late = appt.start + dt.timedelta(days=3)
    assert ticket_token_resolve(ticket_token_make(appt), now=late).error == TokenError.EXPIRED
    appt.status = AppointmentStatus.CANCELLED
    appt.save()
    assert ticket_token_resolve(ticket_token_make(appt)).error == TokenError.CANCELLED


def test_tokens_are_told_apart_from_booking_codes(appt):
    from scheduling.tokens import looks_like_ticket_token

    assert looks_like_ticket_token(ticket_token_make(appt))
    assert looks_like_ticket_token(ticket_token_make(appt).lower())
    assert not looks_like_ticket_token(appt.booking_code)
    assert not looks_like_ticket_token("")
