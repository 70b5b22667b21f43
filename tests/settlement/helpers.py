"""Builders for settlement tests: completed registrations as ServiceRecords (ORM, no
counter service), then the real settlement hook."""

import datetime as dt
import hashlib

from counter.constants import NotDeliveredReason, Outcome
from counter.models import ServiceRecord
from scheduling.constants import AppointmentStatus, LegState
from settlement.services.lines import settlement_lines_for_registration
from tests import factories


def registration(
    *,
    loc,
    day: dt.date,
    residence: str,
    kind: str = "brp",
    outcome: str = Outcome.COMPLETED,
    bsn: str = "",
    hook: bool = True,
    hour: int = 10,
):
    """A completed BRP/RNI leg at ``loc`` on ``day`` for a resident of ``residence``."""
    client = factories.client(municipality_of_residence=factories.municipality(residence))
    appointment = factories.appointment(
        loc=loc,
        start=factories.aware(day, hour),
        codes=[kind],
        cl=client,
        status=AppointmentStatus.COMPLETED,
    )
    leg = appointment.legs.get()
    leg.state = LegState.DONE
    leg.save(update_fields=["state"])
    record = ServiceRecord.objects.create(
        leg=leg,
        outcome=outcome,
        reason_code=NotDeliveredReason.OTHER if outcome == Outcome.NOT_COMPLETED else "",
        reason="not delivered" if outcome == Outcome.NOT_COMPLETED else "",
        registration_kind=kind,
        registration_date=day,
        residence_municipality=client.municipality_of_residence,
        performing_municipality=loc.municipality,
        bsn_issued=bool(bsn),
        bsn=bsn,
    )
    lines = settlement_lines_for_registration(record=record, actor=None) if hook else []
    return record, lines


def void(record, *, when=None):
    from django.utils import timezone

    from settlement.services.lines import settlement_lines_reverse_registration

    ServiceRecord.objects.filter(pk=record.pk).update(
        voided_at=when or timezone.now(), void_reason="wrong person"
    )
    record.refresh_from_db()
    return settlement_lines_reverse_registration(record=record, actor=None)


def claim_statement_expected_hash(statement, lines) -> str:
    """The documented content hash of a claim statement (docs/financing.md), computed
    independently from its saved lines (in ``pk`` order)."""
    body = hashlib.sha256()
    for line in lines:
        body.update(
            f"{line.pk}|{line.amount:.2f}|{line.reference}|{line.service_date.isoformat()}"
            f"|{line.variant}\n".encode()
        )
    header = f"{statement.quarter}|{statement.party_key}|{statement.total:.2f}|{len(lines)}\n"
    return hashlib.sha256(header.encode() + body.digest()).hexdigest()
