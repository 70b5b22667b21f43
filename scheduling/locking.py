"""Locking of locations for writes that must see a stable picture of counter time.

Call ``locations_lock`` once per transaction, before the availability re-check, with every
location whose counters the write touches. Built on ``core.locking`` (sorted keys, bounded
wait -> ``Busy``, 409). On SQLite ``BEGIN IMMEDIATE`` already serialises writers.
"""

from collections.abc import Iterable

from django.db import connection, transaction

from core import locking
from scheduling.availability_cache import availability_changed


def locations_lock(location_ids: Iterable[int]) -> list[int]:
    """Lock the given locations for the rest of the current transaction.

    Returns the sorted ids that were locked (empty when locking is switched off).
    Raises ``Busy`` when a competing writer holds the lock longer than the bounded wait.
    """
    from scheduling.models import Location

    keys = sorted({int(pk) for pk in location_ids})
    # A write that locks locations changes their counter time: cached availability goes.
    availability_changed(keys)
    if not locking.ENABLED or not keys:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("locations_lock() must run inside transaction.atomic().")
    if connection.vendor != "postgresql":
        # SQLite: BEGIN IMMEDIATE already holds the database write lock.
        return keys
    locking.rows_lock(Location.objects.filter(pk__in=keys).only("pk"))
    return keys
