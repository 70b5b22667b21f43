"""Read side of group bookings: the portal dashboard, status views and API output."""

from collections import Counter as Tally

from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone

from scheduling.constants import AppointmentStatus, GroupBookingStatus
from scheduling.models import Appointment, GroupBooking, Leg
from scheduling.selectors.scope import group_bookings_for_user


def group_bookings_upcoming(user) -> QuerySet[GroupBooking]:
    today = timezone.localdate()
    return (
        group_bookings_for_user(user)
        .filter(date_to__gte=today)
        .exclude(status__in=(GroupBookingStatus.EXPIRED,))
        .select_related("location", "bus_visit")
        .order_by("date_from", "pk")
    )


def group_booking_members_query(group: GroupBooking) -> QuerySet[Appointment]:
    """The group's visits with their workers and legs (for a page of them, or all)."""
    legs = Leg.objects.select_related("service", "counter").order_by("position")
    return (
        group.appointments.select_related("client", "location", "bus_visit")
        .prefetch_related(Prefetch("legs", queryset=legs))
        .order_by("start", "pk")
    )


def _columns(tally: Tally) -> dict[str, int]:
    """Visits per status -> the five columns that add up to ``total``."""
    status = AppointmentStatus
    counts = {
        "booked": tally[status.HELD] + tally[status.BOOKED],
        "checked_in": tally[status.CHECKED_IN] + tally[status.IN_PROGRESS],
        "done": tally[status.COMPLETED],
        "no_show": tally[status.NO_SHOW],
        "cancelled": tally[status.CANCELLED],
    }
    counts["total"] = sum(tally.values())
    return counts


def group_booking_counts(appointments) -> dict[str, int]:
    """The group's workers in five columns that add up to ``total``: booked (held or booked,
    still to come), checked in (at the desk now), done, no-show and cancelled. A worker moves
    between columns as his day goes on; the total stays."""
    return _columns(Tally(a.status for a in appointments))


def group_booking_members(group: GroupBooking) -> list[Appointment]:
    return list(group_booking_members_query(group))


def group_bookings_tallied(groups: list[GroupBooking]) -> list[GroupBooking]:
    """``groups`` with ``counts`` set (as ``group_booking_counts``), in one query for all."""
    found: dict[int, Tally] = {}
    rows = (
        Appointment.objects.filter(group_booking__in=[g.pk for g in groups])
        .values_list("group_booking_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for group_id, status, n in rows:
        found.setdefault(group_id, Tally())[status] = n
    for group in groups:
        group.counts = _columns(found.get(group.pk, Tally()))
    return groups
