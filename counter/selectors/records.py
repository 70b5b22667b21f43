"""Read queries of the counter app, row-scoped: an officer sees its own location, an employer
its own invoices, a coordinator everything; the rest is out of scope (404)."""

import datetime as dt
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from core.dates import local_day_q
from core.effective import effective_on
from core.roles import Role, is_coordinator, user_employer, user_has_role, user_location
from counter.models import (
    FeeLine,
    FundedService,
    Invoice,
    ServiceRecord,
    Tariff,
    VisitClosure,
)
from scheduling.constants import ServiceKind
from scheduling.models import Appointment, Leg, Location, ServiceType


def visits_for_officer(user) -> QuerySet[Appointment]:
    """Visits an officer may record on: its own location's (all for a coordinator)."""
    qs = Appointment.objects.select_related("client", "location", "group_booking__employer")
    if is_coordinator(user):
        return qs
    location = user_location(user)
    if location is not None and user_has_role(user, Role.OFFICER):
        return qs.filter(location=location)
    return qs.none()


def visits_of_day(user, day: dt.date, location: Location | None = None) -> QuerySet[Appointment]:
    """The visits of the local ``day`` an officer may record on (at ``location`` when given):
    booked ones starting that day and walk-ins (no start) created that day; by time.
    Half-open ranges, so the indexes on (location, start) and the walk-ins' (location,
    created_at) serve it."""
    qs = visits_for_officer(user)
    if location is not None:
        qs = qs.filter(location=location)
    day_q = local_day_q("start", day) | (Q(start__isnull=True) & local_day_q("created_at", day))
    # The day's ids first (no ORDER BY, no LIMIT: PostgreSQL ORs the two indexes), then the
    # page by id. Ordered and limited in one query, PostgreSQL may walk the start index from
    # the beginning of history instead (tests/perf/test_query_plans.py).
    ids = list(qs.filter(day_q).order_by().values_list("pk", flat=True))
    return visits_for_officer(user).filter(pk__in=ids).order_by("start", "created_at", "pk")


def visit_locations(user) -> QuerySet[Location]:
    """The locations whose visits ``user`` may see, for the location filter."""
    qs = Location.objects.filter(is_active=True).order_by("kind", "name")
    if is_coordinator(user):
        return qs
    location = user_location(user)
    return qs.filter(pk=location.pk) if location is not None else qs.none()


def legs_for_officer(user) -> QuerySet[Leg]:
    return Leg.objects.select_related(
        "appointment__client", "appointment__location", "service"
    ).filter(appointment__in=visits_for_officer(user))


def records_for_officer(user) -> QuerySet[ServiceRecord]:
    return ServiceRecord.objects.select_related("leg__service", "leg__appointment").filter(
        leg__appointment__in=visits_for_officer(user)
    )


def fee_lines_for_officer(user) -> QuerySet[FeeLine]:
    return FeeLine.objects.select_related("service", "appointment").filter(
        appointment__in=visits_for_officer(user)
    )


def funded_services_for_officer(user) -> QuerySet[FundedService]:
    """Extra services the government parties pay, on the visits ``user`` may record on."""
    return FundedService.objects.select_related("service", "appointment").filter(
        appointment__in=visits_for_officer(user)
    )


def invoices_for_user(user) -> QuerySet[Invoice]:
    qs = Invoice.objects.select_related("employer")
    if is_coordinator(user):
        return qs
    employer = user_employer(user)
    if employer is not None:
        return qs.filter(employer=employer)
    return qs.none()


def visit_detail(appointment: Appointment) -> dict:
    """A visit's legs with their valid record, its fee lines, the extra services the
    government parties pay (voided ones too) and whether it is closed."""
    legs = list(
        appointment.legs.select_related("service", "served_counter").prefetch_related(
            Prefetch(
                "service_records",
                queryset=ServiceRecord.objects.filter(voided_at__isnull=True),
                to_attr="valid_records",
            )
        )
    )
    for leg in legs:
        leg.record = leg.valid_records[0] if leg.valid_records else None
    fee_lines = list(
        appointment.fee_lines.select_related("service", "credit_of").prefetch_related("credit")
    )
    funded_services = list(
        appointment.funded_services.select_related("service", "financing").order_by(
            "created_at", "pk"
        )
    )
    return {
        "legs": legs,
        "fee_lines": fee_lines,
        "funded_services": funded_services,
        "fee_total": sum((f.amount for f in fee_lines), start=Decimal("0.00")),
        "closure": VisitClosure.objects.filter(appointment=appointment).first(),
    }


def extra_services_with_price(on=None) -> list[tuple[ServiceType, Tariff | None]]:
    from counter.services.fees import tariff_current

    return [
        (service, tariff_current(service=service, on=on))
        for service in ServiceType.objects.filter(kind=ServiceKind.EXTRA, is_active=True)
    ]


def service_prices(*, services, on: dt.date | None = None) -> dict[int, Decimal]:
    """The price of each fee-bearing extra service among ``services`` on ``on`` (today):
    {service id: amount} from the tariff in force; free and government services are left out.
    Reached by lower apps (the kiosk) through settings.SERVICE_PRICE_HOOKS."""
    ids = [s.pk for s in services]
    if not ids:
        return {}
    tariffs = effective_on(
        Tariff.objects.filter(service_id__in=ids, service__kind=ServiceKind.EXTRA),
        on or timezone.localdate(),
    ).filter(amount__gt=0)
    return dict(tariffs.values_list("service_id", "amount"))
