"""Retention of reporter data (settings.RETENTION_PURGERS): the reporter's name and contact
go once the case has been closed for REPORT_REPORTER_RETENTION_DAYS (and with them any
e-mail about the case: advice.services.notifications finds no address). The case itself stays
(category, place, dates, outcome) for the statistics."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from advice.constants import ReportStatus
from advice.models import Report
from core.audit import audit_log


@transaction.atomic
def reports_reporter_purge(*, now: dt.datetime | None = None, actor=None) -> int:
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.REPORT_REPORTER_RETENTION_DAYS)
    due = Report.objects.filter(
        status=ReportStatus.CLOSED, closed_at__lt=cutoff, reporter_removed_at__isnull=True
    ).filter(~Q(reporter_name="") | ~Q(reporter_contact=""))
    count = due.update(
        reporter_name="", reporter_contact="", notify_status=False, reporter_removed_at=now
    )
    if count:
        audit_log(
            actor=actor,
            action="report.reporter_removed",
            object_type="advice.report",
            object_id="*",
            count=count,
            cutoff=cutoff.isoformat(),
        )
    return count
