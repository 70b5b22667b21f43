"""Locking of locations for writes that must see a stable picture of counter time.

Call ``locations_lock`` once per transaction, before the availability re-check, with every
location whose counters the write touches. Built on ``core.locking`` (sorted keys, bounded
wait -> ``Busy``, 409). On SQLite ``BEGIN IMMEDIATE`` already serialises writers.

Lock order. A transaction that locks a location and a queue number (kiosk.QueueTicket) takes
the location first, then the number, then the visit's own rows (its legs, the appointment):

- booking, group booking, rescheduling, waitlist offers, undoing a no-show
  (``appointment_no_show_revert``): the locations (sorted), then the visit; no number;
- kiosk check-in (one scan, or each member of a group) and walk-in numbers: the location
  (kiosk's ``_locked_location``, the same row lock), then the visit; the number is new;
- the reception's late decisions (admit, walk-in, no-show): the location, the number, the visit;
- undoing a no-show at the counter (``counter_undo``): the location, the number, the visit
  (the location is taken before the number, and again, a no-op, by
  ``appointment_no_show_revert``);
- the counter's other buttons (call, recall, start, finish, no-show, undo of a call, start or
  finish) and the end of the day's queue close: the number(s), then the visit; no location;
- a record written for a leg in progress (counter's ``service_record_create``, which finishes
  the leg): the leg's number(s) (``leg_numbers_lock``), then the leg and the visit
  (``leg_finish``), then the number again, a no-op (``ticket_follow_leg``, moving it on); no
  location.

Never lock a location while holding a number, nor a number while holding the visit's rows:
two such writers wait on each other in opposite order (a deadlock on PostgreSQL). A path that
finishes a leg without holding its number takes it first with ``leg_numbers_lock``.
tests/kiosk/test_lock_order.py checks the paths that take a location and a number (the late
decisions and the counter's undo of a no-show) and the two that finish a leg with a number
(the console's finish and the record).
"""

from collections.abc import Iterable

from django.db import connection, transaction

from core import locking
from core.hooks import hooks_call
from scheduling.availability_cache import availability_changed


def locations_lock(location_ids: Iterable[int]) -> list[int]:
    """Lock the given locations for the rest of the current transaction.

    Take it before any queue number or visit row of the same transaction (the lock order in
    this module's docstring: location, number, visit).

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


def leg_numbers_lock(leg_id: int) -> None:
    """Lock the queue numbers of a leg for the rest of the current transaction (kiosk's, through
    ``LEG_HOOKS["lock"]``; scheduling knows no numbers).

    Take it before the leg's or its visit's rows when the transaction may finish the leg
    without holding its number yet (the lock order in this module's docstring: number, then
    visit): ``leg_finish`` moves the number on (``LEG_HOOKS["finished"]``), which locks it.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("leg_numbers_lock() must run inside transaction.atomic().")
    hooks_call("LEG_HOOKS", "lock", leg_id=leg_id)
