"""Read queries about places."""

from django.db.models import Count, Prefetch, Q, QuerySet

from scheduling.models import Counter, Location


def locations_overview() -> QuerySet[Location]:
    """Active locations with their municipality, counters and opening hours, for lists."""
    return (
        Location.objects.filter(is_active=True)
        .select_related("municipality", "region")
        .prefetch_related(
            Prefetch("counters", queryset=Counter.objects.filter(is_active=True)),
            "opening_hours",
        )
        .annotate(counter_count=Count("counters", filter=Q(counters__is_active=True)))
        .order_by("kind", "name")
    )
