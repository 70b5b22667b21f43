"""Reminders for cases past their due date (a django-q2 periodic task, advice.tasks).

One e-mail per handling organisation listing the receipt numbers due (no personal data, no
description), at most once a day per case (``reminded_on``)."""

import datetime as dt

from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advice.constants import OPEN_STATUSES
from advice.models import Report
from core.audit import audit_log


@transaction.atomic
def reports_due_remind(*, now: dt.datetime | None = None) -> int:
    today = timezone.localdate(now or timezone.now())
    due = list(
        Report.objects.select_for_update()
        .select_related("organisation")
        .filter(status__in=OPEN_STATUSES, due_date__lte=today, organisation__isnull=False)
        .exclude(reminded_on=today)
        .order_by("organisation_id", "due_date")
    )
    by_org: dict = {}
    for report in due:
        by_org.setdefault(report.organisation, []).append(report)
    for organisation, reports in by_org.items():
        if organisation.email:
            lines = "\n".join(f"{r.receipt_number} ({r.due_date:%d-%m-%Y})" for r in reports)
            send_mail(
                _("BMIP report point: %(n)d case(s) due") % {"n": len(reports)},
                _("These cases are due or overdue:") + "\n" + lines,
                None,
                [organisation.email],
            )
    Report.objects.filter(pk__in=[r.pk for r in due]).update(reminded_on=today)
    if due:
        audit_log(
            actor=None,
            action="report.reminders",
            object_type="advice.report",
            object_id="*",
            count=len(due),
        )
    return len(due)
