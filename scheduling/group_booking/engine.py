"""The seam between group bookings and the scheduling engine.

Group bookings need three things from the engine: the package rule (which legs a worker
needs: ``services.package``), the in-memory multi-chain planner (``selectors.availability.
chains_plan``) and the all-or-nothing writer (``services.booking.appointments_book_many``,
which takes the lock helper and re-checks every chain). This module adapts them to rosters:
every error names the worker by his roster row, the leg and the rule that refused him.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from core.exceptions import DomainError, ValidationFailed
from scheduling.constants import AppointmentStatus, LocationKind
from scheduling.models import Appointment, BusVisit, Client, Location, ServiceType
from scheduling.selectors.availability import ChainRequest, PlannedChain, chains_plan
from scheduling.services.booking import BookingItem, appointments_book_many
from scheduling.services.package import (
    ClientFacts,
    counter_capabilities,
    package_propose,
    package_validate,
)


@dataclass
class PlanRequest:
    """One worker to place: ``key`` identifies him in errors (his roster row)."""

    key: int
    client: Client
    services: list[ServiceType]


class PackageRefused(ValidationFailed):
    code = "package_refused"


class NoRoom(ValidationFailed):
    code = "no_room"


def packages_for(
    *, keyed_clients: list[tuple[int, Client]], location: Location, bus_visit: BusVisit | None
) -> list[list[ServiceType]]:
    """The package rule per worker, checked against what the place's counters can do."""
    capabilities = counter_capabilities(location=location, bus_visit=bus_visit)
    proposals: dict[ClientFacts, list[ServiceType]] = {}
    out = []
    for key, client in keyed_clients:
        facts = ClientFacts.of(client)
        if facts not in proposals:
            proposals[facts] = package_propose(client=facts)
        try:
            services = package_validate(
                services=proposals[facts],
                location=location,
                client=client,
                bus_visit=bus_visit,
                capabilities=capabilities,
            )
        except ValidationFailed as exc:
            raise PackageRefused(
                _("Worker in row %(row)s: %(reason)s") % {"row": key, "reason": exc.message},
                details={"worker": key, "rule": exc.code, **exc.details},
            ) from exc
        out.append(services)
    return out


def plan(
    *,
    requests: list[PlanRequest],
    location: Location,
    bus_visit: BusVisit | None,
    date_from: dt.date,
    date_to: dt.date,
) -> list[PlannedChain]:
    """Place every worker (each chain at the earliest start at this place within the range,
    spreading over days when one day is full) or raise ``NoRoom`` naming worker and leg."""
    try:
        return chains_plan(
            requests=[
                ChainRequest(
                    client_key=r.key,
                    services=r.services,
                    interpreter_needed=r.client.interpreter_needed,
                )
                for r in requests
            ],
            locations=[location],
            bus_visit=bus_visit,
            date_from=date_from,
            date_to=date_to,
            together=False,
        )
    except ValidationFailed as exc:
        if exc.code != "chains_do_not_fit":
            raise
        index = exc.details.get("request_index", 0)
        leg = exc.details.get("leg", 0) + 1
        req = requests[index]
        service = req.services[min(leg, len(req.services)) - 1]
        raise NoRoom(
            _(
                "Worker in row %(row)s does not fit: no room for leg %(leg)d (%(service)s) at "
                "%(location)s from %(from)s to %(to)s. Choose other dates or another place."
            )
            % {
                "row": req.key,
                "leg": leg,
                "service": service.localized_name(),
                "location": location.name,
                "from": date_from,
                "to": date_to,
            },
            details={"worker": req.key, "leg": leg, "service": service.code, "rule": "capacity"},
        ) from exc


def book(
    *,
    chains: list[PlannedChain],
    clients: dict[int, Client],
    actor,
    group_booking,
    status: str = AppointmentStatus.BOOKED,
) -> list[Appointment]:
    """All or nothing, under the engine's lock, every chain re-checked."""
    items = [
        BookingItem(
            client=clients[ch.client_key],
            location=ch.location,
            start=ch.start,
            services=[leg.service for leg in ch.legs],
            bus_visit=ch.bus_visit,
        )
        for ch in chains
    ]
    try:
        return appointments_book_many(
            items=items, actor=actor, group_booking=group_booking, status=status
        )
    except DomainError as exc:
        index = (exc.details or {}).get("item")
        if index is not None:
            exc.details["worker"] = chains[index].client_key
        raise


def locations_for_region(region) -> list[Location]:
    return list(
        Location.objects.filter(Q(region=region) | Q(region__parent=region))
        .filter(kind=LocationKind.DESK, is_active=True)
        .order_by("name")
    )
