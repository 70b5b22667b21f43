"""Bounded row locks for the counter app: a lock that cannot be had in time is ``Busy`` (409).

(When the scheduling core grows a shared lock helper, this should delegate to it.)
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection

from scheduling.exceptions import Busy


@contextmanager
def bounded_lock_wait():
    """Inside a transaction: wait at most LOCK_TIMEOUT_S for row locks, then raise Busy."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{int(settings.LOCK_TIMEOUT_S)}s'")
    try:
        yield
    except OperationalError as exc:
        if "lock" in str(exc).lower():
            raise Busy() from exc
        raise
