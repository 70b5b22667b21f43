"""The one lock helper: row locks taken on sorted keys with a bounded wait.

Apps lock their own rows through ``rows_lock``/``row_lock`` (primary-key order, so two
writers never wait on each other in opposite order) inside ``locked_transaction`` or
``transaction.atomic()``; scheduling's ``locations_lock`` is built on the same pieces. Across
tables the order is: locations first, then queue numbers, then a visit's rows (each path is
listed with ``locations_lock`` in scheduling/locking.py).

- PostgreSQL: ``SELECT ... FOR UPDATE`` on the Location rows with ``SET LOCAL
  lock_timeout``; a writer that waits longer than ``LOCK_TIMEOUT_S`` gets ``Busy`` (409,
  "busy, try again"). The exclusion constraint on legs is the backstop.
- SQLite: the database runs every ``transaction.atomic()`` as ``BEGIN IMMEDIATE``
  (see ``bmip/env.py``), which takes the single database write lock at the start of the
  transaction, so writers are already serialised; the busy timeout (``SQLITE_TIMEOUT_S``)
  bounds the wait. No row lock is needed (SQLite has none).

``ENABLED`` is a switch for the negative-control concurrency tests only: with it off,
``locations_lock`` takes no lock and the race between check and insert is open again.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from core.errors import CoreError
from core.exceptions import Busy

ENABLED = True

# PostgreSQL SQLSTATE 55P03: lock_not_available (raised when lock_timeout expires).
_LOCK_NOT_AVAILABLE = "55P03"


@contextmanager
def bounded_lock_wait() -> Iterator[None]:
    """Inside a transaction: wait at most ``LOCK_TIMEOUT_S`` for row locks, then ``Busy``.

    PostgreSQL: ``SET LOCAL lock_timeout`` for the rest of the block. SQLite: writers are
    serialised by ``BEGIN IMMEDIATE``; the busy timeout bounds that wait.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {int(settings.LOCK_TIMEOUT_S * 1000)}")
    try:
        yield
    except OperationalError as exc:
        if getattr(getattr(exc, "__cause__", None), "sqlstate", None) == _LOCK_NOT_AVAILABLE or (
            "lock" in str(exc).lower()
        ):
            raise Busy(
                _("Another change to the same records is being saved. Please try again."),
                code=CoreError.BUSY,
            ) from exc
        raise
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = DEFAULT")


@contextmanager
def locked_transaction() -> Iterator[None]:
    """``transaction.atomic()`` whose row locks wait at most ``LOCK_TIMEOUT_S`` (then ``Busy``)."""
    with transaction.atomic(), bounded_lock_wait():
        yield


def rows_lock(queryset: QuerySet) -> list:
    """Lock the rows of ``queryset`` (only its own table) in primary-key order, with the
    bounded wait, and return them. Must run inside ``transaction.atomic()``."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("rows_lock() must run inside transaction.atomic().")
    with bounded_lock_wait():
        return list(queryset.select_for_update(of=("self",)).order_by("pk"))


def row_lock(queryset: QuerySet):
    """The first row of ``queryset``, locked (None when there is none)."""
    rows = rows_lock(queryset)
    return rows[0] if rows else None


@contextmanager
def locking_disabled() -> Iterator[None]:
    """Switch the lock off (negative-control tests only)."""
    global ENABLED
    previous = ENABLED
    ENABLED = False
    try:
        yield
    finally:
        ENABLED = previous
