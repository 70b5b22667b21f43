"""Voiding an extra service the government parties pay (issue 18): the service, the officer's
visit page and the API, scoped like the fee-line credit; a voided service no longer blocks
taking the extra service again on that visit (the database allows one *valid* per visit)."""

import re
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.exceptions import Conflict, ValidationFailed
from core.models import AuditLogEntry
from core.roles import Role
from counter.models import FeeLine, FundedService
from counter.services.fees import fee_line_add
from counter.services.financing import funded_service_void
from scheduling.models import GroupBooking
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded_visit(desk, today_start):
    """Today's visit of a group at the Breda desk, whose region's government parties pay the
    extra service (residence basis: no population figures needed)."""
    f.government_split(desk.region)
    employer = f.employer()
    group = GroupBooking.objects.create(
        employer=employer, date_from=today_start.date(), date_to=today_start.date()
    )
    return f.appointment(loc=desk, start=today_start, codes=["brp", "welcome"], group_booking=group)


@pytest.fixture
def funded(funded_visit, officer):
    service = fee_line_add(appointment=funded_visit, service=f.service("welcome"), actor=officer)
    assert isinstance(service, FundedService) and service.amount == Decimal("50.00")
    return service


@pytest.fixture
def other_officer(desk):
    return f.user(Role.OFFICER, location=f.location(cbs_code="GM0855"))


def api(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


# --- service ---------------------------------------------------------------------------------


def test_take_void_and_take_again(funded, funded_visit, officer):
    welcome = f.service("welcome")
    funded_service_void(funded=funded, actor=officer, reason="taken in error")
    again = fee_line_add(appointment=funded_visit, service=welcome, actor=officer)
    assert isinstance(again, FundedService) and again.pk != funded.pk
    assert again.voided_at is None and again.amount == Decimal("50.00")
    # The voided one stays as history; the new one is the valid one.
    assert list(FundedService.objects.filter(appointment=funded_visit).order_by("pk")) == [
        funded,
        again,
    ]
    assert not FeeLine.objects.exists()  # the employer is charged nothing either time


def test_two_valid_ones_are_refused_by_the_service_translated(funded, funded_visit, officer):
    from django.utils import translation

    with translation.override("nl"), pytest.raises(Conflict) as exc:
        fee_line_add(appointment=funded_visit, service=f.service("welcome"), actor=officer)
    assert exc.value.code == "already_charged"
    assert "is al in rekening gebracht" in str(exc.value.message)
    assert FundedService.objects.count() == 1


def test_two_valid_ones_are_refused_by_the_database(funded, funded_visit):
    duplicate = {
        "appointment": funded_visit,
        "service": funded.service,
        "financing": funded.financing,
        "tariff": funded.tariff,
        "amount": funded.amount,
        "service_date": funded.service_date,
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        FundedService.objects.create(**duplicate)
    # A voided one does not count: the database takes a new valid one beside it.
    FundedService.objects.filter(pk=funded.pk).update(
        voided_at=timezone.now(), void_reason="taken in error"
    )
    FundedService.objects.create(**duplicate)
    with pytest.raises(IntegrityError), transaction.atomic():
        FundedService.objects.create(**duplicate)
    assert FundedService.objects.filter(voided_at__isnull=True).count() == 1


def test_void_twice_is_a_conflict_with_the_void_code(funded, officer):
    from django.utils import translation

    funded_service_void(funded=funded, actor=officer, reason="taken in error")
    with translation.override("nl"), pytest.raises(Conflict) as exc:
        funded_service_void(funded=funded, actor=officer, reason="again")
    assert exc.value.code == "already_void"  # one spelling, as a record's second void
    assert str(exc.value.message) == "Deze extra dienst is al vervallen verklaard."
    funded.refresh_from_db()
    assert funded.void_reason == "taken in error"


def test_void_without_reason_changes_nothing(funded, officer):
    with pytest.raises(ValidationFailed) as exc:
        funded_service_void(funded=funded, actor=officer, reason="  ")
    assert exc.value.code == "reason_required"
    funded.refresh_from_db()
    assert funded.voided_at is None
    assert not AuditLogEntry.objects.filter(action="funded_service.void").exists()


# --- officer's visit page --------------------------------------------------------------------


def void_url(funded):
    return reverse("counter:funded-service-void", args=[funded.pk])


def test_visit_page_lists_the_funded_service_with_a_void_form(
    funded, funded_visit, officer, client
):
    client.force_login(officer)
    page = client.get(reverse("counter:visit", args=[funded_visit.pk])).getvalue().decode()
    assert void_url(funded) in page
    assert "Paid by the government" in page
    # Not "No extra services charged.": the officer would think the service was not recorded.
    assert "No extra services charged." not in page
    assert "Nothing charged to the employer: the government pays" in page
    client.cookies["django_language"] = "nl"
    page = client.get(
        reverse("counter:visit", args=[funded_visit.pk]), HTTP_ACCEPT_LANGUAGE="nl"
    ).getvalue()
    assert "Betaald door de overheid" in page.decode() and "Laten vervallen" in page.decode()


def test_officer_voids_on_the_visit_page_and_takes_it_again(funded, funded_visit, officer, client):
    client.force_login(officer)
    response = client.post(void_url(funded), {"reason": "taken in error"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("counter:visit", args=[funded_visit.pk])
    page = response.getvalue().decode()
    assert "Saved." in page and "taken in error" in page
    assert void_url(funded) not in page  # no second void button on a voided service
    funded.refresh_from_db()
    assert funded.voided_at is not None and funded.voided_by == officer
    entry = AuditLogEntry.objects.get(action="funded_service.void")
    assert entry.actor == officer
    # Taken again from the same page: a new, valid funded service.
    client.post(
        reverse("counter:visit-fee-add", args=[funded_visit.pk]),
        {"service": f.service("welcome").pk},
    )
    assert FundedService.objects.filter(appointment=funded_visit, voided_at__isnull=True).count()


def test_void_without_reason_on_the_page_is_refused_translated(funded, officer, client):
    client.force_login(officer)
    client.cookies["django_language"] = "nl"
    response = client.post(void_url(funded), {"reason": ""}, follow=True, HTTP_ACCEPT_LANGUAGE="nl")
    assert "Geef een reden voor het vervallen verklaren." in response.getvalue().decode()
    funded.refresh_from_db()
    assert funded.voided_at is None


def test_void_twice_on_the_page_gives_the_conflict_message(funded, officer, client):
    client.force_login(officer)
    client.post(void_url(funded), {"reason": "taken in error"})
    response = client.post(void_url(funded), {"reason": "again"}, follow=True)
    assert "This extra service was already voided." in response.getvalue().decode()
    funded.refresh_from_db()
    assert funded.void_reason == "taken in error"


def test_coordinator_may_void_on_the_page(funded, coordinator, client):
    client.force_login(coordinator)
    assert client.post(void_url(funded), {"reason": "taken in error"}).status_code == 302
    funded.refresh_from_db()
    assert funded.voided_by == coordinator


@pytest.mark.parametrize("who", ["other_officer", "employer", "anonymous"])
def test_void_page_out_of_scope(funded, funded_visit, client, other_officer, who):
    if who == "other_officer":
        client.force_login(other_officer)
    elif who == "employer":
        client.force_login(f.user(Role.EMPLOYER, employer=funded_visit.group_booking.employer))
    response = client.post(void_url(funded), {"reason": "taken in error"})
    if who == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login")
    else:
        assert response.status_code == 404
    funded.refresh_from_db()
    assert funded.voided_at is None


def test_void_page_is_post_only(funded, officer, client):
    client.force_login(officer)
    assert client.get(void_url(funded)).status_code == 405


# --- API -------------------------------------------------------------------------------------


def api_void_url(funded):
    return reverse("counter-funded-service-void", args=[funded.pk])


def test_api_void_then_take_again(funded, funded_visit, officer):
    response = api(officer).post(api_void_url(funded), {"reason": "taken in error"}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["id"] == funded.pk and body["voided_at"] and body["amount"] == "50.00"
    assert body["service"] == "welcome" and body["void_reason"] == "taken in error"
    again = api(officer).post(
        reverse("counter-visit-fee", args=[funded_visit.pk]), {"service": "welcome"}, format="json"
    )
    assert again.status_code == 201 and again.json()["funded_service"] != funded.pk


def test_api_void_refusals(funded, officer):
    response = api(officer).post(api_void_url(funded), {}, format="json")
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    response = api(officer).post(api_void_url(funded), {"reason": "  "}, format="json")
    assert response.status_code == 400
    funded.refresh_from_db()
    assert funded.voided_at is None
    api(officer).post(api_void_url(funded), {"reason": "taken in error"}, format="json")
    response = api(officer).post(api_void_url(funded), {"reason": "again"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "already_void"


@pytest.mark.parametrize(
    "who,status", [("other_officer", 404), ("employer", 404), ("anonymous", 403)]
)
def test_api_void_out_of_scope(funded, funded_visit, other_officer, who, status):
    user = {
        "other_officer": other_officer,
        "employer": f.user(Role.EMPLOYER, employer=funded_visit.group_booking.employer),
        "anonymous": None,
    }[who]
    response = api(user).post(api_void_url(funded), {"reason": "taken in error"}, format="json")
    assert response.status_code == status
    funded.refresh_from_db()
    assert funded.voided_at is None


def test_api_coordinator_may_void(funded, coordinator):
    response = api(coordinator).post(api_void_url(funded), {"reason": "x"}, format="json")
    assert response.status_code == 200


def test_void_after_the_visit_is_closed_but_no_new_charge(funded, funded_visit, officer):
    from counter.services.fees import visit_close
    from tests.counter.conftest import finish_all

    finish_all(funded_visit, officer)
    visit_close(appointment=funded_visit, actor=officer)
    funded_service_void(funded=funded, actor=officer, reason="not given")  # the correction
    with pytest.raises(Conflict) as exc:
        fee_line_add(appointment=funded_visit, service=f.service("welcome"), actor=officer)
    assert exc.value.code == "visit_closed"


def test_visit_page_total_is_money_when_nothing_is_charged(funded_visit, officer, client):
    # The extra-services total read "0" (an integer) when the employer was charged nothing.
    client.force_login(officer)
    page = client.get(reverse("counter:visit", args=[funded_visit.pk])).getvalue().decode()
    total = r'<td data-label="">Total</td><td data-label="Amount \(EUR\)">0[.,]00</td>'
    assert re.search(total, page), page
