import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from rest_framework.test import APIClient

from core.models import AuditLogEntry
from core.roles import Role
from counter.models import FeeLine, Invoice, ServiceRecord, Tariff
from counter.services.fees import fee_line_add, visit_close
from counter.services.invoices import invoice_run, previous_month
from scheduling.models import GroupBooking
from tests import factories as f
from tests.counter.conftest import finish_all, start_leg
from tests.counter.test_invoices import ENDED


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def visit(desk, today_start):
    emp = f.employer()
    group = GroupBooking.objects.create(
        employer=emp, date_from=today_start.date(), date_to=today_start.date(), po_reference="PO-7"
    )
    return f.appointment(loc=desk, start=today_start, codes=["brp", "welcome"], group_booking=group)


@pytest.fixture
def other_officer(reference, desk):
    other = f.location(cbs_code="GM0855")
    return f.user(Role.OFFICER, location=other)


def test_api_record_create_void_and_scoping(visit, officer, other_officer):
    leg = visit.legs.get(position=1)
    url = reverse("counter-leg-record", args=[leg.pk])
    response = api(officer).post(url, {"outcome": "completed"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "leg_never_called"
    start_leg(leg, officer)
    assert api(other_officer).post(url, {"outcome": "completed"}, format="json").status_code == 404
    response = api(officer).post(url, {"outcome": "completed", "bsn": "123"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_bsn"
    response = api(officer).post(
        url,
        {"outcome": "completed", "bsn": "111222333", "residence_municipality": "GM0855"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (
        body["bsn_issued"] is True
        and "bsn" not in body
        and body["performing_municipality"] == "GM0758"
    )
    record_id = body["id"]
    assert api(other_officer).get(reverse("counter-record", args=[record_id])).status_code == 404
    void = reverse("counter-record-void", args=[record_id])
    assert api(other_officer).post(void, {"reason": "x"}, format="json").status_code == 404
    assert api(officer).post(void, {"reason": "wrong person"}, format="json").status_code == 200
    assert ServiceRecord.objects.get(pk=record_id).voided_at is not None


@override_settings(BSN_LEGAL_BASIS=True)
def test_api_bsn_reveal_requires_reason_and_is_audited(visit, officer, other_officer):
    leg = start_leg(visit.legs.get(position=1), officer)
    record = (
        api(officer)
        .post(
            reverse("counter-leg-record", args=[leg.pk]),
            {"outcome": "completed", "bsn": "111222333"},
            format="json",
        )
        .json()
    )
    url = reverse("counter-record-bsn", args=[record["id"]])
    assert "111222333" not in url
    assert api(officer).post(url, {}, format="json").status_code == 400
    assert api(other_officer).post(url, {"reason": "curious"}, format="json").status_code == 404
    response = api(officer).post(url, {"reason": "insurer needs it"}, format="json")
    assert response.status_code == 200 and response.json() == {"bsn": "111222333"}
    assert AuditLogEntry.objects.filter(action="service_record.bsn_view").count() == 1


def test_api_no_fee_on_government_service_credit_and_close(visit, officer, other_officer):
    fees = reverse("counter-visit-fee", args=[visit.pk])
    response = api(officer).post(fees, {"service": "brp"}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "government_service_free"
    assert "Gemeentewet" in response.json()["detail"]
    assert not FeeLine.objects.exists()
    assert api(other_officer).post(fees, {"service": "welcome"}, format="json").status_code == 404
    response = api(officer).post(fees, {"service": "welcome"}, format="json")
    assert response.status_code == 201 and response.json()["amount"] == "50.00"
    line_id = response.json()["id"]
    finish_all(visit, officer)
    close = reverse("counter-visit-close", args=[visit.pk])
    assert api(officer).post(close).status_code == 201
    response = api(officer).post(close)
    assert response.status_code == 409 and response.json()["code"] == "visit_already_closed"
    credit = api(officer).post(
        reverse("counter-fee-credit", args=[line_id]), {"reason": "no"}, format="json"
    )
    assert credit.status_code == 201 and credit.json()["amount"] == "-50.00"


def test_api_invoices_scoped_to_the_employer(visit, officer, today_start):
    fee_line_add(appointment=visit, service=f.service("welcome"), actor=officer)
    finish_all(visit, officer)
    visit_close(appointment=visit, actor=officer)
    invoice = invoice_run(year=today_start.year, month=today_start.month, today=ENDED)[0]
    owner = f.user(Role.EMPLOYER, employer=visit.group_booking.employer)
    stranger = f.user(Role.EMPLOYER, employer=f.employer())
    listing = api(owner).get(reverse("counter-invoices")).json()
    assert [i["number"] for i in listing["results"]] == [invoice.number]
    assert api(stranger).get(reverse("counter-invoices")).json()["results"] == []
    for name in ("counter-invoice", "counter-invoice-pdf", "counter-invoice-csv"):
        assert api(stranger).get(reverse(name, args=[invoice.pk])).status_code == 404
        assert (
            api(officer).get(reverse(name, args=[invoice.pk])).status_code == 403
        )  # not for desk staff
    detail = api(owner).get(reverse("counter-invoice", args=[invoice.pk])).json()
    assert Decimal(detail["total"]) == sum(Decimal(line["amount"]) for line in detail["lines"])
    pdf = api(owner).get(reverse("counter-invoice-pdf", args=[invoice.pk]))
    assert pdf.status_code == 200 and pdf.getvalue().startswith(b"%PDF")


def test_admin_add_form_refuses_fee_on_government_service(visit, client):
    admin_user = f.user(Role.COORDINATOR)
    admin_user.is_staff = True
    admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:counter_feeline_add"),
        {"appointment": visit.pk, "service": f.service("brp").pk},
    )
    assert response.status_code == 200
    assert "Gemeentewet" in response.getvalue().decode()
    assert not FeeLine.objects.exists()
    response = client.post(
        reverse("admin:counter_tariff_add"),
        {"service": f.service("zvw").pk, "amount": "10.00", "valid_from": "2030-01-01"},
    )
    assert response.status_code == 200 and "Gemeentewet" in response.getvalue().decode()
    assert not Tariff.objects.filter(service__code="zvw").exists()
    # An extra service through the admin goes through the service (tariff price, payer, audit).
    response = client.post(
        reverse("admin:counter_feeline_add"),
        {"appointment": visit.pk, "service": f.service("welcome").pk},
    )
    assert response.status_code == 302
    line = FeeLine.objects.get()
    assert line.amount == Decimal("50.00") and line.payer_employer == visit.group_booking.employer
    # Overlapping tariff through the admin: refused, nothing written.
    before = Tariff.objects.count()
    client.post(
        reverse("admin:counter_tariff_add"),
        {"service": f.service("welcome").pk, "amount": "60.00", "valid_from": "2030-01-01"},
    )
    assert Tariff.objects.count() == before
    # Fee lines, records and invoices are not editable in the admin.
    assert client.get(reverse("admin:counter_feeline_change", args=[line.pk])).status_code in (
        200,
        302,
    )
    response = client.post(
        reverse("admin:counter_feeline_change", args=[line.pk]),
        {"service": f.service("formhelp").pk},
    )
    line.refresh_from_db()
    assert line.service.code == "welcome"


def test_officer_pages_record_fee_close(visit, officer, client):
    client.force_login(officer)
    leg = start_leg(visit.legs.get(position=1), officer)
    page = client.get(reverse("counter:visit", args=[visit.pk]))
    # The extra service's tariff in the dropdown (name · € amount).
    assert page.status_code == 200 and "€&nbsp;50.00" in page.getvalue().decode()
    client.post(
        reverse("counter:leg-record", args=[leg.pk]), {"outcome": "completed", "bsn": "111222333"}
    )
    assert ServiceRecord.objects.get(leg=leg).bsn_issued
    client.post(
        reverse("counter:visit-fee-add", args=[visit.pk]), {"service": f.service("welcome").pk}
    )
    assert FeeLine.objects.filter(appointment=visit).count() == 1
    finish_all(visit, officer)
    client.post(reverse("counter:visit-close", args=[visit.pk]))
    response = client.post(reverse("counter:visit-close", args=[visit.pk]), follow=True)
    assert "already closed" in response.getvalue().decode()
    other = f.user(Role.OFFICER, location=f.location(cbs_code="GM0855"))
    client.force_login(other)
    assert client.get(reverse("counter:visit", args=[visit.pk])).status_code == 404


def test_coordinator_tariff_and_invoice_pages(desk, coordinator, client, today_start):
    client.force_login(coordinator)
    assert client.get(reverse("counter:tariffs")).status_code == 200
    response = client.post(
        reverse("counter:tariffs"),
        {"service": f.service("welcome").pk, "amount": "55.00", "valid_from": "2030-01-01"},
    )
    assert response.status_code == 200 and "overlaps" in response.getvalue().decode()
    response = client.post(
        reverse("counter:tariffs"),
        {
            "service": f.service("welcome").pk,
            "amount": "55.00",
            "valid_from": "01-01-2030",  # the Dutch format the table shows
            "supersede": "on",
        },
    )
    assert response.status_code == 302
    assert Tariff.objects.filter(amount=Decimal("55.00"), valid_from=dt.date(2030, 1, 1)).exists()
    year, month = previous_month()  # the current month has not ended: refused
    response = client.post(reverse("counter:invoices"), {"year": year, "month": month})
    assert response.status_code == 302
    officer = f.user(Role.OFFICER, location=desk)
    client.force_login(officer)
    # A page the role may not use: 403 (branded page), not 404.
    forbidden = client.get(reverse("counter:tariffs"))
    assert forbidden.status_code == 403 and b"error-page" in forbidden.content
    assert client.post(reverse("counter:invoices"), {"year": 2026, "month": 1}).status_code == 403


def test_dutch_staff_screen(visit, officer, client):
    client.force_login(officer)
    client.cookies["django_language"] = "nl"
    page = client.get(reverse("counter:visit", args=[visit.pk]), HTTP_ACCEPT_LANGUAGE="nl")
    assert "Extra diensten" in page.getvalue().decode()


def test_demo_seed_is_idempotent_and_issues_last_months_invoice(reference):
    call_command("seed_demo", stdout=io.StringIO())
    invoices = Invoice.objects.count()
    records = ServiceRecord.objects.count()
    fees = FeeLine.objects.count()
    assert invoices >= 1 and records > 0 and fees > 0
    call_command("seed_demo", stdout=io.StringIO())
    assert (Invoice.objects.count(), ServiceRecord.objects.count(), FeeLine.objects.count()) == (
        invoices,
        records,
        fees,
    )
    assert Tariff.objects.filter(service__kind="government").count() == 0


@override_settings(BSN_LEGAL_BASIS=True)
def test_officer_page_bsn_reveal_needs_reason_and_is_audited(visit, officer, client):
    client.force_login(officer)
    leg = start_leg(visit.legs.get(position=1), officer)
    client.post(
        reverse("counter:leg-record", args=[leg.pk]), {"outcome": "completed", "bsn": "111222333"}
    )
    record = ServiceRecord.objects.get(leg=leg)
    page = client.get(reverse("counter:visit", args=[visit.pk])).getvalue().decode()
    assert "111222333" not in page
    response = client.post(
        reverse("counter:record-bsn", args=[record.pk]), {"reason": ""}, follow=True
    )
    assert "111222333" not in response.getvalue().decode()
    response = client.post(
        reverse("counter:record-bsn", args=[record.pk]), {"reason": "insurer call"}
    )
    assert response.status_code == 200 and "111222333" in response.getvalue().decode()
    assert response["Cache-Control"] == "no-store"
    assert "111222333" not in str(dict(client.session))
    entry = AuditLogEntry.objects.get(action="service_record.bsn_view")
    assert entry.actor == officer and entry.reason == "insurer call"


def test_employer_invoice_page_and_downloads_scoped(visit, officer, today_start, client):
    fee_line_add(appointment=visit, service=f.service("welcome"), actor=officer)
    finish_all(visit, officer)
    visit_close(appointment=visit, actor=officer)
    invoice = invoice_run(year=today_start.year, month=today_start.month, today=ENDED)[0]
    owner = f.user(Role.EMPLOYER, employer=visit.group_booking.employer)
    client.force_login(owner)
    page = client.get(reverse("counter:invoices")).getvalue().decode()
    assert invoice.number in page and "Invoice run" not in page
    csv_response = client.get(reverse("counter:invoice-download", args=[invoice.pk, "csv"]))
    assert csv_response.status_code == 200 and invoice.number in csv_response.getvalue().decode(
        "utf-8-sig"
    )
    client.force_login(f.user(Role.EMPLOYER, employer=f.employer()))
    assert invoice.number not in client.get(reverse("counter:invoices")).getvalue().decode()
    assert (
        client.get(reverse("counter:invoice-download", args=[invoice.pk, "pdf"])).status_code == 404
    )


def test_admin_issued_invoice_is_read_only(visit, officer, today_start, client):
    fee_line_add(appointment=visit, service=f.service("welcome"), actor=officer)
    finish_all(visit, officer)
    visit_close(appointment=visit, actor=officer)
    invoice = invoice_run(year=today_start.year, month=today_start.month, today=ENDED)[0]
    admin_user = f.user(Role.COORDINATOR)
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    url = reverse("admin:counter_invoice_change", args=[invoice.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"total": "1.00", "number": "X"})
    invoice.refresh_from_db()
    assert invoice.total == Decimal("50.00") and invoice.number != "X"
    assert client.get(reverse("admin:counter_invoice_add")).status_code == 403
    assert (
        client.post(
            reverse("admin:counter_invoice_delete", args=[invoice.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert Invoice.objects.filter(pk=invoice.pk).exists()


def test_receptionist_and_municipality_are_out_of_scope(visit, desk, officer):
    receptionist = f.user(Role.RECEPTIONIST, location=desk)
    muni = f.user(Role.MUNICIPALITY, municipality=f.municipality("GM0758"))
    leg = start_leg(visit.legs.get(position=1), officer)
    for user in (receptionist, muni):
        response = api(user).post(
            reverse("counter-leg-record", args=[leg.pk]), {"outcome": "completed"}, format="json"
        )
        assert response.status_code == 404
        assert (
            api(user)
            .post(
                reverse("counter-visit-fee", args=[visit.pk]), {"service": "welcome"}, format="json"
            )
            .status_code
            == 404
        )
        assert api(user).get(reverse("counter-invoices")).status_code == 403  # no invoices here
    assert not ServiceRecord.objects.exists() and not FeeLine.objects.exists()
