"""The package rule: which services one visit holds, and which staff adjustments are refused.

Proposal (Wet BRP art. 2.38, Zvw, Vreemdelingenwet; see docs/domain.md):

- expected stay of 4 months or more -> BRP registration, shorter -> RNI registration;
  Ukrainians under temporary protection always register in the BRP;
- non-EU/EEA/Swiss nationals -> IND referral; plus a work-permit (TWV/GVVA) referral unless
  under temporary protection (then the employer only notifies UWV) or self-employed;
- working under Dutch social security -> health-insurance intake (posted workers with an
  A1 certificate keep their home insurance);
- order: registration, insurance, referrals, extras (``ServiceType.sort_order``).

The rule keys on ``ServiceType.category``, never on codes, so a coordinator may rename or
re-time services freely.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.exceptions import ValidationFailed
from scheduling.constants import (
    BRP_MIN_STAY_MONTHS,
    EU_EEA_CH,
    REGISTRATION_CATEGORIES,
    LocationKind,
    ServiceCategory,
)
from scheduling.errors import SchedulingError
from scheduling.models import BusVisit, Client, Counter, Location, ServiceType


@dataclass(frozen=True)
class ClientFacts:
    """The facts the package rule needs (a Client, or a form before the client exists)."""

    nationality: str
    expected_stay_months: int
    temporary_protection: bool = False
    works_under_dutch_social_security: bool = True
    self_employed: bool = False
    interpreter_needed: bool = False

    @property
    def is_eu(self) -> bool:
        return self.nationality.upper() in EU_EEA_CH

    @classmethod
    def of(cls, client: "Client | ClientFacts") -> "ClientFacts":
        if isinstance(client, ClientFacts):
            return client
        return cls(
            nationality=client.nationality,
            expected_stay_months=client.expected_stay_months,
            temporary_protection=client.temporary_protection,
            works_under_dutch_social_security=client.works_under_dutch_social_security,
            self_employed=client.self_employed,
            interpreter_needed=client.interpreter_needed,
        )


def package_categories(facts: ClientFacts) -> list[str]:
    """The service categories the rule proposes, before looking up active services."""
    if facts.temporary_protection or facts.expected_stay_months >= BRP_MIN_STAY_MONTHS:
        categories = [ServiceCategory.REGISTRATION_BRP]
    else:
        categories = [ServiceCategory.REGISTRATION_RNI]
    if facts.works_under_dutch_social_security:
        categories.append(ServiceCategory.HEALTH_INSURANCE)
    if not facts.is_eu:
        categories.append(ServiceCategory.IND_REFERRAL)
        if not facts.temporary_protection and not facts.self_employed:
            categories.append(ServiceCategory.WORK_PERMIT)
    return categories


def package_propose(*, client: "Client | ClientFacts") -> list[ServiceType]:
    """The services of the visit for this client, in visit order (one query)."""
    categories = package_categories(ClientFacts.of(client))
    by_category: dict[str, ServiceType] = {}
    for service in ServiceType.objects.filter(category__in=categories, is_active=True).order_by(
        "sort_order", "code"
    ):
        by_category.setdefault(service.category, service)
    return sorted(
        (by_category[c] for c in categories if c in by_category),
        key=lambda s: (s.sort_order, s.code),
    )


def services_resolve(codes: Iterable[str]) -> list[ServiceType]:
    """Active services for the given codes, in the given order; unknown codes are refused."""
    codes = [str(c).strip() for c in codes]
    found = {s.code: s for s in ServiceType.objects.filter(code__in=codes, is_active=True)}
    unknown = [c for c in codes if c not in found]
    if unknown:
        raise ValidationFailed(
            _("Unknown or inactive service: %(codes)s.") % {"codes": ", ".join(unknown)},
            code=SchedulingError.UNKNOWN_SERVICE,
            details={"services": unknown},
        )
    return [found[c] for c in codes]


def package_validate(
    *,
    services: Sequence[ServiceType],
    location: Location | None = None,
    client: "Client | ClientFacts | None" = None,
    bus_visit: BusVisit | None = None,
    counters: Sequence[Counter] | None = None,
    capabilities: dict[int, set[int]] | None = None,
) -> list[ServiceType]:
    """Check a (possibly staff-adjusted) package; return it in visit order.

    ``capabilities`` (counter id -> service ids) may be passed by callers that already
    loaded them, to avoid a query; otherwise the counters of the location (or the bus
    visit) are read.
    """
    _services_check(services)
    facts = ClientFacts.of(client) if client is not None else None
    rni = _registration_check(services, facts)
    if location is not None:
        _location_check(
            services,
            location=location,
            rni=rni,
            facts=facts,
            bus_visit=bus_visit,
            counters=counters,
            capabilities=capabilities,
        )
    return sorted(services, key=lambda s: (s.sort_order, s.code))


def _services_check(services: Sequence[ServiceType]) -> None:
    """At least one service, each active, none twice."""
    if not services:
        raise ValidationFailed(
            _("Choose at least one service."), code=SchedulingError.EMPTY_PACKAGE
        )
    inactive = [s.code for s in services if not s.is_active]
    if inactive:
        raise ValidationFailed(
            _("Unknown or inactive service: %(codes)s.") % {"codes": ", ".join(inactive)},
            code=SchedulingError.UNKNOWN_SERVICE,
            details={"services": inactive},
        )
    codes = [s.code for s in services]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise ValidationFailed(
            _("A service can be in a visit only once: %(codes)s.")
            % {"codes": ", ".join(duplicates)},
            code=SchedulingError.DUPLICATE_SERVICE,
            details={"services": duplicates},
        )


def _registration_check(services: Sequence[ServiceType], facts: ClientFacts | None) -> bool:
    """At most one registration, BRP or RNI; no RNI under temporary protection. Returns
    whether the package holds the RNI registration."""
    registrations = [s for s in services if s.category in REGISTRATION_CATEGORIES]
    categories = {s.category for s in registrations}
    if {ServiceCategory.REGISTRATION_BRP, ServiceCategory.REGISTRATION_RNI} <= categories:
        raise ValidationFailed(
            _("A person registers in the BRP or in the RNI, never both in one visit."),
            code=SchedulingError.BRP_AND_RNI,
        )
    if len(registrations) > 1:
        raise ValidationFailed(
            _("A visit can hold only one registration."), code=SchedulingError.TWO_REGISTRATIONS
        )
    rni = ServiceCategory.REGISTRATION_RNI in categories
    if rni and facts is not None and facts.temporary_protection:
        raise ValidationFailed(
            _("People under temporary protection (Ukraine) register in the BRP, not the RNI."),
            code=SchedulingError.RNI_TEMPORARY_PROTECTION,
        )
    return rni


def _location_check(
    services: Sequence[ServiceType],
    *,
    location: Location,
    rni: bool,
    facts: ClientFacts | None,
    bus_visit: BusVisit | None,
    counters: Sequence[Counter] | None,
    capabilities: dict[int, set[int]] | None,
) -> None:
    """The place can do the package: RNI only at an RNI desk that takes this nationality, and
    a counter for every service."""
    if rni and not location.is_rni_desk:
        raise ValidationFailed(
            _("RNI registration is only possible at an RNI desk; %(location)s is not one.")
            % {"location": location.name},
            code=SchedulingError.RNI_NOT_OFFERED_HERE,
        )
    if rni and facts is not None and not facts.is_eu and not location.rni_non_eu_allowed:
        raise ValidationFailed(
            _(
                "%(location)s does not register non-EU/EEA/Swiss nationals in the RNI. "
                "Choose another RNI desk."
            )
            % {"location": location.name},
            code=SchedulingError.RNI_NON_EU_NOT_ALLOWED,
        )
    if capabilities is None:
        capabilities = counter_capabilities(location=location, bus_visit=bus_visit)
        if counters is not None:
            capabilities = {c.pk: capabilities.get(c.pk, set()) for c in counters}
    offered = set().union(*capabilities.values()) if capabilities else set()
    missing = [s for s in services if s.pk not in offered]
    if missing:
        raise ValidationFailed(
            _("No counter at %(location)s can do: %(services)s.")
            % {
                "location": location.name,
                "services": ", ".join(s.localized_name() for s in missing),
            },
            code=SchedulingError.SERVICE_NOT_OFFERED,
            details={"services": [s.code for s in missing]},
        )


def counter_capabilities(
    *, location: Location, bus_visit: BusVisit | None = None
) -> dict[int, set[int]]:
    """Active counter id -> service ids, for a desk or (for the bus) one visit's counters."""
    through = Counter.services.through
    qs = through.objects.filter(counter__location=location, counter__is_active=True)
    if location.kind == LocationKind.BUS and bus_visit is not None:
        qs = qs.filter(counter__in=bus_visit.counters.all())
    result: dict[int, set[int]] = {}
    for counter_id, service_id in qs.values_list("counter_id", "servicetype_id"):
        result.setdefault(counter_id, set()).add(service_id)
    return result
