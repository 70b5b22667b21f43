"""The queue's lock helper: row locks with a bounded wait that becomes ``Busy`` (HTTP 409).

On PostgreSQL ``SET LOCAL lock_timeout`` bounds the wait; on SQLite (IMMEDIATE transactions)
the whole write transaction is serialised and the connection timeout bounds the wait.
Call it once per transaction, on sorted keys.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction

from scheduling.exceptions import Busy


def _set_lock_timeout() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = %s", [f"{settings.LOCK_TIMEOUT_S}s"])


@contextmanager
def bounded_locks():
    """A transaction whose row locks wait at most LOCK_TIMEOUT_S, then raise ``Busy``."""
    try:
        with transaction.atomic():
            _set_lock_timeout()
            yield
    except OperationalError as exc:
        text = str(exc).lower()
        if "lock" in text or "timeout" in text:
            raise Busy() from exc
        raise
