"""Codes people read, type or scan (core.codes): every app makes them the one way."""

import pytest
from django.test import override_settings

from core.codes import CROCKFORD_BASE32, READABLE, keyed_code, random_code


@pytest.mark.parametrize("alphabet", [READABLE, CROCKFORD_BASE32, "AB"])
def test_random_code_draws_only_from_its_alphabet_at_its_length(alphabet):
    codes = {random_code(alphabet, 12) for _ in range(200)}
    assert all(len(code) == 12 and set(code) <= set(alphabet) for code in codes)
    assert len(codes) > 150  # fresh each time


def test_readable_alphabets_have_no_look_alikes():
    assert not set("01IO") & set(READABLE)
    assert not set("ILOU") & set(CROCKFORD_BASE32)
    assert len(set(CROCKFORD_BASE32)) == len(CROCKFORD_BASE32) == 32


@override_settings(SECRET_KEY="fixed-test-key")
def test_keyed_codes_keep_the_references_already_issued():
    """Settlement statements hash their lines with these references and municipalities book
    them: the derivation must not change (values computed by the code before core.codes)."""
    from settlement.services.claims import claim_reference
    from settlement.services.lines import registration_reference

    class Record:
        pk = 42

    assert registration_reference(Record()) == "R-X6DVYWXB0J"
    assert claim_reference("V", 42) == "V-MCF2A49VSK"
    assert claim_reference("N", 7) == "N-DDK3PCKX4Z"
    assert keyed_code("settlement-ref:42") == "X6DVYWXB0J"


def test_keyed_code_depends_on_the_secret_key_and_the_message():
    with override_settings(SECRET_KEY="one"):
        first = keyed_code("claim-ref:V:1")
        assert keyed_code("claim-ref:V:1") == first
        assert keyed_code("claim-ref:V:2") != first
    with override_settings(SECRET_KEY="two"):
        assert keyed_code("claim-ref:V:1") != first


def test_no_app_draws_code_symbols_or_derives_keyed_codes_itself():
    """One way per mechanism: ``secrets.choice`` (a code drawn symbol by symbol) and an HMAC
    of the SECRET_KEY turned into symbols live in core.codes only."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    apps = ("core", "scheduling", "kiosk", "counter", "advice", "settlement", "activities")
    found = [
        str(path.relative_to(root))
        for app in apps
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts
        and path != root / "core" / "codes.py"
        and re.search(r"secrets\.choice|divmod\(number, 32\)", path.read_text(encoding="utf-8"))
    ]
    assert found == []
