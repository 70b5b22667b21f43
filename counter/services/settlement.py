"""Inter-municipal settlement lines for registrations: the rule, periods and references.

The record service calls the two hooks in the same transaction as the registration record:

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
import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.exceptions import Conflict
from core.locking import row_lock, rows_lock
from counter.constants import (
    AgreementModel,
    Outcome,
    PeriodGranularity,
    RegistrationKind,
    SettlementLineKind,
)
from counter.models import (
    ServiceRecord,
    SettlementAgreement,
    SettlementLine,
    SettlementPeriod,
    SettlementTariff,
)

REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32


# --- Periods -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodBounds:
    start: dt.date
    end: dt.date
    label: str
    granularity: str


def period_granularity() -> str:
    return getattr(settings, "SETTLEMENT_PERIOD", PeriodGranularity.MONTH)


def period_bounds(day: dt.date, granularity: str | None = None) -> PeriodBounds:
    """The settlement period (month or quarter) containing ``day``."""
    granularity = granularity or period_granularity()
    if granularity == PeriodGranularity.QUARTER:
        first_month = 3 * ((day.month - 1) // 3) + 1
        start = dt.date(day.year, first_month, 1)
        label = f"{day.year}-Q{(first_month - 1) // 3 + 1}"
        months = 3
    else:
        start = dt.date(day.year, day.month, 1)
        label = f"{day.year}-{day.month:02d}"
        months = 1
    month_after = start.month + months
    next_start = dt.date(start.year + (month_after - 1) // 12, (month_after - 1) % 12 + 1, 1)
    return PeriodBounds(start, next_start - dt.timedelta(days=1), label, granularity)


def period_ensure(day: dt.date) -> SettlementPeriod:
    """The period row containing ``day`` (created when missing)."""
    bounds = period_bounds(day)
    period = SettlementPeriod.objects.filter(start__lte=day, end__gte=day).first()
    if period is not None:
        return period
    if SettlementPeriod.objects.filter(start__lte=bounds.end, end__gte=bounds.start).exists():
        raise Conflict(
            _(
                "Settlement period %(label)s overlaps an existing period: the period length "
                "(SETTLEMENT_PERIOD) may only change at the start of a year."
            )
            % {"label": bounds.label},
            code="period_overlap",
        )
    period, _created = SettlementPeriod.objects.get_or_create(
        start=bounds.start,
        defaults={"end": bounds.end, "label": bounds.label, "granularity": bounds.granularity},
    )
    return period


def period_open_for(day: dt.date) -> SettlementPeriod:
    """Lock and return the first open period at or after the period containing ``day``."""
    while True:
        period = row_lock(SettlementPeriod.objects.filter(pk=period_ensure(day).pk))
        if period.is_open:
            return period
        day = period.end + dt.timedelta(days=1)


# --- References ----------------------------------------------------------------------------


def registration_reference(record: ServiceRecord) -> str:
    """A stable pseudonymous reference for a registration record: ``R-`` + 10 base32 chars
    of an HMAC of the record id. Reveals neither the BSN, the name nor the database id."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"settlement-ref:{record.pk}".encode(), hashlib.sha256
    ).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _i in range(10):
        number, rest = divmod(number, 32)
        chars.append(REFERENCE_ALPHABET[rest])
    return "R-" + "".join(chars)


# --- Tariffs and agreements ----------------------------------------------------------------


def tariff_for(day: dt.date) -> SettlementTariff:
    """The tariff in force on ``day``. Before any tariff was ever configured, the documented
    default (EUR 100.00 from 2019-01-01, also created by migration) is created and used; a
    gap between configured tariffs is refused, never guessed."""
    if not SettlementTariff.objects.exists():
        from counter.services.settlement_config import settlement_defaults_ensure

        settlement_defaults_ensure()
    tariff = (
        SettlementTariff.objects.filter(valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .first()
    )
    if tariff is None:
        raise Conflict(
            _("No settlement tariff is in force on %(day)s; a coordinator must add one.")
            % {"day": day.isoformat()},
            code="tariff_missing",
        )
    return tariff


def per_inhabitant_agreement_for(*, payer_id: int, payee_id: int, day: dt.date):
    return (
        SettlementAgreement.objects.filter(
            model=AgreementModel.PER_INHABITANT,
            payee_id=payee_id,
            participants__pk=payer_id,
            valid_from__lte=day,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .first()
    )


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
