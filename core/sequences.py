"""Gapless numbers: the one generator for queue numbers, invoice and statement numbers.

Built on ``django-sequences`` (one row per sequence name, incremented in the caller's
transaction: a rolled-back insert gives its number back) and wrapped in the bounded lock
wait, so a writer that waits too long for a competing one gets ``Busy`` ("busy, try
again", 409) instead of hanging. The unique constraint on the numbered rows is the backstop.
"""

from django.db import transaction
from sequences import get_last_value, get_next_value, get_next_values

from core.locking import bounded_lock_wait


def _require_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("Sequence numbers are drawn inside the transaction that stores them.")


def sequence_next(name: str) -> int:
    """The next number of ``name`` (1, 2, 3, ...); must run inside the storing transaction."""
    _require_transaction()
    with bounded_lock_wait():
        return get_next_value(name)


def sequence_next_block(name: str, count: int) -> range:
    """The next ``count`` consecutive numbers of ``name`` in one step (a batch of documents
    numbered together); must run inside the storing transaction."""
    _require_transaction()
    if count <= 0:
        return range(0)
    with bounded_lock_wait():
        return get_next_values(count, name)


def sequence_last(name: str) -> int:
    """The last number handed out for ``name`` (0 when none)."""
    return get_last_value(name) or 0
