"""The price of a paid walk-in is agreed at the reception: a service rule (walk_in_issue
refuses a paid walk-in without ``price_confirmed``), which the console form and the API only
pass on; and the kiosk's receipt and the reception's slip print one and the same partial."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from core.exceptions import ValidationFailed
from core.roles import Role
from counter.models import Tariff
from kiosk.errors import KioskError
from kiosk.models import KioskSettings, QueueTicket
from kiosk.services.tickets import walk_in_issue
from scheduling.models import Client, ServiceType
from tests import factories

pytestmark = pytest.mark.django_db

RECEIPT_PARTIAL = "kiosk/partials/ticket_receipt.html"


@pytest.fixture
def receptionist(desk):
    return factories.user(Role.RECEPTIONIST, location=desk)


@pytest.fixture
def paid_welcome(desk):
    """The extra service "welcome" costs EUR 50 (a counter tariff)."""
    welcome = ServiceType.objects.get(code="welcome")
    Tariff.objects.create(service=welcome, amount=Decimal("50.00"), valid_from=dt.date(2020, 1, 1))
    return welcome


def test_service_refuses_a_paid_walk_in_without_the_price_confirmed(desk, paid_welcome):
    with translation.override("en"), pytest.raises(ValidationFailed) as exc:
        walk_in_issue(location=desk, services=[paid_welcome], actor=None)
    assert exc.value.code == KioskError.PRICE_NOT_CONFIRMED == "price_not_confirmed"
    assert "EUR 50.00" in exc.value.message
    assert not QueueTicket.objects.exists()
    ticket = walk_in_issue(location=desk, services=[paid_welcome], actor=None, price_confirmed=True)
    assert ticket.appointment.legs.get().service == paid_welcome


def test_service_needs_no_confirmation_for_free_services(desk, paid_welcome):
    brp = ServiceType.objects.get(code="brp")
    assert walk_in_issue(location=desk, services=[brp], actor=None).pk


def test_api_passes_the_confirmation_through(client, desk, receptionist, paid_welcome):
    client.force_login(receptionist)
    body = {"location": desk.slug, "services": ["welcome"], "language": "en"}
    refused = client.post("/api/v1/kiosk/walk-in", body, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "price_not_confirmed"
    assert not QueueTicket.objects.exists()
    body["price_confirmed"] = True
    issued = client.post("/api/v1/kiosk/walk-in", body, content_type="application/json")
    assert issued.status_code == 201


def test_console_shows_the_service_refusal_at_the_checkbox_and_keeps_no_client(
    client, desk, receptionist, paid_welcome
):
    client.force_login(receptionist)
    clients_before = Client.objects.count()
    response = client.post(
        reverse("kiosk:reception-walk-in") + f"?location={desk.slug}",
        {
            "services": [paid_welcome.pk],
            "language": "en",
            "first_name": "Ana",
            "last_name": "Pop",
            "birth_date": "1995-02-03",
            "nationality": "ro",
            "residence": desk.municipality.pk,
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "Confirm that the client agrees to pay EUR 50.00" in str(errors["price_confirmed"])
    # The refused walk-in left neither a number nor the client it would have made.
    assert not QueueTicket.objects.exists()
    assert Client.objects.count() == clients_before


def test_kiosk_receipt_and_reception_slip_print_one_partial(
    client, desk, receptionist, office_hours
):
    KioskSettings.objects.filter(location=desk).update(kiosk_walk_ins=True)
    brp = ServiceType.objects.get(code="brp")
    factories.pair_client(client, desk)
    receipt = client.post(reverse("kiosk:walk-in", args=[desk.slug]), {"service": brp.pk})
    assert receipt.status_code == 200
    assert RECEIPT_PARTIAL in [t.name for t in receipt.templates]
    ticket = QueueTicket.objects.get()
    client.force_login(receptionist)
    slip = client.get(reverse("kiosk:reception-slip", args=[ticket.pk]))
    assert RECEIPT_PARTIAL in [t.name for t in slip.templates]
    for page in (receipt.getvalue().decode(), slip.getvalue().decode()):
        assert f'<p class="number" data-ticket="{ticket.code}">{ticket.code}</p>' in page
        assert brp.localized_name() in page
