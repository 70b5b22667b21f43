"""Gapless queue numbers per location, day and prefix (A001, A002, ... B001 ...).

Taken from the project's one gapless generator (``core.sequences``) in the same transaction
that inserts the ticket, so a rolled-back ticket gives its number back. The unique
constraint on QueueTicket is the backstop.
"""

import datetime as dt

from core.sequences import sequence_next

NUMBER_WIDTH = 3


def ticket_code_format(prefix: str, number: int) -> str:
    return f"{prefix}{number:0{NUMBER_WIDTH}d}"


def ticket_sequence_name(*, location_id: int, service_date: dt.date, prefix: str) -> str:
    return f"queue:{location_id}:{service_date.isoformat()}:{prefix}"


def ticket_number_next(*, location_id: int, service_date: dt.date, prefix: str) -> int:
    """The next number; must run inside the transaction that stores the ticket."""
    return sequence_next(
        ticket_sequence_name(location_id=location_id, service_date=service_date, prefix=prefix)
    )
