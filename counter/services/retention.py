"""Retention for the counter app: stored BSNs, free texts and names in invoice lines go after
DATA_RETENTION_DAYS.

The record itself stays (outcome, registration facts, "BSN issued"), as do settlement lines,
fee lines and invoice amounts: those are the facts municipalities and invoices rely on. Free
text an officer typed (a record's reason, proof of lawful residence, void reason; a credit's
reason) may name a person and goes (a void or credit reason becomes the "removed" mark: the
database requires one). Invoice lines name the visit by its booking code (see
``counter.services.invoices``); lines written before that carried the worker's name and are
rewritten once the client's data is removed.
"""

import datetime as dt

from django.db import models, transaction

from core.audit import audit_log
from counter.models import FeeLine, FundedService, InvoiceLine, ServiceRecord
from counter.services.invoices import invoice_line_description
from scheduling.services.retention import REMOVED_NAME, retention_cutoff


@transaction.atomic
def service_records_bsn_purge(*, now: dt.datetime | None = None, actor=None) -> int:
    cutoff = retention_cutoff(now)
    # A record is never edited through save(); removing the BSN is the one sanctioned change.
    count = ServiceRecord.objects.filter(recorded_at__lt=cutoff).exclude(bsn="").update(bsn="")
    if count:
        audit_log(
            actor=actor,
            action="service_record.bsn_removed",
            object_type="counter.servicerecord",
            object_id="*",
            count=count,
            cutoff=cutoff.isoformat(),
        )
    return count


def _erasable(model) -> models.QuerySet:
    """A plain queryset past the immutability guard (core.models.ImmutableQuerySet): erasing
    personal data is the one change retention may make to a record, fee or invoice line; the
    facts and amounts are never touched."""
    return models.QuerySet(model=model)


@transaction.atomic
def counter_free_text_purge(*, now: dt.datetime | None = None, actor=None) -> int:
    """Clear free texts of old records and fee lines; name invoice lines of clients whose data
    was removed by their booking code. Returns the number of rows changed."""
    cutoff = retention_cutoff(now)
    old_records = _erasable(ServiceRecord).filter(recorded_at__lt=cutoff)
    records = old_records.exclude(reason="", lawful_residence_proof="").update(
        reason="", lawful_residence_proof=""
    )
    # A voided record must keep a void reason (database check): it becomes the "removed" mark.
    records += old_records.exclude(void_reason__in=("", REMOVED_NAME)).update(
        void_reason=REMOVED_NAME
    )
    # A credit must keep a reason (database check): it becomes the "removed" mark.
    fees = (
        _erasable(FeeLine)
        .filter(created_at__lt=cutoff)
        .exclude(reason__in=("", REMOVED_NAME))
        .update(reason=REMOVED_NAME)
    )
    # A voided funded service keeps a reason (database check) too.
    fees += (
        _erasable(FundedService)
        .filter(voided_at__lt=cutoff)
        .exclude(void_reason__in=("", REMOVED_NAME))
        .update(void_reason=REMOVED_NAME)
    )
    lines = 0
    stale = InvoiceLine.objects.filter(client__personal_data_removed_at__isnull=False)
    for line in stale.select_related("invoice", "client", "service"):
        fee = (
            FeeLine.objects.filter(
                invoice=line.invoice_id, appointment__client=line.client_id, service=line.service_id
            )
            .select_related("appointment")
            .first()
        )
        text = invoice_line_description(
            booking_code=fee.appointment.booking_code if fee else "", service=line.service
        )
        if line.description != text:
            # Invoice lines are immutable through save(); this is the one sanctioned change.
            _erasable(InvoiceLine).filter(pk=line.pk).update(description=text)
            lines += 1
    if records or fees or lines:
        audit_log(
            actor=actor,
            action="counter.free_text_removed",
            object_type="counter",
            object_id="*",
            records=records,
            fee_lines=fees,
            invoice_lines=lines,
            cutoff=cutoff.isoformat(),
        )
    return records + fees + lines
