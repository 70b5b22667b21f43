"""Activity tickets: one QR token per participant, signed by the project's one token signer
(``scheduling.tokens.signed_token_make``) with its own kind ``A2``, so an activity ticket is
never taken for a visit ticket. The token carries the random ticket code and a version only:
no name, birth date or database id. The door check-in re-checks the database."""

from core.codes import READABLE, random_code
from scheduling.tickets.qr import qr_render
from scheduling.tokens import TokenError, signed_token_make, signed_token_unsign

TOKEN_PREFIX = "A2"
CODE_ALPHABET = READABLE
CODE_LENGTH = 10


def ticket_code_new() -> str:
    return random_code(CODE_ALPHABET, CODE_LENGTH)


def participant_token(participant) -> str:
    return signed_token_make(
        prefix=TOKEN_PREFIX, code=participant.code, version=participant.token_version
    )


def participant_qr_data_url(participant) -> str:
    return qr_render(participant_token(participant)).data_url


def token_read(text: str) -> tuple[str, int | None] | str:
    """(ticket code, version) from a scanned token, or (code, None) for a typed ticket code,
    or a ``TokenError`` code."""
    text = (text or "").strip().upper()
    if not text or len(text) > 200:
        return TokenError.MALFORMED
    if text.startswith(f"{TOKEN_PREFIX}."):
        unsigned = signed_token_unsign(prefix=TOKEN_PREFIX, token=text)
        if isinstance(unsigned, str):
            return unsigned
        return unsigned[0], int(unsigned[1])
    if len(text) == CODE_LENGTH and all(char in CODE_ALPHABET for char in text):
        return text, None
    return TokenError.MALFORMED
