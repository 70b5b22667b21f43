"""Gapless queue numbers per location, day and prefix (A001, A002, ... B001 ...).

A lock-guarded generator: the (location, day, prefix) sequence row is locked with
SELECT ... FOR UPDATE and incremented in the same transaction that inserts the ticket, so a
rolled-back ticket gives its number back. The unique constraint on QueueTicket is the
backstop.
"""

import datetime as dt

from django.db import transaction

from kiosk.models import TicketSequence

NUMBER_WIDTH = 3


def ticket_code_format(prefix: str, number: int) -> str:
    return f"{prefix}{number:0{NUMBER_WIDTH}d}"


def ticket_number_next(*, location_id: int, service_date: dt.date, prefix: str) -> int:
    """The next number; must run inside the transaction that stores the ticket."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("ticket_number_next must run inside a transaction")
    TicketSequence.objects.get_or_create(
        location_id=location_id, service_date=service_date, prefix=prefix
    )
    sequence = TicketSequence.objects.select_for_update().get(
        location_id=location_id, service_date=service_date, prefix=prefix
    )
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number
