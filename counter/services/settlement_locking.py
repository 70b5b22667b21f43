"""Row locks for settlement writers: one helper, sorted keys, bounded wait -> ``Busy``.

On PostgreSQL the wait is bounded by ``SET LOCAL lock_timeout`` (settings.LOCK_TIMEOUT_S);
SQLite runs write transactions in IMMEDIATE mode, so writers are already serialised and
the busy timeout bounds the wait.
"""

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import QuerySet

from scheduling.exceptions import Busy


def lock_rows(queryset: QuerySet) -> list:
    """Lock the rows of ``queryset`` in primary-key order and return them."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("lock_rows must run inside a transaction.")
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SET LOCAL lock_timeout = '{int(settings.LOCK_TIMEOUT_S) * 1000}ms'"
                )
        return list(queryset.select_for_update(of=("self",)).order_by("pk"))
    except OperationalError as exc:
        raise Busy() from exc


def lock_row(queryset: QuerySet):
    rows = lock_rows(queryset)
    return rows[0] if rows else None
