"""The follow-up secret of a report (shown once on the receipt, at the kiosk on the screen):
drawn from Crockford's base32 (no I, L, O or U, so no l/I/1 or O/0 to mix up), at least as many
bits as the old secrets.token_urlsafe(12) (96 bits), shown in groups of four; typed in
forgivingly (case, spaces, hyphens, O for 0 and I or L for 1); the secrets of reports made
before keep working (only their SHA-256 is stored: the old hash of what was typed still
matches)."""

import math
import re

import pytest

from advice.models import Report
from advice.selectors import (
    SECRET_ALPHABET,
    SECRET_LENGTH,
    normalise_secret,
    report_for_follow_up,
    secret_hash,
)
from tests.advice.helpers import a_report

pytestmark = pytest.mark.django_db

GROUPED = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4})+$")


def test_the_alphabet_has_no_look_alikes_and_the_secret_keeps_its_bits():
    assert len(set(SECRET_ALPHABET)) == len(SECRET_ALPHABET) == 32
    assert not set(SECRET_ALPHABET) & set("ILOUilou")  # only 0 and 1 of the look-alikes
    old_bits = 12 * 8  # secrets.token_urlsafe(12): 12 random bytes
    assert SECRET_LENGTH * math.log2(len(SECRET_ALPHABET)) >= old_bits
    assert SECRET_LENGTH * 5 == 100


def test_a_new_secret_is_grouped_base32_and_only_its_hash_is_stored(reference):
    receipt = a_report()
    assert GROUPED.match(receipt.secret), receipt.secret
    plain = receipt.secret.replace("-", "")
    assert len(plain) == SECRET_LENGTH and set(plain) <= set(SECRET_ALPHABET)
    report = Report.objects.get()
    assert report.secret_hash == secret_hash(plain)
    assert plain not in report.secret_hash


def test_secrets_differ(reference):
    assert len({a_report().secret for _ in range(5)}) == 5


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("abcd-efgh-jkmn-pqrs-tvwx", "ABCDEFGHJKMNPQRSTVWX"),
        ("  ab cd\tef gh  ", "ABCDEFGH"),
        ("O0o-Il1i", "0001111"),
        ("\u00a0ab\u2009cd\u00a0", "ABCD"),  # a no-break or thin space copied from a page
    ],
)
def test_typing_is_forgiving(typed, canonical):
    assert normalise_secret(typed) == canonical


def test_a_new_secret_typed_sloppily_follows_the_report(reference):
    receipt = a_report()
    plain = receipt.secret.replace("-", "")
    sloppy = " " + " ".join(plain[i : i + 5] for i in range(0, len(plain), 5)).lower() + "\n"
    sloppy = sloppy.replace("0", "o").replace("1", "l")
    for typed in (receipt.secret, plain, sloppy, receipt.secret.lower()):
        found = report_for_follow_up(receipt_number=receipt.receipt_number, secret=typed)
        assert found is not None and found.pk == receipt.report.pk, typed


def test_a_new_secret_with_one_symbol_changed_does_not_match(reference):
    receipt = a_report()
    plain = receipt.secret.replace("-", "")
    other = SECRET_ALPHABET[(SECRET_ALPHABET.index(plain[-1]) + 1) % 32]
    for typed in (plain[:-1] + other, plain[:-1], plain + "A", ""):
        assert report_for_follow_up(receipt_number=receipt.receipt_number, secret=typed) is None


@pytest.mark.parametrize(
    "legacy",
    [
        "aB3-_xYz01lIO9Qw",  # secrets.token_urlsafe(12): case matters, "-" and "_" included
        "ABCDEFGHJKMNPQRS",  # an old one that happens to be upper-case base32
    ],
)
def test_secrets_of_reports_made_before_still_follow_them(reference, legacy):
    receipt = a_report()
    Report.objects.filter(pk=receipt.report.pk).update(secret_hash=secret_hash(legacy))
    number = receipt.receipt_number
    for typed in (legacy, f"  {legacy}\n"):
        found = report_for_follow_up(receipt_number=number, secret=typed)
        assert found is not None and found.pk == receipt.report.pk
    # Exactly as before for an old secret: its case and characters matter.
    if legacy != legacy.lower():
        assert report_for_follow_up(receipt_number=number, secret=legacy.lower()) is None
    assert report_for_follow_up(receipt_number=number, secret=legacy[:-1]) is None
