import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from core.exceptions import Conflict, ValidationFailed
from core.models import AuditLogEntry, ImmutableError
from counter.models import FeeLine, Tariff, VisitClosure
from counter.services.fees import (
    fee_line_add,
    fee_line_credit,
    tariff_create,
    tariff_current,
    visit_close,
)
from scheduling.models import GroupBooking
from tests import factories as f
from tests.counter.conftest import finish_all


@pytest.fixture
def group_visit(desk, today_start):
    emp = f.employer()
    group = GroupBooking.objects.create(
        employer=emp, date_from=today_start.date(), date_to=today_start.date(), po_reference="PO-9"
    )
    return f.appointment(loc=desk, start=today_start, codes=["brp", "welcome"], group_booking=group)


def test_default_tariff_is_50_euro_for_every_extra_service(desk):
    for code in ("welcome", "formhelp"):
        assert tariff_current(service=f.service(code)).amount == Decimal("50.00")
    assert not Tariff.objects.filter(service__kind="government").exists()


@pytest.mark.parametrize("code", ["brp", "rni", "zvw", "ind"])
def test_no_fee_on_government_service_through_the_service(group_visit, officer, code):
    with pytest.raises(ValidationFailed) as exc:
        fee_line_add(appointment=group_visit, service=f.service(code), actor=officer)
    assert exc.value.code == "government_service_free"
    assert "Gemeentewet" in str(exc.value.message)
    with pytest.raises(ValidationFailed):
        tariff_create(
            service=f.service(code),
            amount=Decimal("10.00"),
            valid_from=dt.date(2030, 1, 1),
            actor=officer,
        )
    assert not FeeLine.objects.exists()


def test_a_service_with_tariffs_cannot_become_a_government_service(group_visit):
    from scheduling.models import ServiceType

    assert tariff_current(service=f.service("welcome")) is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceType.objects.filter(code="welcome").update(kind="government", category="allowance")
    assert f.service("welcome").kind == "extra"


def test_database_refuses_a_fee_on_a_government_service(group_visit, desk):
    welcome_tariff = tariff_current(service=f.service("welcome"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Tariff.objects.bulk_create(
            [
                Tariff(
                    service=f.service("brp"), amount=Decimal("5.00"), valid_from=dt.date(2030, 1, 1)
                )
            ]
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        FeeLine.objects.bulk_create(
            [
                FeeLine(
                    appointment=group_visit,
                    service=f.service("brp"),
                    tariff=welcome_tariff,
                    amount=Decimal("50.00"),
                    payer_client=group_visit.client,
                )
            ]
        )


def test_fee_line_payer_is_the_group_booking_employer(group_visit, officer):
    line = fee_line_add(appointment=group_visit, service=f.service("welcome"), actor=officer)
    assert line.payer_employer == group_visit.group_booking.employer and line.payer_client is None
    assert line.amount == Decimal("50.00")
    assert AuditLogEntry.objects.filter(action="fee_line.add", object_id=str(line.pk)).exists()
    with pytest.raises(Conflict):
        fee_line_add(appointment=group_visit, service=f.service("welcome"), actor=officer)


def test_self_employed_client_pays_himself(desk, officer, today_start):
    client = f.client(self_employed=True)
    appt = f.appointment(loc=desk, start=today_start, codes=["brp"], cl=client)
    line = fee_line_add(appointment=appt, service=f.service("formhelp"), actor=officer)
    assert line.payer_client == client and line.payer_employer is None


def test_overlapping_tariff_is_refused(desk, coordinator):
    service = f.service("welcome")
    with pytest.raises(Conflict) as exc:
        tariff_create(
            service=service,
            amount=Decimal("60.00"),
            valid_from=dt.date(2030, 1, 1),
            actor=coordinator,
        )
    assert exc.value.code == "range_overlap"
    # Superseding ends the open tariff the day before and keeps its history.
    new = tariff_create(
        service=service,
        amount=Decimal("60.00"),
        valid_from=dt.date(2030, 1, 1),
        actor=coordinator,
        supersede=True,
    )
    assert tariff_current(service=service, on=dt.date(2029, 12, 31)).amount == Decimal("50.00")
    assert tariff_current(service=service, on=dt.date(2030, 1, 1)) == new
    with pytest.raises(Conflict):
        tariff_create(
            service=service,
            amount=Decimal("70.00"),
            valid_from=dt.date(2029, 6, 1),
            valid_to=dt.date(2030, 2, 1),
            actor=coordinator,
        )
    with pytest.raises(TypeError):
        tariff_create(
            service=service, amount=70.0, valid_from=dt.date(2040, 1, 1), actor=coordinator
        )


@pytest.mark.postgres
def test_postgres_exclusion_constraint_refuses_overlap(desk):
    service = f.service("welcome")
    with pytest.raises(IntegrityError), transaction.atomic():
        Tariff.objects.bulk_create(
            [Tariff(service=service, amount=Decimal("1.00"), valid_from=dt.date(2031, 1, 1))]
        )


def test_used_tariff_is_not_edited_in_place(group_visit, officer):
    line = fee_line_add(appointment=group_visit, service=f.service("welcome"), actor=officer)
    tariff = line.tariff
    tariff.amount = Decimal("75.00")
    with pytest.raises(ImmutableError):
        tariff.save()
    line.amount = Decimal("1.00")
    with pytest.raises(ImmutableError):
        line.save()


def test_close_locks_fees_credit_line_after_closing(group_visit, officer):
    line = fee_line_add(appointment=group_visit, service=f.service("welcome"), actor=officer)
    with pytest.raises(Conflict) as exc:
        visit_close(appointment=group_visit, actor=officer)
    assert exc.value.code == "visit_has_open_legs"
    finish_all(group_visit, officer)
    visit_close(appointment=group_visit, actor=officer)
    with pytest.raises(Conflict) as exc:
        visit_close(appointment=group_visit, actor=officer)
    assert exc.value.code == "visit_already_closed"
    assert VisitClosure.objects.count() == 1
    with pytest.raises(Conflict) as exc:
        fee_line_add(appointment=group_visit, service=f.service("formhelp"), actor=officer)
    assert exc.value.code == "visit_closed"
    credit = fee_line_credit(line=line, actor=officer, reason="service not given")
    assert credit.amount == Decimal("-50.00") and credit.credit_of == line
    line.refresh_from_db()
    assert line.amount == Decimal("50.00")  # the original is never edited
    assert sum(fl.amount for fl in FeeLine.objects.filter(appointment=group_visit)) == Decimal(
        "0.00"
    )
    with pytest.raises(Conflict):
        fee_line_credit(line=line, actor=officer, reason="twice")
    with pytest.raises(Conflict):
        fee_line_credit(line=credit, actor=officer, reason="credit of credit")
    assert AuditLogEntry.objects.filter(action="fee_line.credit").count() == 1
    assert AuditLogEntry.objects.filter(action="visit.close").count() == 1


def test_no_tariff_no_guess(group_visit, officer):
    Tariff.objects.filter(service__code="formhelp").delete()
    with pytest.raises(ValidationFailed) as exc:
        fee_line_add(appointment=group_visit, service=f.service("formhelp"), actor=officer)
    assert exc.value.code == "no_tariff"
