"""Reception walk-ins get the kiosk's printable slip; paid walk-in services show their price
and go through reception (issue 14)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from core.exceptions import Conflict
from core.roles import Role
from counter.models import Tariff
from kiosk.models import KioskSettings, QueueTicket
from kiosk.services.tickets import walk_in_issue
from scheduling.models import ServiceType
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def receptionist(desk):
    return factories.user(Role.RECEPTIONIST, location=desk)


@pytest.fixture
def paid_welcome(desk):
    """The extra service "welcome" costs EUR 50 (a counter tariff); the kiosk issues walk-ins."""
    KioskSettings.objects.filter(location=desk).update(kiosk_walk_ins=True)
    welcome = ServiceType.objects.get(code="welcome")
    Tariff.objects.create(service=welcome, amount=Decimal("50.00"), valid_from=dt.date(2020, 1, 1))
    return welcome


def test_reception_walk_in_lands_on_a_printable_slip(client, desk, receptionist):
    client.force_login(receptionist)
    brp = ServiceType.objects.get(code="brp")
    response = client.post(
        reverse("kiosk:reception-walk-in") + f"?location={desk.slug}",
        {
            "services": [brp.pk],
            "language": "en",
            "first_name": "Ana",
            "last_name": "Pop",
            "birth_date": "1995-02-03",
            "nationality": "ro",
            "residence": desk.municipality.pk,
        },
    )
    ticket = QueueTicket.objects.get()
    slip_url = reverse("kiosk:reception-slip", args=[ticket.pk])
    assert response.status_code == 302 and response["Location"] == slip_url
    slip = client.get(slip_url)
    page = slip.getvalue().decode()
    assert slip.status_code == 200
    # Number, service, location and time like the kiosk receipt; never the name.
    assert 'class="receipt"' in page and f'data-ticket="{ticket.code}"' in page
    assert brp.localized_name() in page and desk.name in page
    assert ticket.issued_at.astimezone().strftime("%d-%m-%Y") in page
    assert "Ana" not in page and "Pop" not in page
    assert "data-print" in page and 'body class="slip"' in page
    # The console links to the slip of the numbers it issued today.
    console = client.get(reverse("kiosk:reception")).getvalue().decode()
    assert slip_url in console


def test_slip_is_scoped_to_the_location(client, desk, receptionist):
    ticket = walk_in_issue(
        location=desk, services=[ServiceType.objects.get(code="brp")], actor=None
    )
    other = factories.location()
    client.force_login(factories.user(Role.RECEPTIONIST, location=other))
    assert client.get(reverse("kiosk:reception-slip", args=[ticket.pk])).status_code == 404
    client.force_login(receptionist)
    assert client.get(reverse("kiosk:reception-slip", args=[ticket.pk])).status_code == 200


def test_kiosk_shows_the_price_and_sends_paid_services_to_reception(client, desk, paid_welcome):
    factories.pair_client(client, desk)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("kiosk:kiosk", args=[desk.slug])).getvalue().decode()
    assert "EUR 50.00" in page
    assert "This is a paid service. Please go to the reception desk." in page
    # No one-tap button for the paid service; the free ones keep theirs.
    assert f'name="service" value="{paid_welcome.pk}"' not in page
    brp = ServiceType.objects.get(code="brp")
    assert f'name="service" value="{brp.pk}"' in page
    # A forged post is refused by the service, with a clear error and no number.
    refused = client.post(reverse("kiosk:walk-in", args=[desk.slug]), {"service": paid_welcome.pk})
    assert refused.status_code == 409
    assert b"Please go to the reception desk." in refused.content
    assert not QueueTicket.objects.exists()
    with pytest.raises(Conflict) as exc:
        walk_in_issue(location=desk, services=[paid_welcome], actor=None, via_kiosk=True)
    assert exc.value.code == "paid_at_reception"


def test_kiosk_price_in_dutch(client, desk, paid_welcome):
    factories.pair_client(client, desk)
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    page = client.get(reverse("kiosk:kiosk", args=[desk.slug])).getvalue().decode()
    assert "EUR 50,00" in page and "Ga naar de receptie" in page


def test_reception_shows_price_and_needs_confirmation(client, desk, receptionist, paid_welcome):
    client.force_login(receptionist)
    console = client.get(reverse("kiosk:reception")).getvalue().decode()
    assert "EUR 50.00" in console
    url = reverse("kiosk:reception-walk-in") + f"?location={desk.slug}"
    unconfirmed = client.post(url, {"services": [paid_welcome.pk], "language": "en"})
    assert unconfirmed.status_code == 400
    assert "Confirm that the client agrees to pay EUR 50.00" in unconfirmed.getvalue().decode()
    assert not QueueTicket.objects.exists()
    confirmed = client.post(
        url, {"services": [paid_welcome.pk], "language": "en", "price_confirmed": "on"}
    )
    assert confirmed.status_code == 302
    slip = client.get(confirmed["Location"]).getvalue().decode()
    assert "EUR 50.00" in slip  # the slip tells the price too
    # Free services need no confirmation.
    brp = ServiceType.objects.get(code="brp")
    assert client.post(url, {"services": [brp.pk], "language": "en"}).status_code == 302


def test_reception_price_confirmation_in_dutch(client, desk, receptionist, paid_welcome):
    client.force_login(receptionist)
    url = reverse("kiosk:reception-walk-in") + f"?location={desk.slug}"
    refused = client.post(
        url, {"services": [paid_welcome.pk], "language": "en"}, HTTP_ACCEPT_LANGUAGE="nl"
    )
    page = refused.getvalue().decode()
    assert "Bevestig dat de klant akkoord gaat met EUR 50,00" in page
    assert "De klant kent de prijs" in page


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_console_reads_the_walk_in_policies_once(
    client, desk, receptionist, paid_welcome, method
):
    """The console's page (and the refused walk-in that shows it again) reads the location's
    walk-in policies once, for the offered services and for today's places left alike: the
    page the reception reloads all day (three reads once, then two)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(receptionist)
    with CaptureQueriesContext(connection) as queries:
        if method == "get":
            response = client.get(reverse("kiosk:reception"))
        else:  # no services chosen: refused, the console again with the error
            response = client.post(reverse("kiosk:reception-walk-in"), {"language": "en"})
    assert response.status_code == (200 if method == "get" else 400)
    policy_reads = [q for q in queries.captured_queries if '"kiosk_walkinpolicy"' in q["sql"]]
    assert len(policy_reads) == 1


def test_the_console_shows_places_left_and_closes_a_full_service(client, desk, receptionist):
    """The daily walk-in cap (DESIGN: walk-ins within the location's cap) as the console shows
    it, from the policies it reads once: places left, and the service's box disabled at 0."""
    import re

    from kiosk.models import WalkInPolicy

    brp = ServiceType.objects.get(code="brp")
    WalkInPolicy.objects.filter(location=desk, service=brp).update(daily_cap=1, is_active=True)
    assert WalkInPolicy.objects.filter(location=desk, service=brp, is_active=True).exists()
    client.force_login(receptionist)

    def brp_box():
        page = client.get(reverse("kiosk:reception")).content.decode()
        [label] = re.findall(
            rf'<label><input type="checkbox" name="services" value="{brp.pk}"[^>]*>.*?</label>',
            page,
        )
        return label

    assert "1 left today" in brp_box() and "disabled" not in brp_box()
    walk_in_issue(location=desk, services=[brp], actor=receptionist)
    assert "0 left today" in brp_box() and "disabled" in brp_box()
