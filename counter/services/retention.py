"""Retention for the counter app: stored BSNs go after DATA_RETENTION_DAYS.

The record itself stays (outcome, registration facts, "BSN issued"), as do settlement lines
and fee lines: those are the facts municipalities and invoices rely on.
"""

import datetime as dt

from django.db import transaction

from core.audit import audit_log
from counter.models import ServiceRecord
from scheduling.services.retention import retention_cutoff


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
