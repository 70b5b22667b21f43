"""The location a staff page opens at, remembered in the session (issue 14).

Planner, reception and the officer console share one remembered choice: a location picked on
one page is where the others open. Without a choice: the user's own desk for desk staff, for
a coordinator the first desk (never the bus, which only runs on its visit days)."""

from django.db.models import QuerySet
from django.http import Http404

from core.roles import user_location
from scheduling.constants import LocationKind
from scheduling.models import Location

SESSION_KEY = "bmip_location"


def location_default(user, locations: QuerySet[Location]) -> Location | None:
    own = user_location(user)
    if own is not None and locations.filter(pk=own.pk).exists():
        return own
    return (
        locations.filter(kind=LocationKind.DESK).order_by("name").first()
        or locations.order_by("name").first()
    )


def location_remembered(request, locations: QuerySet[Location], slug: str | None) -> Location:
    """The location ``slug`` names (remembered for the next page), else the remembered one,
    else the default. A slug out of the user's scope is 404 and is not remembered."""
    if slug:
        location = locations.filter(slug=slug).first()
        if location is None:
            raise Http404
        request.session[SESSION_KEY] = location.slug
        return location
    remembered = request.session.get(SESSION_KEY)
    location = locations.filter(slug=remembered).first() if remembered else None
    location = location or location_default(request.user, locations)
    if location is None:
        raise Http404
    return location
