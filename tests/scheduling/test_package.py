import pytest

from core.exceptions import ValidationFailed
from scheduling.models import ServiceType
from scheduling.services.package import (
    ClientFacts,
    package_propose,
    package_validate,
    services_resolve,
)
from tests import factories

pytestmark = pytest.mark.django_db


def codes(services):
    return [s.code for s in services]


@pytest.mark.parametrize(
    "facts,expected",
    [
        (ClientFacts("PL", 12), ["brp", "zvw"]),
        (ClientFacts("PL", 4), ["brp", "zvw"]),
        (ClientFacts("RO", 3), ["rni", "zvw"]),
        (ClientFacts("UA", 2, temporary_protection=True), ["brp", "zvw", "ind"]),
        (ClientFacts("VN", 24), ["brp", "zvw", "ind", "twv"]),
        (ClientFacts("IN", 2, self_employed=True), ["rni", "zvw", "ind"]),
        (ClientFacts("CH", 12), ["brp", "zvw"]),  # Swiss: free movement
        (ClientFacts("PL", 12, works_under_dutch_social_security=False), ["brp"]),  # A1
    ],
)
def test_package_rule(reference, facts, expected):
    assert codes(package_propose(client=facts)) == expected


def test_package_from_a_client(reference):
    client = factories.client(nationality="BG", expected_stay_months=2)
    assert codes(package_propose(client=client)) == ["rni", "zvw"]


def test_inactive_service_is_not_proposed(reference):
    ServiceType.objects.filter(code="twv").update(is_active=False)
    assert codes(package_propose(client=ClientFacts("VN", 24))) == ["brp", "zvw", "ind"]


def test_order_follows_sort_order(reference):
    services = services_resolve(["welcome", "ind", "zvw", "brp"])
    assert codes(package_validate(services=services)) == ["brp", "zvw", "ind", "welcome"]


@pytest.mark.parametrize(
    "service_codes,code",
    [
        (["brp", "rni"], "brp_and_rni"),
        (["brp", "brp"], "duplicate_service"),
        ([], "empty_package"),
    ],
)
def test_impossible_combinations(reference, service_codes, code):
    with pytest.raises(ValidationFailed) as err:
        package_validate(services=services_resolve(service_codes))
    assert err.value.code == code


def test_unknown_and_inactive_services(reference):
    with pytest.raises(ValidationFailed) as err:
        services_resolve(["brp", "nope"])
    assert err.value.code == "unknown_service"
    assert err.value.details == {"services": ["nope"]}
    ServiceType.objects.filter(code="zvw").update(is_active=False)
    with pytest.raises(ValidationFailed) as err:
        services_resolve(["zvw"])
    assert err.value.code == "unknown_service"


def test_two_registrations_refused(reference):
    extra_brp = ServiceType.objects.create(
        code="brp2",
        name="BRP again",
        kind="government",
        category="registration_brp",
        duration_minutes=10,
    )
    with pytest.raises(ValidationFailed) as err:
        package_validate(services=[factories.service("brp"), extra_brp])
    assert err.value.code == "two_registrations"


def test_location_rules(reference):
    rni = services_resolve(["rni"])
    plain = factories.location(is_rni_desk=False)
    with pytest.raises(ValidationFailed) as err:
        package_validate(services=rni, location=plain)
    assert err.value.code == "rni_not_offered_here"
    breda = factories.location(is_rni_desk=True, rni_non_eu_allowed=False)
    assert package_validate(services=rni, location=breda, client=ClientFacts("PL", 2))
    with pytest.raises(ValidationFailed) as err:
        package_validate(services=rni, location=breda, client=ClientFacts("VN", 2))
    assert err.value.code == "rni_non_eu_not_allowed"
    with pytest.raises(ValidationFailed) as err:
        package_validate(
            services=rni, location=breda, client=ClientFacts("UA", 2, temporary_protection=True)
        )
    assert err.value.code == "rni_temporary_protection"
    brp_only = factories.location(counters={"A": ["brp"]})
    with pytest.raises(ValidationFailed) as err:
        package_validate(services=services_resolve(["brp", "ind"]), location=brp_only)
    assert err.value.code == "service_not_offered"
    assert err.value.details == {"services": ["ind"]}
