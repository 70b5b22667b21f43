"""Row scoping: what a user may see. Every page and API builds on these querysets, and a
record outside the scope is answered with 404 (never 403, which would leak its existence)."""

import operator
from functools import reduce

from django.db.models import Q, QuerySet

from core.roles import is_coordinator, user_employer, user_location
from scheduling.models import Appointment, Client, GroupBooking


def rows_for_user(
    user,
    qs: QuerySet,
    *,
    employer_fields: tuple[str, ...],
    location_field: str,
    distinct: bool = False,
) -> QuerySet:
    """``qs`` as far as ``user`` may see it: all of it for a coordinator; for an employer
    user the rows where any of ``employer_fields`` is their employer; for staff tied to a
    location the rows whose ``location_field`` is that location (``distinct`` when the field
    runs through a to-many relation); nothing for anyone else."""
    if is_coordinator(user):
        return qs
    employer = user_employer(user)
    if employer is not None:
        return qs.filter(reduce(operator.or_, (Q(**{f: employer}) for f in employer_fields)))
    location = user_location(user)
    if location is not None:
        qs = qs.filter(**{location_field: location})
        return qs.distinct() if distinct else qs
    return qs.none()


def appointments_for_user(user) -> QuerySet[Appointment]:
    return rows_for_user(
        user,
        Appointment.objects.select_related("client", "location"),
        employer_fields=("group_booking__employer", "client__employer"),
        location_field="location",
    )


def group_bookings_for_user(user) -> QuerySet[GroupBooking]:
    qs = rows_for_user(
        user,
        GroupBooking.objects.select_related("employer", "location"),
        employer_fields=("employer",),
        location_field="appointments__location",
        distinct=True,
    )
    if not is_coordinator(user) and user_employer(user) is not None:
        # A waitlist hold is not the employer's booking: its offer page is the way in.
        qs = qs.filter(waitlist_hold=False)
    return qs


def clients_for_user(user) -> QuerySet[Client]:
    """Workers a user may see: an employer sees only his own workers."""
    return rows_for_user(
        user,
        Client.objects.select_related("municipality_of_residence"),
        employer_fields=("employer",),
        location_field="appointments__location",
        distinct=True,
    )


def group_booking_for_user(user, reference: str) -> GroupBooking:
    """One group booking in the user's scope, or NotFound (404: never reveal others')."""
    from core.exceptions import NotFound

    # get(), not first(): no ORDER BY id, so the unique index on reference finds the row
    # (with ORDER BY id LIMIT 1, SQLite may walk the table in id order instead).
    try:
        return group_bookings_for_user(user).get(reference=reference)
    except GroupBooking.DoesNotExist:
        raise NotFound() from None
