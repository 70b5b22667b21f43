"""Invoices are for coordinators and employers: desk staff and municipalities get 403."""

import pytest
from django.urls import reverse

from core.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.RECEPTIONIST, Role.OFFICER, Role.MUNICIPALITY])
def test_desk_staff_and_municipalities_may_not_read_invoices(client, reference, role):
    tie = (
        {"municipality": factories.municipality()}
        if role == Role.MUNICIPALITY
        else {"location": factories.location()}
    )
    client.force_login(factories.user(role, **tie))
    assert client.get(reverse("counter:invoices")).status_code == 403
    assert client.get("/api/v1/counter/invoices/").status_code == 403


def test_an_employer_still_sees_the_invoice_page(client, reference):
    client.force_login(factories.user(Role.EMPLOYER, employer=factories.employer()))
    assert client.get(reverse("counter:invoices")).status_code == 200
    assert client.get("/api/v1/counter/invoices/").status_code == 200
