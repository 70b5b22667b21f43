"""Waitlist reads: an employer's own entries, the coordinator's view per location, the entry
behind an offer link. Another employer's entry is answered as if it did not exist (404)."""

from django.db.models import Q, QuerySet

from core.exceptions import NotFound
from core.roles import is_coordinator, user_employer
from scheduling.constants import OPEN_WAITLIST_STATUSES, AppointmentStatus
from scheduling.errors import SchedulingError
from scheduling.models import Location, WaitlistEntry
from scheduling.waitlist.tokens import offer_token_read


def _base() -> QuerySet[WaitlistEntry]:
    return WaitlistEntry.objects.select_related(
        "employer", "location", "region", "offer_group__location", "booking"
    ).prefetch_related("services")


def waitlist_entries_for_user(user) -> QuerySet[WaitlistEntry]:
    """Coordinators: every entry; an employer: his own; everyone else: none."""
    if is_coordinator(user):
        return _base()
    employer = user_employer(user)
    if employer is not None:
        return _base().filter(employer=employer)
    return WaitlistEntry.objects.none()


def waitlist_entry_for_user(user, reference: str) -> WaitlistEntry:
    """One of the employer's own entries (coordinators read any), or NotFound."""
    entry = waitlist_entries_for_user(user).filter(reference=reference).first()
    if entry is None:
        raise NotFound(code=SchedulingError.WAITLIST_NOT_FOUND)
    return entry


def waitlist_entry_for_offer(user, token: str) -> WaitlistEntry:
    """The entry an offer link points at, for its own employer only; a forged or outdated
    token (a newer offer was made) is NotFound like another employer's entry."""
    parsed = offer_token_read(token)
    employer = user_employer(user)
    if parsed is None or employer is None:
        raise NotFound(code=SchedulingError.WAITLIST_NOT_FOUND)
    reference, version = parsed
    entry = _base().filter(reference=reference, employer=employer).first()
    if entry is None or entry.offer_version != version:
        raise NotFound(code=SchedulingError.WAITLIST_NOT_FOUND)
    return entry


def waitlist_line(*, location: Location | None = None) -> list[WaitlistEntry]:
    """The open entries in joining order (coordinators), those that may use ``location``
    (waiting for it, or for its region) when given, with each entry's place in line."""
    qs = _base().filter(status__in=OPEN_WAITLIST_STATUSES)
    if location is not None:
        regions = [r for r in (location.region_id, location.region.parent_id) if r]
        qs = qs.filter(Q(location=location) | Q(region_id__in=regions))
    entries = list(qs.order_by("joined_at", "pk")[:500])
    for number, entry in enumerate(entries, start=1):
        entry.line_number = number
    return entries


def waitlist_held_places(entry: WaitlistEntry) -> dict:
    """What an offer holds: the place, the number of visits and the first and last start."""
    if entry.offer_group_id is None:
        return {"places": 0, "first": None, "last": None, "location": None}
    held = entry.offer_group.appointments.filter(status=AppointmentStatus.HELD)
    starts = list(held.order_by("start").values_list("start", flat=True))
    return {
        "places": len(starts),
        "first": starts[0] if starts else None,
        "last": starts[-1] if starts else None,
        "location": entry.offer_group.location,
    }
