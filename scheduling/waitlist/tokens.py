"""The offer link's token: the entry's random reference and the offer's version, signed with a
salt for this purpose. No personal data, no database id; a new offer (or a closed one) makes
older links useless because the version no longer matches."""

from django.core import signing

TOKEN_SALT = "bmip.waitlist-offer.v1"


def offer_token(entry) -> str:
    return signing.Signer(salt=TOKEN_SALT).sign(f"{entry.reference}.{entry.offer_version}")


def offer_token_read(token: str) -> tuple[str, int] | None:
    """(reference, version) of a genuine token, else None."""
    try:
        value = signing.Signer(salt=TOKEN_SALT).unsign(token or "")
    except signing.BadSignature:
        return None
    reference, _sep, version = value.partition(".")
    if not reference or not version.isdigit():
        return None
    return reference, int(version)
