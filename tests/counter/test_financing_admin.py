"""The financing choices per region in the admin (through the service), the funded
services read-only, and the population a population-based split needs."""

import datetime as dt

import pytest
from django.urls import reverse

from counter.models import FinancingChoice, FinancingVariant, FundedService, MunicipalBasis
from counter.services.financing import region_municipalities
from scheduling.models import PopulationFigure
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(coordinator_admin_client):
    return coordinator_admin_client


def form(desk, **changes):
    data = {
        "region": desk.region.pk,
        "variant": FinancingVariant.GOVERNMENT_SPLIT,
        "municipal_basis": MunicipalBasis.RESIDENCE,
        "state_percent": 50,
        "province_percent": 25,
        "municipalities_percent": 25,
        "amount_per_newcomer": "50.00",
        "valid_from": "2025-01-01",
        "valid_to": "",
    }
    data.update(changes)
    return data


def test_coordinator_sets_financing_choices_in_the_admin(desk, admin_client):
    url = reverse("admin:counter_financingchoice_add")
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, form(desk))
    assert response.status_code == 302, response.content.decode()[:2000]
    first = FinancingChoice.objects.get()
    assert first.variant == FinancingVariant.GOVERNMENT_SPLIT and first.valid_to is None
    # A later choice ends the open one the day before (core.effective), through the service.
    response = admin_client.post(
        url, form(desk, variant=FinancingVariant.STATE_PER_NEWCOMER, valid_from="2025-07-01")
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.valid_to == dt.date(2025, 6, 30)
    assert FinancingChoice.objects.count() == 2
    # Never edited or deleted in the admin.
    change = reverse("admin:counter_financingchoice_change", args=[first.pk])
    response = admin_client.post(change, form(desk, valid_from="2024-01-01"))
    assert response.status_code == 403
    first.refresh_from_db()
    assert first.valid_from == dt.date(2025, 1, 1)
    delete = reverse("admin:counter_financingchoice_delete", args=[first.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert admin_client.get(reverse("admin:counter_fundedservice_changelist")).status_code == 200


def test_admin_refuses_shares_not_100_and_missing_population_naming_them(desk, admin_client):
    url = reverse("admin:counter_financingchoice_add")
    response = admin_client.post(url, form(desk, state_percent=60))
    assert response.status_code == 200
    (error,) = response.context["adminform"].form.non_field_errors()
    assert error in response.content.decode()
    assert "financing_shares_not_100" not in response.content.decode()  # the message only
    response = admin_client.post(url, form(desk, municipal_basis=MunicipalBasis.POPULATION))
    assert response.status_code == 200
    page = response.content.decode()
    assert "financing_population_missing" not in page
    for municipality in region_municipalities(desk.region):
        assert municipality.name in page
    assert not FinancingChoice.objects.exists()


def test_a_split_needing_a_missing_population_names_the_municipality(desk):
    """A municipality joining the region after the choice: recording the service is refused
    with its name, nothing is written."""
    from core.exceptions import ValidationFailed
    from counter.services.fees import fee_line_add
    from counter.services.financing import financing_choice_create
    from tests.settlement.helpers import registration

    members = list(region_municipalities(desk.region))
    PopulationFigure.objects.bulk_create(
        PopulationFigure(municipality=m, year=2024, population=10_000 + i)
        for i, m in enumerate(members)
    )
    financing_choice_create(
        region=desk.region,
        variant=FinancingVariant.GOVERNMENT_SPLIT,
        municipal_basis=MunicipalBasis.POPULATION,
        valid_from=dt.date(2025, 1, 1),
        actor=None,
    )
    newcomer = f.municipality("GM0855")  # Tilburg, outside the region until now
    newcomer.region = desk.region
    newcomer.save(update_fields=["region"])
    record, _lines = registration(loc=desk, day=dt.date(2025, 4, 2), residence="GM0758", hook=False)
    with pytest.raises(ValidationFailed) as exc:
        fee_line_add(appointment=record.leg.appointment, service=f.service("welcome"), actor=None)
    assert exc.value.code == "population_missing"
    assert "Tilburg (GM0855)" in str(exc.value.message)
    assert exc.value.details["municipalities"] == ["GM0855"]
    assert not FundedService.objects.exists()
