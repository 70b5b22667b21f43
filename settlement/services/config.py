"""Settlement configuration: effective-dated tariffs, agreements, per-inhabitant contributions.

Tariffs and agreements are effective-dated ranges (``core.effective``), never edited in
place. A new open-ended tariff from date X ends the open-ended tariff before it at X - 1 day;
any other overlap is refused (``range_overlap``), and so is a change that reaches back over
registrations already charged.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.effective import overlapping, range_make_room, range_validate
from core.errors import CoreError
from core.exceptions import Conflict, ValidationFailed
from core.money import assert_money, round_money
from scheduling.models import Municipality, Region
from settlement.constants import AgreementModel, SettlementLineKind
from settlement.errors import SettlementError
from settlement.models import (
    SettlementAgreement,
    SettlementLine,
    SettlementPeriod,
    SettlementTariff,
)
from settlement.selectors.population import missing_population_error, population_for

DEFAULT_TARIFF = Decimal("100.00")
DEFAULT_TARIFF_FROM = dt.date(2019, 1, 1)


def _charges_between(valid_from: dt.date, valid_to: dt.date | None, **filters):
    charges = SettlementLine.objects.filter(
        kind=SettlementLineKind.CHARGE, registration_date__gte=valid_from, **filters
    )
    if valid_to is not None:
        charges = charges.filter(registration_date__lte=valid_to)
    return charges


def _actor_user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


# --- Tariffs -------------------------------------------------------------------------------


@transaction.atomic
def settlement_tariff_create(
    *, amount: Decimal, valid_from: dt.date, valid_to: dt.date | None = None, actor
) -> SettlementTariff:
    """A new tariff from ``valid_from``; an open-ended one ends the open-ended one before it."""
    assert_money(amount)
    if amount < 0:
        raise ValidationFailed(_("A tariff cannot be negative."), code=CoreError.AMOUNT_NEGATIVE)
    ended = range_make_room(
        SettlementTariff.objects.all(),
        valid_from=valid_from,
        valid_to=valid_to,
        supersede=valid_to is None,
        overlap_message=lambda other: (
            _("The tariff overlaps the tariff of EUR %(amount)s valid from %(start)s.")
            % {"amount": other.amount, "start": other.valid_from.isoformat()}
        ),
    )
    if _charges_between(valid_from, valid_to).exists():
        raise Conflict(
            _(
                "Registrations from %(start)s have already been charged; a tariff cannot "
                "change retroactively. Choose a later start date."
            )
            % {"start": valid_from.isoformat()},
            code=SettlementError.TARIFF_RETROACTIVE,
        )
    for old in ended:
        audit_log(
            actor=actor,
            action="settlement_tariff.close",
            obj=old,
            valid_to=old.valid_to.isoformat(),
        )
    tariff = SettlementTariff.objects.create(
        amount=amount, valid_from=valid_from, valid_to=valid_to, created_by=_actor_user(actor)
    )
    audit_log(
        actor=actor,
        action="settlement_tariff.create",
        obj=tariff,
        amount=str(amount),
        valid_from=valid_from.isoformat(),
        valid_to=valid_to.isoformat() if valid_to else None,
    )
    return tariff


def settlement_defaults_ensure() -> SettlementTariff | None:
    """The default tariff (EUR 100.00 per registration) when no tariff exists. Idempotent."""
    if SettlementTariff.objects.exists():
        return None
    return settlement_tariff_create(
        amount=DEFAULT_TARIFF, valid_from=DEFAULT_TARIFF_FROM, actor=None
    )


# --- Agreements ----------------------------------------------------------------------------


def _agreement_terms_validate(
    *, model: str, valid_from: dt.date, valid_to: dt.date | None, amount_per_inhabitant: Decimal
) -> None:
    if model not in AgreementModel.values:
        raise ValidationFailed(
            _("Unknown settlement model."), code=SettlementError.AGREEMENT_MODEL_INVALID
        )
    range_validate(valid_from, valid_to)
    if model != AgreementModel.PER_INHABITANT:
        return
    if (valid_from.month, valid_from.day) != (1, 1) or (
        valid_to is not None and (valid_to.month, valid_to.day) != (12, 31)
    ):
        raise ValidationFailed(
            _(
                "A per-inhabitant agreement runs in whole calendar years (1 January to 31 December)."
            ),
            code=SettlementError.AGREEMENT_WHOLE_YEARS,
        )
    if amount_per_inhabitant <= 0:
        raise ValidationFailed(
            _("The amount per inhabitant must be more than zero."),
            code=SettlementError.AMOUNT_INVALID,
        )


def _agreement_parties(
    *, region: Region, payee: Municipality | None, participants: list[Municipality] | None
) -> tuple[Municipality, list[Municipality]]:
    """The payee (the region's single core municipality unless given) and the participants
    (every other municipality of the region unless given; never the payee)."""
    members = list(Municipality.objects.filter(Q(region=region) | Q(region__parent=region)))
    if payee is None:
        cores = [m for m in members if m.is_core]
        if len(cores) != 1:
            raise ValidationFailed(
                _("Region %(region)s has no single core municipality; choose the payee.")
                % {"region": region.name},
                code=SettlementError.AGREEMENT_PAYEE_REQUIRED,
            )
        payee = cores[0]
    if participants is None:
        participants = members
    participants = [m for m in participants if m.pk != payee.pk]
    if not participants:
        raise ValidationFailed(
            _("An agreement needs at least one participating municipality."),
            code=SettlementError.AGREEMENT_NO_PARTICIPANTS,
        )
    return payee, participants


def _agreement_make_room(
    *, region: Region, participant_ids: set[int], valid_from: dt.date, valid_to: dt.date | None
) -> None:
    """Refuse (``range_overlap``) an agreement overlapping one for the same region or for
    any of the same participants."""
    competing = SettlementAgreement.objects.filter(
        Q(region=region) | Q(participants__in=participant_ids)
    ).values("pk")
    range_make_room(
        SettlementAgreement.objects.filter(pk__in=competing),
        valid_from=valid_from,
        valid_to=valid_to,
        supersede=False,
        overlap_message=lambda other: (
            _("The agreement overlaps agreement '%(name)s' (%(start)s to %(end)s).")
            % {
                "name": other.name,
                "start": other.valid_from.isoformat(),
                "end": other.valid_to.isoformat() if other.valid_to else "…",
            }
        ),
    )


@transaction.atomic
def settlement_agreement_create(
    *,
    name: str,
    region: Region,
    model: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    payee: Municipality | None = None,
    participants: list[Municipality] | None = None,
    amount_per_inhabitant: Decimal = Decimal("0.25"),
    actor,
) -> SettlementAgreement:
    """Record which model applies in ``region`` from ``valid_from`` (to ``valid_to``)."""
    assert_money(amount_per_inhabitant)
    _agreement_terms_validate(
        model=model,
        valid_from=valid_from,
        valid_to=valid_to,
        amount_per_inhabitant=amount_per_inhabitant,
    )
    payee, participants = _agreement_parties(region=region, payee=payee, participants=participants)
    participant_ids = {m.pk for m in participants}
    _agreement_make_room(
        region=region, participant_ids=participant_ids, valid_from=valid_from, valid_to=valid_to
    )
    if (
        model == AgreementModel.PER_INHABITANT
        and _charges_between(
            valid_from, valid_to, payee=payee, payer_id__in=participant_ids
        ).exists()
    ):
        raise Conflict(
            _(
                "Registrations in this agreement's period have already been charged per "
                "registration; an agreement cannot start retroactively."
            ),
            code=SettlementError.AGREEMENT_RETROACTIVE,
        )
    agreement = SettlementAgreement.objects.create(
        name=name,
        region=region,
        model=model,
        payee=payee,
        amount_per_inhabitant=amount_per_inhabitant,
        valid_from=valid_from,
        valid_to=valid_to,
        created_by=_actor_user(actor),
    )
    agreement.participants.set(participants)
    audit_log(
        actor=actor,
        action="settlement_agreement.create",
        obj=agreement,
        model=model,
        region=region.name,
        valid_from=valid_from.isoformat(),
        participants=sorted(m.cbs_code for m in participants),
    )
    return agreement


# --- Per-inhabitant contributions ----------------------------------------------------------


def settlement_contributions_book(*, period: SettlementPeriod, actor) -> list[SettlementLine]:
    """Book the yearly per-inhabitant contributions due in ``period`` (caller holds the lock).

    A year's contribution of an agreement lands in the first period issued of that year that
    the agreement covers. Idempotent per (agreement, year, participant). Refuses, writing
    nothing, when a participant's population is missing.
    """
    year = period.start.year
    agreements = overlapping(
        SettlementAgreement.objects.filter(model=AgreementModel.PER_INHABITANT),
        period.start,
        period.end,
    )
    lines = []
    for agreement in agreements.prefetch_related("participants").select_related("payee"):
        booked = set(
            SettlementLine.objects.filter(
                agreement=agreement, contribution_year=year, kind=SettlementLineKind.CONTRIBUTION
            ).values_list("payer_id", flat=True)
        )
        participants = [m for m in agreement.participants.all() if m.pk not in booked]
        if not participants:
            continue
        population = population_for([m.pk for m in participants], year)
        missing = [m for m in participants if m.pk not in population]
        if missing:
            raise missing_population_error(missing, year)
        for municipality in sorted(participants, key=lambda m: m.cbs_code):
            amount = round_money(agreement.amount_per_inhabitant * population[municipality.pk])
            if amount <= 0:
                continue
            line = SettlementLine.objects.create(
                kind=SettlementLineKind.CONTRIBUTION,
                payer=municipality,
                payee=agreement.payee,
                amount=amount,
                reference=f"C{year}-{municipality.cbs_code}",
                registration_date=dt.date(year, 1, 1),
                period=period,
                agreement=agreement,
                contribution_year=year,
            )
            lines.append(line)
        audit_log(
            actor=actor,
            action="settlement_contribution.book",
            obj=agreement,
            year=year,
            period=period.label,
            lines=len(participants),
        )
    return lines
