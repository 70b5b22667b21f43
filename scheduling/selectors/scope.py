"""Row scoping: what a user may see. Every page and API builds on these querysets, and a
record outside the scope is answered with 404 (never 403, which would leak its existence)."""

from django.db.models import Q, QuerySet

from core.roles import is_coordinator, user_employer, user_location
from scheduling.models import Appointment, GroupBooking


def appointments_for_user(user) -> QuerySet[Appointment]:
    qs = Appointment.objects.select_related("client", "location")
    if is_coordinator(user):
        return qs
    employer = user_employer(user)
    if employer is not None:
        return qs.filter(Q(group_booking__employer=employer) | Q(client__employer=employer))
    location = user_location(user)
    if location is not None:
        return qs.filter(location=location)
    return qs.none()


def group_bookings_for_user(user) -> QuerySet[GroupBooking]:
    qs = GroupBooking.objects.select_related("employer", "location")
    if is_coordinator(user):
        return qs
    employer = user_employer(user)
    if employer is not None:
        # A waitlist hold is not the employer's booking: its offer page is the way in.
        return qs.filter(employer=employer, waitlist_hold=False)
    location = user_location(user)
    if location is not None:
        return qs.filter(appointments__location=location).distinct()
    return qs.none()


def clients_for_user(user) -> QuerySet:
    """Workers a user may see: an employer sees only his own workers."""
    from scheduling.models import Client

    qs = Client.objects.select_related("municipality_of_residence")
    if is_coordinator(user):
        return qs
    employer = user_employer(user)
    if employer is not None:
        return qs.filter(employer=employer)
    location = user_location(user)
    if location is not None:
        return qs.filter(appointments__location=location).distinct()
    return qs.none()


def group_booking_for_user(user, reference: str) -> GroupBooking:
    """One group booking in the user's scope, or NotFound (404: never reveal others')."""
    from core.exceptions import NotFound

    # get(), not first(): no ORDER BY id, so the unique index on reference finds the row
    # (with ORDER BY id LIMIT 1, SQLite may walk the table in id order instead).
    try:
        return group_bookings_for_user(user).get(reference=reference)
    except GroupBooking.DoesNotExist:
        raise NotFound() from None
