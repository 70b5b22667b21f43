"""core.admin.ServiceAddAdmin + ServiceAddForm: the one "add through the service" path of the
admin (tariffs, fee lines, financing choices, settlement tariffs and agreements): the form's
``clean()`` calls the service once, its refusal is an error on the add form, nothing is saved
twice."""

from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from core.admin import ReadOnlyAdmin, ServiceAddAdmin, ServiceAddForm
from counter import admin as counter_admin
from counter.admin import (
    FeeLineAdmin,
    FeeLineForm,
    FeeServiceForm,
    FinancingChoiceAdmin,
    TariffAdmin,
    TariffForm,
)
from counter.models import Tariff
from settlement.admin import SettlementAgreementAdmin, SettlementTariffAdmin
from tests import factories as f

ADMINS = (
    TariffAdmin,
    FeeLineAdmin,
    FinancingChoiceAdmin,
    SettlementTariffAdmin,
    SettlementAgreementAdmin,
)


def test_every_service_backed_admin_uses_the_one_base():
    """One base in core (no copies in counter or settlement): the admins only name their
    form, whose ``create`` calls the service."""
    for model_admin in ADMINS:
        assert issubclass(model_admin, ServiceAddAdmin), model_admin
        assert issubclass(model_admin.form, ServiceAddForm), model_admin
        for name in ("add_view", "save_model", "save_form", "save_related", "get_form"):
            assert name not in vars(model_admin), (model_admin, name)
        for name in ("clean", "_post_clean"):
            assert name not in vars(model_admin.form), (model_admin.form, name)
    assert issubclass(ServiceAddAdmin, ReadOnlyAdmin)
    for form in (TariffForm, FeeLineForm):
        assert issubclass(form, FeeServiceForm) and "clean_service" not in vars(form)


@pytest.fixture
def admin_client(coordinator_admin_client, reference):
    return coordinator_admin_client


@pytest.mark.django_db
def test_a_refusal_of_the_service_is_an_error_on_the_form_and_the_service_runs_once(
    admin_client,
):
    url = reverse("admin:counter_tariff_add")
    data = {"service": f.service("welcome").pk, "amount": "60.00", "valid_from": "2030-01-01"}
    with mock.patch.object(
        counter_admin, "tariff_create", wraps=counter_admin.tariff_create
    ) as service:
        response = admin_client.post(url, data)
        assert response.status_code == 302
        assert service.call_count == 1
        created = Tariff.objects.get(service__code="welcome", valid_from="2030-01-01")
        assert created.amount == Decimal("60.00")
        assert response["Location"] == reverse("admin:counter_tariff_changelist")
        # The same range again: the service refuses; the add form shows why, with the values.
        service.reset_mock()
        before = Tariff.objects.count()
        response = admin_client.post(url, data | {"amount": "70.00"})
        assert service.call_count == 1
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.non_field_errors()
    page = response.content.decode()
    assert 'class="errornote"' in page and "70.00" in page
    assert Tariff.objects.count() == before
