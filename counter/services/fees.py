"""Tariffs, fee lines for extra services, credits, and closing a visit.

Government services are free (Gemeentewet). Fee lines are never edited: before and after
closing a visit a correction is a credit line (negative, referencing the original); after
closing no new charges can be added.
"""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.effective import effective_on, range_make_room
from core.errors import CoreError
from core.exceptions import Conflict, ValidationFailed
from core.locking import row_lock
from core.money import assert_money, round_money
from counter.errors import CounterError
from counter.models import FeeLine, FundedService, ItemFeeLine, Tariff, VisitClosure
from counter.models.fees import government_fee_error
from counter.models.financing import GOVERNMENT_VARIANTS
from counter.services.financing import financing_on, funded_service_add
from counter.services.records import RECORD_REQUIRED_CATEGORIES, record_missing_error
from scheduling.constants import LegState, ServiceKind
from scheduling.models import Appointment, Employer, ServiceType

DEFAULT_EXTRA_FEE = Decimal("50.00")


def refuse_government_fee(service: ServiceType) -> None:
    error = government_fee_error(service)
    if error is not None:
        message = error.message % error.params
        raise ValidationFailed(
            message, code=CounterError.GOVERNMENT_SERVICE_FREE, details={"service": [message]}
        )


@transaction.atomic
def tariff_create(
    *,
    service: ServiceType,
    amount: Decimal,
    valid_from: dt.date,
    actor,
    valid_to: dt.date | None = None,
    supersede: bool = False,
) -> Tariff:
    """A new tariff for an extra service. Tariffs never overlap for one service.

    ``supersede``: end the open-ended tariff that started before ``valid_from`` on the day
    before, so the new tariff takes over (the old one keeps its amount and history).
    """
    refuse_government_fee(service)
    assert_money(amount)
    if amount < 0:
        raise ValidationFailed(_("A tariff cannot be negative."), code=CoreError.AMOUNT_NEGATIVE)
    # Serialise tariff changes of one service (lock the service row), then make room.
    row_lock(ServiceType.objects.filter(pk=service.pk))
    for old in range_make_room(
        Tariff.objects.filter(service=service),
        valid_from=valid_from,
        valid_to=valid_to,
        supersede=supersede,
        overlap_message=lambda other: (
            _("This tariff overlaps the tariff %(tariff)s for the same service.")
            % {"tariff": other}
        ),
    ):
        audit_log(actor=actor, action="tariff.end", obj=old, valid_to=old.valid_to.isoformat())
    tariff = Tariff(
        service=service,
        amount=amount,
        valid_from=valid_from,
        valid_to=valid_to,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    tariff.full_clean()
    tariff.save()
    audit_log(
        actor=actor,
        action="tariff.create",
        obj=tariff,
        service=service.code,
        amount=str(amount),
        valid_from=valid_from.isoformat(),
        valid_to=valid_to.isoformat() if valid_to else None,
    )
    return tariff


def tariff_current(*, service: ServiceType, on: dt.date | None = None) -> Tariff | None:
    return effective_on(Tariff.objects.filter(service=service), on or timezone.localdate()).first()


@transaction.atomic
def tariffs_default_ensure(*, actor=None, valid_from: dt.date | None = None) -> list[Tariff]:
    """Give every extra service without any tariff the default EUR 50.00 (idempotent)."""
    created = []
    start = valid_from or dt.date(timezone.localdate().year - 1, 1, 1)
    for service in ServiceType.objects.filter(kind=ServiceKind.EXTRA, tariffs__isnull=True):
        created.append(
            tariff_create(service=service, amount=DEFAULT_EXTRA_FEE, valid_from=start, actor=actor)
        )
    return created


def visit_is_closed(appointment: Appointment) -> bool:
    return VisitClosure.objects.filter(appointment_id=appointment.pk).exists()


def visit_date(appointment: Appointment) -> dt.date:
    if appointment.start is not None:
        return timezone.localtime(appointment.start).date()
    return timezone.localtime(appointment.created_at).date()


def fee_payer(appointment: Appointment) -> dict:
    """Who pays: the group booking's employer, else a self-employed client himself, else the
    client's employer, else the client."""
    client = appointment.client
    if appointment.group_booking_id:
        return {"payer_employer": appointment.group_booking.employer, "payer_client": None}
    if not client.self_employed and client.employer_id:
        return {"payer_employer": client.employer, "payer_client": None}
    return {"payer_employer": None, "payer_client": client}


def _locked_open_visit(appointment: Appointment) -> Appointment:
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("client__employer", "group_booking__employer")
        .get(pk=appointment.pk)
    )
    return appointment


@transaction.atomic
def fee_line_add(
    *, appointment: Appointment, service: ServiceType, actor, now: dt.datetime | None = None
) -> FeeLine | FundedService:
    """Charge an extra service taken on a visit, at the tariff valid on the visit date.

    Under a government financing variant of the visit's region on that date the employer is
    not charged: the service is recorded as a ``FundedService`` and settlement claims it."""
    refuse_government_fee(service)
    appointment = _locked_open_visit(appointment)
    if visit_is_closed(appointment):
        raise Conflict(
            _("This visit is closed: its fees are locked. Use a credit line to correct."),
            code=CounterError.VISIT_CLOSED,
        )
    if (
        FeeLine.objects.filter(appointment=appointment, service=service, credit_of__isnull=True)
        .filter(credit__isnull=True)
        .exists()
    ) or FundedService.objects.filter(
        appointment=appointment, service=service, voided_at__isnull=True
    ).exists():
        raise Conflict(
            _("%(service)s is already charged on this visit.")
            % {"service": service.localized_name()},
            code=CounterError.ALREADY_CHARGED,
        )
    day = visit_date(appointment)
    tariff = tariff_current(service=service, on=day)
    if tariff is None:
        raise ValidationFailed(
            _("There is no tariff for %(service)s on %(date)s: a coordinator must set one.")
            % {"service": service.localized_name(), "date": day.isoformat()},
            code=CounterError.NO_TARIFF,
        )
    # Who pays is decided here, by the region's financing choice on the visit date.
    choice = financing_on(appointment.location, day)
    if choice is not None and choice.variant in GOVERNMENT_VARIANTS:
        return funded_service_add(
            appointment=appointment,
            service=service,
            choice=choice,
            tariff=tariff,
            day=day,
            actor=actor,
            now=now or timezone.now(),
        )
    line = FeeLine(
        appointment=appointment,
        service=service,
        tariff=tariff,
        amount=round_money(tariff.amount),
        created_at=now or timezone.now(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        **fee_payer(appointment),
    )
    try:
        line.full_clean(exclude=["invoice", "credit_of", "created_by"])
    except ValidationError as exc:
        raise ValidationFailed(
            "; ".join(exc.messages), code=CoreError.INVALID, details=exc.message_dict
        ) from exc
    line.save()
    audit_log(
        actor=actor,
        action="fee_line.add",
        obj=line,
        appointment=appointment.pk,
        service=service.code,
        amount=str(line.amount),
        tariff=tariff.pk,
    )
    return line


@transaction.atomic
def fee_line_credit(*, line: FeeLine, actor, reason: str) -> FeeLine:
    """Cancel a charge with a credit line (negative amount referencing the original)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give a reason for the credit."), code=CoreError.REASON_REQUIRED)
    _locked_open_visit(line.appointment)
    line = FeeLine.objects.select_for_update().get(pk=line.pk)
    if line.is_credit:
        raise Conflict(_("A credit line cannot be credited."), code=CounterError.CREDIT_OF_CREDIT)
    if FeeLine.objects.filter(credit_of=line).exists():
        raise Conflict(_("This fee line was already credited."), code=CounterError.ALREADY_CREDITED)
    credit = FeeLine(
        appointment_id=line.appointment_id,
        service_id=line.service_id,
        tariff_id=line.tariff_id,
        amount=-line.amount,
        payer_employer_id=line.payer_employer_id,
        payer_client_id=line.payer_client_id,
        credit_of=line,
        reason=reason[:200],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    credit.save()
    # The reason stays on the credit line (erased there after the retention period); the
    # append-only audit log gets no free text that may name a person.
    audit_log(
        actor=actor,
        action="fee_line.credit",
        obj=credit,
        credit_of=line.pk,
        amount=str(credit.amount),
    )
    return credit


@transaction.atomic
def visit_close(*, appointment: Appointment, actor) -> VisitClosure:
    """Close a finished visit: its fee lines are locked from now on. Closing twice is an error."""
    appointment = _locked_open_visit(appointment)
    if visit_is_closed(appointment):
        raise Conflict(_("This visit is already closed."), code=CounterError.VISIT_ALREADY_CLOSED)
    if appointment.legs.filter(state__in=(LegState.PLANNED, LegState.IN_PROGRESS)).exists():
        raise Conflict(
            _("This visit still has legs to serve: finish or cancel them first."),
            code=CounterError.VISIT_HAS_OPEN_LEGS,
        )
    unrecorded = (
        appointment.legs.filter(
            state__in=(LegState.DONE, LegState.NOT_DONE),
            service__category__in=RECORD_REQUIRED_CATEGORIES,
        )
        .exclude(service_records__voided_at__isnull=True)
        .select_related("service")
        .order_by("position")
        .first()
    )
    if unrecorded is not None:
        raise record_missing_error(unrecorded)
    closure = VisitClosure.objects.create(
        appointment=appointment,
        closed_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(actor=actor, action="visit.close", obj=appointment, closure=closure.pk)
    return closure


@transaction.atomic
def item_fee_line_add(
    *,
    employer: Employer,
    source: str,
    description: str,
    amount: Decimal,
    service_date: dt.date,
    actor,
    po_reference: str = "",
    now: dt.datetime | None = None,
) -> ItemFeeLine:
    """Charge ``employer`` for an item that is not a visit (a higher app's service, named by
    its opaque ``source`` key). One charge per source; it goes on the next monthly invoice."""
    assert_money(amount)
    if amount < 0:
        raise ValidationFailed(_("A fee cannot be negative."), code=CoreError.AMOUNT_NEGATIVE)
    if ItemFeeLine.objects.filter(source=source, credit_of__isnull=True).exists():
        raise Conflict(_("This item is already charged."), code=CounterError.ALREADY_CHARGED)
    line = ItemFeeLine.objects.create(
        payer_employer=employer,
        source=source[:80],
        description=description[:300],
        po_reference=po_reference[:100],
        service_date=service_date,
        amount=amount,
        created_at=now or timezone.now(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(
        actor=actor, action="item_fee_line.add", obj=line, source=line.source, amount=str(amount)
    )
    return line


def item_fee_lines_add_many(*, lines: list[dict], actor, now: dt.datetime | None = None) -> int:
    """``item_fee_line_add`` for many items at once (one INSERT), in the caller's transaction.
    Each dict holds the keyword arguments of ``item_fee_line_add`` except ``actor``/``now``."""
    now = now or timezone.now()
    user = actor if getattr(actor, "is_authenticated", False) else None
    rows = []
    for item in lines:
        assert_money(item["amount"])
        if item["amount"] < 0:
            raise ValidationFailed(_("A fee cannot be negative."), code=CoreError.AMOUNT_NEGATIVE)
        rows.append(
            ItemFeeLine(
                payer_employer=item["employer"],
                source=item["source"][:80],
                description=item["description"][:300],
                po_reference=item.get("po_reference", "")[:100],
                service_date=item["service_date"],
                amount=item["amount"],
                created_at=now,
                created_by=user,
            )
        )
    ItemFeeLine.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def item_fee_line_credit(*, source: str, actor, reason: str) -> ItemFeeLine | None:
    """Credit the charge of ``source`` in full (a negative line referencing it). None when the
    item was never charged or is already credited: safe to call again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(_("Give a reason for the credit."), code=CoreError.REASON_REQUIRED)
    line = row_lock(ItemFeeLine.objects.filter(source=source, credit_of__isnull=True))
    if line is None or ItemFeeLine.objects.filter(credit_of=line).exists():
        return None
    credit = ItemFeeLine.objects.create(
        payer_employer_id=line.payer_employer_id,
        source=line.source,
        description=line.description,
        po_reference=line.po_reference,
        service_date=line.service_date,
        amount=-line.amount,
        credit_of=line,
        reason=reason[:200],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(
        actor=actor,
        action="item_fee_line.credit",
        obj=credit,
        credit_of=line.pk,
        amount=str(credit.amount),
        reason=reason,
    )
    return credit
