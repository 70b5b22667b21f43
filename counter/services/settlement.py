"""Inter-municipal settlement lines for registrations (see the settlements issue).

The record service calls these in the same transaction as the registration record.
"""


def settlement_lines_for_registration(*, record, actor) -> list:
    """Write the settlement line(s) a completed BRP/RNI registration gives rise to.

    Placeholder until the settlement models exist: no line yet.
    """
    return []


def settlement_lines_reverse_registration(*, record, actor) -> list:
    """Write reversal line(s) in the next open period for a voided registration."""
    return []
