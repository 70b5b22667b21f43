import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from core.exceptions import Conflict, ValidationFailed
from core.models import AuditLogEntry, ImmutableError
from counter.constants import InsuranceResult, Outcome, ReferralTo, RegistrationKind
from counter.models import ServiceRecord
from counter.services.records import (
    add_months,
    service_record_bsn_reveal,
    service_record_create,
    service_record_void,
)
from scheduling.constants import LegState
from tests import factories as f
from tests.counter.conftest import start_leg

VALID_BSN = "111222333"


@pytest.fixture
def visit(desk, today_start):
    return f.appointment(loc=desk, start=today_start, codes=["brp", "zvw", "ind"])


def leg_of(appointment, code):
    return appointment.legs.get(service__code=code)


def test_record_for_leg_never_called_is_refused(visit, officer):
    with pytest.raises(Conflict) as exc:
        service_record_create(leg=leg_of(visit, "brp"), outcome=Outcome.COMPLETED, actor=officer)
    assert exc.value.code == "leg_never_called"
    assert not ServiceRecord.objects.exists()


def test_registration_record_facts_and_leg_finished(visit, officer):
    leg = start_leg(leg_of(visit, "brp"), officer)
    record = service_record_create(leg=leg, outcome=Outcome.COMPLETED, actor=officer)
    assert record.registration_kind == RegistrationKind.BRP
    # Residence defaults to the client's (Oosterhout); performed by the desk's core (Breda).
    assert record.residence_municipality.cbs_code == "GM0826"
    assert record.performing_municipality.cbs_code == "GM0758"
    assert record.registration_date == timezone.localdate()
    leg.refresh_from_db()
    assert leg.state == LegState.DONE
    assert AuditLogEntry.objects.filter(action="service_record.create", object_id=str(record.pk))


def test_bus_registration_is_performed_by_its_core_municipality(reference, officer, today_start):
    bus = f.location(kind="bus", cbs_code="GM0758", slug="bus-x")
    appt = f.appointment(loc=bus, start=today_start, codes=["brp"])
    leg = start_leg(appt.legs.get(), officer)
    record = service_record_create(leg=leg, outcome=Outcome.COMPLETED, actor=officer)
    assert record.performing_municipality == bus.municipality


def test_invalid_bsn_is_refused_and_nothing_written(visit, officer):
    leg = start_leg(leg_of(visit, "brp"), officer)
    with pytest.raises(ValidationFailed) as exc:
        service_record_create(leg=leg, outcome=Outcome.COMPLETED, actor=officer, bsn="123456789")
    assert exc.value.code == "invalid_bsn"
    assert "123456789" not in str(exc.value.message)
    assert not ServiceRecord.objects.exists()
    leg.refresh_from_db()
    assert leg.state == LegState.IN_PROGRESS


@override_settings(BSN_LEGAL_BASIS=False)
def test_bsn_not_stored_without_legal_basis(visit, officer):
    leg = start_leg(leg_of(visit, "brp"), officer)
    record = service_record_create(leg=leg, outcome=Outcome.COMPLETED, actor=officer, bsn=VALID_BSN)
    record.refresh_from_db()
    assert record.bsn_issued is True
    assert record.bsn == ""


@override_settings(BSN_LEGAL_BASIS=True)
def test_bsn_stored_with_legal_basis_and_8_digits_padded(visit, officer):
    leg = start_leg(leg_of(visit, "brp"), officer)
    # 8-digit BSNs are padded with a leading zero (stdnum).
    record = service_record_create(
        leg=leg, outcome=Outcome.COMPLETED, actor=officer, bsn="11222335"
    )
    record.refresh_from_db()
    assert record.bsn == "011222335"
    assert not AuditLogEntry.objects.filter(data__icontains="011222335").exists()
    assert all("11222335" not in str(e.data) for e in AuditLogEntry.objects.all())


@override_settings(BSN_LEGAL_BASIS=True)
def test_bsn_view_needs_reason_and_is_audited(visit, officer):
    leg = start_leg(leg_of(visit, "brp"), officer)
    record = service_record_create(leg=leg, outcome=Outcome.COMPLETED, actor=officer, bsn=VALID_BSN)
    with pytest.raises(ValidationFailed) as exc:
        service_record_bsn_reveal(record=record, actor=officer, reason="  ")
    assert exc.value.code == "reason_required"
    assert not AuditLogEntry.objects.filter(action="service_record.bsn_view").exists()
    assert (
        service_record_bsn_reveal(record=record, actor=officer, reason="insurer asks") == VALID_BSN
    )
    entry = AuditLogEntry.objects.get(action="service_record.bsn_view")
    assert entry.actor == officer and entry.reason == "insurer asks"
    assert entry.object_id == str(record.pk) and VALID_BSN not in str(entry.data)


def test_non_eu_registration_needs_proof_of_lawful_residence(desk, officer, today_start):
    appt = f.appointment(loc=desk, start=today_start, codes=["brp"], cl=f.client(nationality="VN"))
    leg = start_leg(appt.legs.get(), officer)
    with pytest.raises(ValidationFailed) as exc:
        service_record_create(leg=leg, outcome=Outcome.COMPLETED, actor=officer)
    assert exc.value.code == "lawful_residence_required"
    assert not ServiceRecord.objects.exists()
    record = service_record_create(
        leg=leg, outcome=Outcome.COMPLETED, actor=officer, lawful_residence_proof="V-123 sticker"
    )
    assert record.lawful_residence_proof == "V-123 sticker"


def test_not_completed_registration_of_non_eu_needs_no_proof_but_a_reason(
    desk, officer, today_start
):
    appt = f.appointment(loc=desk, start=today_start, codes=["brp"], cl=f.client(nationality="VN"))
    leg = start_leg(appt.legs.get(), officer)
    with pytest.raises(ValidationFailed):
        service_record_create(leg=leg, outcome=Outcome.NOT_COMPLETED, actor=officer)
    record = service_record_create(
        leg=leg, outcome=Outcome.NOT_COMPLETED, actor=officer, reason="no IND document"
    )
    leg.refresh_from_db()
    assert leg.state == LegState.NOT_DONE and not record.bsn_issued


def test_temporary_protection_registers_without_ind_document(desk, officer, today_start):
    client = f.client(nationality="UA", temporary_protection=True)
    appt = f.appointment(loc=desk, start=today_start, codes=["brp"], cl=client)
    leg = start_leg(appt.legs.get(), officer)
    assert service_record_create(leg=leg, outcome=Outcome.COMPLETED, actor=officer).pk


def test_health_insurance_deadline_is_four_months_after_registration(visit, officer):
    brp = start_leg(leg_of(visit, "brp"), officer)
    service_record_create(
        leg=brp, outcome=Outcome.COMPLETED, actor=officer, registration_date=dt.date(2026, 10, 31)
    )
    zvw = start_leg(leg_of(visit, "zvw"), officer)
    with pytest.raises(ValidationFailed) as exc:
        service_record_create(leg=zvw, outcome=Outcome.COMPLETED, actor=officer)
    assert exc.value.code == "insurance_result_required"
    record = service_record_create(
        leg=zvw,
        outcome=Outcome.COMPLETED,
        actor=officer,
        insurance_result=InsuranceResult.SIGNED_UP,
    )
    assert record.insurance_obligation_start == dt.date(2026, 10, 31)
    assert record.insurance_deadline == dt.date(2027, 2, 28)


def test_a1_posted_worker_is_exempt_without_deadline(desk, officer, today_start):
    client = f.client(works_under_dutch_social_security=False)
    appt = f.appointment(loc=desk, start=today_start, codes=["zvw"], cl=client)
    leg = start_leg(appt.legs.get(), officer)
    record = service_record_create(leg=leg, outcome=Outcome.COMPLETED, actor=officer)
    assert record.a1_exemption and record.insurance_result == InsuranceResult.EXEMPT_A1
    assert record.insurance_deadline is None


def test_referral_made_recorded(visit, officer):
    leg = start_leg(leg_of(visit, "ind"), officer)
    record = service_record_create(leg=leg, outcome=Outcome.COMPLETED, actor=officer)
    assert record.referral_made and record.referral_to == ReferralTo.IND


def test_add_months_clamps():
    assert add_months(dt.date(2026, 1, 31), 4) == dt.date(2026, 5, 31)
    assert add_months(dt.date(2026, 10, 31), 4) == dt.date(2027, 2, 28)


HOOK_CALLS = []


def record_hook_recorded(**kwargs):
    HOOK_CALLS.append(("recorded", kwargs))


def record_hook_voided(**kwargs):
    HOOK_CALLS.append(("voided", kwargs))


def record_hook_failing(**kwargs):
    raise Conflict("The app above refused the registration.", code="hook_refused")


@pytest.fixture
def record_hooks(settings):
    """RECORD_HOOKS pointing at the recorders above (counter's side of the hook only)."""
    HOOK_CALLS.clear()
    settings.RECORD_HOOKS = {
        "registration_recorded": [f"{__name__}.record_hook_recorded"],
        "registration_voided": [f"{__name__}.record_hook_voided"],
    }
    return HOOK_CALLS


def test_record_hooks_called_on_registration_create_and_void(visit, officer, record_hooks):
    leg = start_leg(leg_of(visit, "brp"), officer)
    record = service_record_create(leg=leg, outcome=Outcome.COMPLETED, actor=officer)
    assert record_hooks == [("recorded", {"record": record, "actor": officer})]
    zvw = start_leg(leg_of(visit, "zvw"), officer)
    service_record_create(
        leg=zvw,
        outcome=Outcome.COMPLETED,
        actor=officer,
        insurance_result=InsuranceResult.SIGNED_UP,
    )
    assert len(record_hooks) == 1  # not a registration
    service_record_void(record=record, actor=officer, reason="wrong client")
    assert record_hooks[-1][0] == "voided" and record_hooks[-1][1]["record"].pk == record.pk
    assert record_hooks[-1][1]["record"].is_void


def test_a_failing_record_hook_rolls_the_record_back(visit, officer, settings):
    settings.RECORD_HOOKS = {"registration_recorded": [f"{__name__}.record_hook_failing"]}
    leg = start_leg(leg_of(visit, "brp"), officer)
    with pytest.raises(Conflict):
        service_record_create(leg=leg, outcome=Outcome.COMPLETED, actor=officer)
    assert not ServiceRecord.objects.filter(leg=leg).exists()
    assert not AuditLogEntry.objects.filter(action="service_record.create").exists()


def test_void_then_record_again_and_records_are_not_editable(visit, officer):
    leg = start_leg(leg_of(visit, "brp"), officer)
    record = service_record_create(leg=leg, outcome=Outcome.COMPLETED, actor=officer)
    with pytest.raises(Conflict):
        service_record_create(leg=leg, outcome=Outcome.COMPLETED, actor=officer)
    record.reason = "edited"
    with pytest.raises(ImmutableError):
        record.save()
    with pytest.raises(ValidationFailed):
        service_record_void(record=record, actor=officer, reason="")
    service_record_void(record=record, actor=officer, reason="wrong residence")
    with pytest.raises(Conflict):
        service_record_void(record=record, actor=officer, reason="again")
    again = service_record_create(
        leg=leg,
        outcome=Outcome.COMPLETED,
        actor=officer,
        residence_municipality=f.municipality("GM0855"),
    )
    assert again.residence_municipality.cbs_code == "GM0855"
    assert AuditLogEntry.objects.filter(action="service_record.void").count() == 1
