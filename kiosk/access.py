"""Who may work where: receptionists and officers at their StaffProfile location,
coordinators anywhere. Out-of-scope locations and counters are answered with 404."""

from django.http import Http404

from core.roles import Role, is_coordinator, user_has_role, user_location
from scheduling.location_choice import location_remembered
from scheduling.models import Counter, Location


def locations_for_user(user):
    qs = Location.objects.filter(is_active=True).order_by("kind", "name")
    if is_coordinator(user):
        return qs
    location = user_location(user)
    return qs.filter(pk=location.pk) if location else qs.none()


def staff_location(user, slug: str | None = None, *roles: str) -> Location:
    """The location a staff user works at (coordinators choose one by slug)."""
    roles = roles or (Role.RECEPTIONIST, Role.OFFICER)
    if not (is_coordinator(user) or user_has_role(user, *roles)):
        raise Http404
    qs = locations_for_user(user)
    location = qs.filter(slug=slug).first() if slug else qs.first()
    if location is None:
        raise Http404
    return location


def staff_location_remembered(request, slug: str | None, *roles: str) -> Location:
    """Like ``staff_location``, but the choice is remembered in the session and the default
    is a desk (scheduling.location_choice), never the bus."""
    user = request.user
    roles = roles or (Role.RECEPTIONIST, Role.OFFICER)
    if not (is_coordinator(user) or user_has_role(user, *roles)):
        raise Http404
    return location_remembered(request, locations_for_user(user), slug)


def counter_for_user(user, counter_id: int) -> Counter:
    if not (is_coordinator(user) or user_has_role(user, Role.OFFICER)):
        raise Http404
    counter = (
        Counter.objects.select_related("location")
        .filter(pk=counter_id, location__in=locations_for_user(user))
        .first()
    )
    if counter is None:
        raise Http404
    return counter


def can_issue_walk_ins(user, location: Location) -> bool:
    if is_coordinator(user):
        return True
    return user_has_role(user, Role.RECEPTIONIST) and user_location(user) == location
