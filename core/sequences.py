"""Gapless numbers: the one generator for queue numbers, invoice and statement numbers.

Built on ``django-sequences`` (one row per sequence name, incremented in the caller's
transaction: a rolled-back insert gives its number back) and wrapped in the bounded lock
wait, so a writer that waits too long for a competing one gets ``Busy`` ("busy, try
again", 409) instead of hanging. The unique constraint on the numbered rows is the backstop.
"""

from django.db import transaction
from sequences import get_last_value, get_next_value

from core.locking import bounded_lock_wait


def sequence_next(name: str) -> int:
    """The next number of ``name`` (1, 2, 3, ...); must run inside the storing transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "sequence_next() must run inside the transaction that stores the number."
        )
    with bounded_lock_wait():
        return get_next_value(name)


def sequence_last(name: str) -> int:
    """The last number handed out for ``name`` (0 when none)."""
    return get_last_value(name) or 0
