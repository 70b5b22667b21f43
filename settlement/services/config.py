"""Settlement configuration: effective-dated tariffs, agreements, per-inhabitant contributions.

Tariffs and agreements are never edited in place. A new open-ended tariff from date X closes
the open-ended tariff before it at X - 1 day (the one sanctioned change); any other overlap
is refused. A change may not reach back over registrations already charged.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.exceptions import Conflict, ValidationFailed
from core.locking import rows_lock
from core.money import assert_money, round_money
from scheduling.models import Municipality, PopulationFigure, Region
from settlement.constants import AgreementModel, SettlementLineKind
from settlement.models import (
    SettlementAgreement,
    SettlementLine,
    SettlementPeriod,
    SettlementTariff,
)

DEFAULT_TARIFF = Decimal("100.00")
DEFAULT_TARIFF_FROM = dt.date(2019, 1, 1)
FAR_FUTURE = dt.date(9999, 12, 31)


def _overlaps(a_from, a_to, b_from, b_to) -> bool:
    return a_from <= (b_to or FAR_FUTURE) and b_from <= (a_to or FAR_FUTURE)


@transaction.atomic
def settlement_tariff_create(
    *, amount: Decimal, valid_from: dt.date, valid_to: dt.date | None = None, actor
) -> SettlementTariff:
    assert_money(amount)
    if amount < 0:
        raise ValidationFailed(_("A tariff cannot be negative."), code="tariff_negative")
    if valid_to is not None and valid_to < valid_from:
        raise ValidationFailed(_("'Valid to' lies before 'valid from'."), code="range_invalid")
    superseded = None
    for tariff in rows_lock(SettlementTariff.objects.all()):
        if not _overlaps(valid_from, valid_to, tariff.valid_from, tariff.valid_to):
            continue
        if tariff.valid_to is None and valid_to is None and tariff.valid_from < valid_from:
            superseded = tariff
            continue
        raise Conflict(
            _("The tariff overlaps the tariff of EUR %(amount)s valid from %(start)s.")
            % {"amount": tariff.amount, "start": tariff.valid_from.isoformat()},
            code="tariff_overlap",
        )
    charged_later = SettlementLine.objects.filter(
        kind=SettlementLineKind.CHARGE, registration_date__gte=valid_from
    )
    if valid_to is not None:
        charged_later = charged_later.filter(registration_date__lte=valid_to)
    if charged_later.exists():
        raise Conflict(
            _(
                "Registrations from %(start)s have already been charged; a tariff cannot "
                "change retroactively. Choose a later start date."
            )
            % {"start": valid_from.isoformat()},
            code="tariff_retroactive",
        )
    if superseded is not None:
        SettlementTariff.objects.filter(pk=superseded.pk, valid_to__isnull=True).update(
            valid_to=valid_from - dt.timedelta(days=1)
        )
        audit_log(
            actor=actor,
            action="settlement_tariff.close",
            obj=superseded,
            valid_to=(valid_from - dt.timedelta(days=1)).isoformat(),
        )
    tariff = SettlementTariff.objects.create(
        amount=amount,
        valid_from=valid_from,
        valid_to=valid_to,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
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


def _region_municipalities(region: Region):
    return Municipality.objects.filter(Q(region=region) | Q(region__parent=region))


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
    if model not in AgreementModel.values:
        raise ValidationFailed(_("Unknown settlement model."), code="agreement_model_invalid")
    if valid_to is not None and valid_to < valid_from:
        raise ValidationFailed(_("'Valid to' lies before 'valid from'."), code="range_invalid")
    if model == AgreementModel.PER_INHABITANT:
        if (valid_from.month, valid_from.day) != (1, 1) or (
            valid_to is not None and (valid_to.month, valid_to.day) != (12, 31)
        ):
            raise ValidationFailed(
                _(
                    "A per-inhabitant agreement runs in whole calendar years (1 January to 31 December)."
                ),
                code="agreement_whole_years",
            )
        if amount_per_inhabitant <= 0:
            raise ValidationFailed(
                _("The amount per inhabitant must be more than zero."), code="amount_invalid"
            )
    members = list(_region_municipalities(region))
    if payee is None:
        cores = [m for m in members if m.is_core]
        if len(cores) != 1:
            raise ValidationFailed(
                _("Region %(region)s has no single core municipality; choose the payee.")
                % {"region": region.name},
                code="agreement_payee_required",
            )
        payee = cores[0]
    if participants is None:
        participants = [m for m in members if m.pk != payee.pk]
    participants = [m for m in participants if m.pk != payee.pk]
    if not participants:
        raise ValidationFailed(
            _("An agreement needs at least one participating municipality."),
            code="agreement_no_participants",
        )
    participant_ids = {m.pk for m in participants}
    for other in rows_lock(SettlementAgreement.objects.all()):
        if not _overlaps(valid_from, valid_to, other.valid_from, other.valid_to):
            continue
        shared = set(other.participants.values_list("pk", flat=True)) & participant_ids
        if other.region_id == region.pk or shared:
            raise Conflict(
                _("The agreement overlaps agreement '%(name)s' (%(start)s to %(end)s).")
                % {
                    "name": other.name,
                    "start": other.valid_from.isoformat(),
                    "end": other.valid_to.isoformat() if other.valid_to else "…",
                },
                code="agreement_overlap",
            )
    if model == AgreementModel.PER_INHABITANT:
        charged = SettlementLine.objects.filter(
            kind=SettlementLineKind.CHARGE,
            payee=payee,
            payer_id__in=participant_ids,
            registration_date__gte=valid_from,
        )
        if valid_to is not None:
            charged = charged.filter(registration_date__lte=valid_to)
        if charged.exists():
            raise Conflict(
                _(
                    "Registrations in this agreement's period have already been charged per "
                    "registration; an agreement cannot start retroactively."
                ),
                code="agreement_retroactive",
            )
    agreement = SettlementAgreement.objects.create(
        name=name,
        region=region,
        model=model,
        payee=payee,
        amount_per_inhabitant=amount_per_inhabitant,
        valid_from=valid_from,
        valid_to=valid_to,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
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


def population_for(municipality_ids, year: int) -> dict[int, int]:
    """Latest CBS population figure per municipality for ``year`` (or the last year before)."""
    figures = {}
    rows = (
        PopulationFigure.objects.filter(municipality_id__in=municipality_ids, year__lte=year)
        .order_by("municipality_id", "-year")
        .values_list("municipality_id", "population")
    )
    for municipality_id, population in rows:
        figures.setdefault(municipality_id, population)
    return figures


def missing_population_error(municipalities, year: int) -> ValidationFailed:
    names = ", ".join(f"{m.name} ({m.cbs_code})" for m in municipalities)
    return ValidationFailed(
        _(
            "No CBS population figure for %(year)s (or earlier) for: %(names)s. Import the "
            "population (manage.py import_population) first."
        )
        % {"year": year, "names": names},
        code="population_missing",
        details={"municipalities": [m.cbs_code for m in municipalities], "year": year},
    )


def settlement_contributions_book(*, period: SettlementPeriod, actor) -> list[SettlementLine]:
    """Book the yearly per-inhabitant contributions due in ``period`` (caller holds the lock).

    A year's contribution of an agreement lands in the first period issued of that year that
    the agreement covers. Idempotent per (agreement, year, participant). Refuses, writing
    nothing, when a participant's population is missing.
    """
    year = period.start.year
    agreements = SettlementAgreement.objects.filter(
        model=AgreementModel.PER_INHABITANT, valid_from__lte=period.end
    ).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=period.start))
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
