"""Inserting rows with a random code (the field's default, ``new_booking_code``: appointments'
booking codes, group bookings' and waitlist entries' references).

A code is 8 symbols from 31: with years of rows a new code now and then equals one already
taken (or another in the same batch), and the unique constraint refuses the insert. Instead
of losing the booking, the insert runs in a savepoint; when it fails, one query looks for the
codes that clash and, if any do, those rows get fresh codes and the insert is tried again. Any
other IntegrityError (and a clash that survives ``CODE_ATTEMPTS`` tries) propagates as before.
Nothing is read before the insert, so a normal write costs no extra query, only the savepoint.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import IntegrityError, models, transaction

CODE_ATTEMPTS = 5


def _clashing(objs: Sequence[models.Model], field: str) -> list[models.Model]:
    """The objects whose code is taken by a stored row or by an earlier object of ``objs``."""
    model = type(objs[0])
    codes = {getattr(obj, field) for obj in objs}
    taken = set(
        model._default_manager.filter(**{f"{field}__in": codes}).values_list(field, flat=True)
    )
    seen: set[str] = set()
    clashing = []
    for obj in objs:
        code = getattr(obj, field)
        if code in taken or code in seen:
            clashing.append(obj)
        seen.add(code)
    return clashing


def insert_with_fresh_codes(objs: Sequence[models.Model], *, field: str) -> list[models.Model]:
    """``bulk_create`` new ``objs`` (one model); a random code in ``field`` that clashes is
    drawn again and the insert retried. Call it inside the caller's transaction."""
    objs = list(objs)
    model = type(objs[0])
    draw = model._meta.get_field(field).default  # the field's own generator
    for attempt in range(1, CODE_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return model._default_manager.bulk_create(objs)
        except IntegrityError:
            clashing = _clashing(objs, field) if attempt < CODE_ATTEMPTS else []
            if not clashing:
                raise
            for obj in clashing:
                setattr(obj, field, draw())
    raise AssertionError("unreachable")  # pragma: no cover
