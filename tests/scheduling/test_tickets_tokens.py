"""The compact v2 ticket token (QR alphanumeric mode) and compatibility with v1 tokens."""

import pytest
from django.core import signing
from django.test import override_settings

from scheduling.tokens import (
    TOKEN_PREFIX,
    TOKEN_SALT,
    TokenError,
    ticket_token_make,
    ticket_token_resolve,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def appt(reference, next_monday):
    return factories.appointment(loc=factories.location(), start=factories.aware(next_monday, 10))


def test_token_is_short_uppercase_and_carries_only_code_and_version(appt):
    token = ticket_token_make(appt)
    assert token.startswith(f"T2.{appt.booking_code}.{appt.token_version}:")
    assert len(token) == 30
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.:")
    payload = token.split(":")[0].split(".")
    assert payload == ["T2", appt.booking_code, str(appt.token_version)]  # nothing else in clear


def test_scanner_lowercase_and_whitespace_are_tolerated(appt):
    token = ticket_token_make(appt)
    assert ticket_token_resolve(f"  {token.lower()}\n").appointment == appt


@pytest.mark.parametrize(
    "mutate",
    [
        lambda t: t[:-1],  # truncated
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # one character changed
        lambda t: t.split(":")[0] + ":",  # MAC removed
        lambda t: t.replace(".1:", ".2:"),  # version raised by hand
    ],
)
def test_altered_tokens_fail_the_signature(appt, mutate):
    result = ticket_token_resolve(mutate(ticket_token_make(appt)))
    assert result.error == TokenError.BAD_SIGNATURE and result.appointment is None


@pytest.mark.parametrize("bad", ["T2.", "T2.ABC", "T2.ABC.x:AAAA", "T2.AB-CD.1:AAAA"])
def test_malformed_v2_tokens(appt, bad):
    assert ticket_token_resolve(bad).error == TokenError.MALFORMED


def test_token_signed_with_another_secret_is_refused_until_it_is_a_fallback(appt, settings):
    with override_settings(SECRET_KEY="an-older-secret-key-of-sufficient-length-0123456789"):
        old = ticket_token_make(appt)
    assert ticket_token_resolve(old).error == TokenError.BAD_SIGNATURE
    settings.SECRET_KEY_FALLBACKS = ["an-older-secret-key-of-sufficient-length-0123456789"]
    assert ticket_token_resolve(old).ok


def test_v1_tokens_printed_earlier_still_resolve(appt):
    signer = signing.Signer(salt=TOKEN_SALT, sep="~")
    v1 = signer.sign(f"{TOKEN_PREFIX}.{appt.booking_code}.{appt.token_version}")
    assert ticket_token_resolve(v1).appointment == appt
    appt.token_version += 1
    appt.save()
    assert ticket_token_resolve(v1).error == TokenError.SUPERSEDED
