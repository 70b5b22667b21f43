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


def group_booking_members(group: GroupBooking) -> list[Appointment]:
    legs = Leg.objects.select_related("service", "counter").order_by("position")
    return list(
        group.appointments.select_related("client", "location", "bus_visit")
        .prefetch_related(Prefetch("legs", queryset=legs))
        .order_by("start", "pk")
    )


def group_booking_tally(appointments) -> dict[str, int]:
    tally = Tally(a.status for a in appointments)
    return {status.value: tally.get(status.value, 0) for status in AppointmentStatus}


def group_bookings_tallied(groups: list[GroupBooking]) -> list[GroupBooking]:
    """``groups`` with ``tally`` set (visits per status), in one query for all of them."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Appointment.objects.filter(group_booking__in=[g.pk for g in groups])
        .values_list("group_booking_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for group_id, status, n in rows:
        counts.setdefault(group_id, {})[status] = n
    for group in groups:
        found = counts.get(group.pk, {})
        group.tally = {status.value: found.get(status.value, 0) for status in AppointmentStatus}
    return groups
