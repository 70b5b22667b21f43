"""HTML pages of the scheduling app."""

from django.shortcuts import render

from scheduling.selectors.places import locations_overview


def home(request):
    """Landing page: the desks and the bus, with where to go next for each role."""
    return render(request, "scheduling/home.html", {"locations": locations_overview()})
