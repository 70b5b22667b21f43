"""Inter-municipal settlement lines for registrations: the rule and the references.

Counter's record service calls the two hooks (``settings.RECORD_HOOKS``) in the same
transaction as the registration record:

- ``settlement_lines_for_registration``: a completed BRP/RNI registration performed by a core
  municipality (a desk, or the bus under its configured core municipality) for a client who
  lives in another municipality: the municipality of residence owes the performing one the
  tariff in force on the registration date. Same municipality: no line. Registrations covered
  by a per-inhabitant agreement (performer = the agreement's core municipality, resident of a
  participant, date inside the agreement): no line, the yearly contribution pays for them.
- ``settlement_lines_reverse_registration``: a voided registration gets a reversal line
  (negative amount, same reference) in the first *open* period at or after the period of the
  charge. A period is open until its statements are issued.

A line always lands in an open period: the period of its date if still open, otherwise the
first later open period (late registrations and reversals never touch an issued statement).
"""

import datetime as dt

from django.db import transaction

from core.audit import audit_log
from core.codes import keyed_code
from core.effective import effective_on
from core.locking import rows_lock
from counter.constants import Outcome, RegistrationKind
from counter.models import ServiceRecord
from settlement.constants import AgreementModel, SettlementLineKind
from settlement.models import (
    SettlementAgreement,
    SettlementLine,
    SettlementPeriod,
)
from settlement.selectors.tariffs import tariff_for
from settlement.services.periods import period_open_for

# --- References ----------------------------------------------------------------------------


def registration_reference(record: ServiceRecord) -> str:
    """A stable pseudonymous reference for a registration record: ``R-`` + 10 base32 chars
    of an HMAC of the record id. Reveals neither the BSN, the name nor the database id."""
    return "R-" + keyed_code(f"settlement-ref:{record.pk}")


# --- Tariffs and agreements ----------------------------------------------------------------


def per_inhabitant_agreement_for(*, payer_id: int, payee_id: int, day: dt.date):
    agreements = SettlementAgreement.objects.filter(
        model=AgreementModel.PER_INHABITANT, payee_id=payee_id, participants__pk=payer_id
    )
    return effective_on(agreements, day).first()


# --- The hooks -----------------------------------------------------------------------------


def _qualifies(record: ServiceRecord) -> bool:
    return (
        record.outcome == Outcome.COMPLETED
        and record.registration_kind in RegistrationKind.values
        and record.voided_at is None
        and record.registration_date is not None
        and record.residence_municipality_id is not None
        and record.performing_municipality_id is not None
        and record.residence_municipality_id != record.performing_municipality_id
    )


@transaction.atomic
def settlement_lines_for_registration(*, record: ServiceRecord, actor) -> list[SettlementLine]:
    """Write the settlement line a completed BRP/RNI registration gives rise to (or none).

    Idempotent: a second call for the same record returns the existing line.
    """
    if not _qualifies(record):
        return []
    existing = SettlementLine.objects.filter(record=record, kind=SettlementLineKind.CHARGE).first()
    if existing is not None:
        return [existing]
    payer_id = record.residence_municipality_id
    payee_id = record.performing_municipality_id
    day = record.registration_date
    if per_inhabitant_agreement_for(payer_id=payer_id, payee_id=payee_id, day=day):
        return []
    tariff = tariff_for(day)
    if tariff.amount == 0:
        return []
    period = period_open_for(day)
    line = SettlementLine.objects.create(
        kind=SettlementLineKind.CHARGE,
        payer_id=payer_id,
        payee_id=payee_id,
        amount=tariff.amount,
        reference=registration_reference(record),
        registration_date=day,
        registration_kind=record.registration_kind,
        period=period,
        record=record,
        tariff=tariff,
    )
    audit_log(
        actor=actor,
        action="settlement_line.create",
        obj=line,
        kind=line.kind,
        period=period.label,
        amount=str(line.amount),
    )
    return [line]


@transaction.atomic
def settlement_lines_reverse_registration(*, record: ServiceRecord, actor) -> list[SettlementLine]:
    """Write a reversal for each not yet reversed charge of a voided registration.

    Idempotent: a charge already reversed is left alone (nothing new is returned for it).
    """
    charges = rows_lock(
        SettlementLine.objects.filter(
            record=record, kind=SettlementLineKind.CHARGE, reversed_by__isnull=True
        )
    )
    reversals = []
    for charge in charges:
        charge_period = SettlementPeriod.objects.get(pk=charge.period_id)
        period = period_open_for(charge_period.start)
        reversal = SettlementLine.objects.create(
            kind=SettlementLineKind.REVERSAL,
            payer_id=charge.payer_id,
            payee_id=charge.payee_id,
            amount=-charge.amount,
            reference=charge.reference,
            registration_date=charge.registration_date,
            registration_kind=charge.registration_kind,
            period=period,
            record=record,
            reverses=charge,
            tariff_id=charge.tariff_id,
        )
        audit_log(
            actor=actor,
            action="settlement_line.reverse",
            obj=reversal,
            reverses=charge.pk,
            period=period.label,
            amount=str(reversal.amount),
        )
        reversals.append(reversal)
    return reversals
