"""Financing choices per region (effective-dated) and the decision, at the moment an extra
service is charged, of who pays it (see ``counter.models.financing``)."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.effective import effective_on, range_make_room
from core.errors import CoreError
from core.exceptions import Conflict, ValidationFailed
from core.hooks import hooks_call
from core.locking import row_lock
from core.money import assert_money
from counter.errors import CounterError
from counter.models import FinancingChoice, FinancingVariant, FundedService, MunicipalBasis
from scheduling.models import Appointment, Location, Municipality, PopulationFigure, Region


def region_municipalities(region: Region):
    """The municipalities of ``region`` and of its subregions."""
    return Municipality.objects.filter(Q(region=region) | Q(region__parent=region))


def municipalities_without_population(region: Region, year: int) -> list[Municipality]:
    have = PopulationFigure.objects.filter(year__lte=year).values("municipality_id")
    return list(region_municipalities(region).exclude(pk__in=have).order_by("cbs_code"))


@transaction.atomic
def financing_choice_create(
    *,
    region: Region,
    variant: str,
    valid_from: dt.date,
    actor,
    valid_to: dt.date | None = None,
    municipal_basis: str = MunicipalBasis.POPULATION,
    shares: tuple[int, int, int] = (50, 25, 25),
    amount_per_newcomer: Decimal = Decimal("50.00"),
    supersede: bool = True,
) -> FinancingChoice:
    """A new financing choice for ``region`` from ``valid_from``. With ``supersede`` (the
    default) the open-ended choice in force ends the day before; other overlaps are refused."""
    if variant not in FinancingVariant.values or municipal_basis not in MunicipalBasis.values:
        raise ValidationFailed(
            _("Choose a financing variant."), code=CounterError.FINANCING_SHARES_NOT_100
        )
    if sum(shares) != 100 or any(s < 0 for s in shares):
        raise ValidationFailed(
            _("The shares of state, province and municipalities must add up to 100%."),
            code=CounterError.FINANCING_SHARES_NOT_100,
        )
    assert_money(amount_per_newcomer)
    if amount_per_newcomer < 0:
        raise ValidationFailed(
            _("The amount per newcomer cannot be negative."),
            code=CounterError.FINANCING_AMOUNT_INVALID,
        )
    if (
        variant == FinancingVariant.GOVERNMENT_SPLIT
        and municipal_basis == MunicipalBasis.POPULATION
    ):
        missing = municipalities_without_population(region, valid_from.year)
        if missing:
            raise ValidationFailed(
                _(
                    "No CBS population figure for %(year)s (or earlier) for: %(names)s. Import "
                    "the population (manage.py import_population) first."
                )
                % {"year": valid_from.year, "names": ", ".join(m.name for m in missing)},
                code=CounterError.FINANCING_POPULATION_MISSING,
            )
    row_lock(Region.objects.filter(pk=region.pk))
    for old in range_make_room(
        FinancingChoice.objects.filter(region=region),
        valid_from=valid_from,
        valid_to=valid_to,
        supersede=supersede,
        overlap_message=lambda other: (
            _("This choice overlaps the financing choice %(choice)s.") % {"choice": other}
        ),
    ):
        audit_log(actor=actor, action="financing.end", obj=old, valid_to=old.valid_to.isoformat())
    choice = FinancingChoice.objects.create(
        region=region,
        variant=variant,
        municipal_basis=municipal_basis,
        state_percent=shares[0],
        province_percent=shares[1],
        municipalities_percent=shares[2],
        amount_per_newcomer=amount_per_newcomer,
        valid_from=valid_from,
        valid_to=valid_to,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(
        actor=actor,
        action="financing.create",
        obj=choice,
        region=region.pk,
        variant=variant,
        valid_from=valid_from.isoformat(),
    )
    return choice


def financing_on(location: Location, day: dt.date) -> FinancingChoice | None:
    """The choice in force on ``day`` for the region ``location`` serves (or its parent
    region); None means the employer pays (the behaviour without a choice)."""
    region = location.region
    while region is not None:
        choice = effective_on(FinancingChoice.objects.filter(region=region), day).first()
        if choice is not None:
            return choice
        region = region.parent
    return None


def funded_service_add(
    *,
    appointment: Appointment,
    service,
    choice: FinancingChoice,
    tariff,
    day: dt.date,
    actor,
    now: dt.datetime,
) -> FundedService:
    """Record an extra service the government parties pay (in the caller's transaction) and
    let settlement claim it (``RECORD_HOOKS`` ``extra_service_funded``)."""
    amount = Decimal("0.00")
    if choice.variant == FinancingVariant.GOVERNMENT_SPLIT:
        amount = tariff.amount
    funded = FundedService.objects.create(
        appointment=appointment,
        service=service,
        financing=choice,
        tariff=tariff,
        amount=amount,
        service_date=day,
        created_at=now,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(
        actor=actor,
        action="funded_service.add",
        obj=funded,
        appointment=appointment.pk,
        service=service.code,
        variant=choice.variant,
        amount=str(amount),
    )
    hooks_call("RECORD_HOOKS", "extra_service_funded", funded=funded, actor=actor)
    return funded


@transaction.atomic
def funded_service_void(
    *, funded: FundedService, actor, reason: str, now: dt.datetime | None = None
) -> FundedService:
    """Void an extra service the government parties pay (taken in error, not given). The
    service stays with its amount; settlement writes credit lines (``RECORD_HOOKS``
    ``extra_service_voided``): the negative of each claim line, dated the day of the void, so
    a line already claimed is credited on the next quarter's claim statement and the issued
    statement is never touched."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give a reason for the void."), code=CoreError.REASON_REQUIRED)
    funded = FundedService.objects.select_for_update().get(pk=funded.pk)
    if funded.voided_at is not None:
        raise Conflict(_("This extra service was already voided."), code=CounterError.ALREADY_VOID)
    funded.voided_at = now or timezone.now()
    funded.voided_by = actor if getattr(actor, "is_authenticated", False) else None
    funded.void_reason = reason[:200]
    funded.save(update_fields=["voided_at", "voided_by", "void_reason"])
    # No free text in the append-only audit log (the reason may name a person).
    audit_log(
        actor=actor,
        action="funded_service.void",
        obj=funded,
        appointment=funded.appointment_id,
        amount=str(funded.amount),
    )
    hooks_call(
        "RECORD_HOOKS",
        "extra_service_voided",
        funded=funded,
        actor=actor,
        today=timezone.localdate(funded.voided_at),
    )
    return funded
