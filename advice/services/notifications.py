"""The reporter's e-mail when the status of their report changes.

Only when the reporter asked for it (``Report.notify_status``, which needs an e-mail address
as contact), never for an anonymous report, and never once retention has removed the
reporter's data (the address is gone with it). The e-mail speaks the report's language and
says the receipt number, the new status and where to follow it: no description, no place, no
party, and never the secret (the follow-up page asks for it). Sent after commit by a
django-q2 task (advice.tasks), once per status change (scheduling's NotificationLog key).
"""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from advice.constants import CLIENT_LANGUAGES, ReportStatus
from advice.models import Report
from core.tasks import enqueue_on_commit
from scheduling.services.notifications import notification_send_once


def is_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def reporter_status_notify(*, report: Report, now: dt.datetime | None = None) -> None:
    """Queue the reporter's e-mail about the report's new status (after commit), if they
    asked for one. Call from every service that changes a report's status."""
    if not (report.notify_status and report.reporter_contact and not report.reporter_removed_at):
        return
    changed_at = (now or timezone.now()).isoformat()
    enqueue_on_commit(
        "advice.tasks.reporter_status_notify_task", report.pk, str(report.status), changed_at
    )


def _status_mail(report: Report, status: str, language: str) -> EmailMessage:
    with translation.override(language):
        url_name, args = ("report:public-status-lang", [language])
        context = {
            "receipt_number": report.receipt_number,
            "status": ReportStatus(status).label,
            "outcome": report.get_outcome_display() if status == ReportStatus.CLOSED else "",
            "follow_up_url": settings.SITE_URL + reverse(url_name, args=args),
        }
        subject = _("Your report %(number)s: %(status)s") % {
            "number": report.receipt_number,
            "status": context["status"],
        }
        body = render_to_string("advice/email/reporter_status.txt", context)
    return EmailMessage(subject=subject, body=body, to=[report.reporter_contact])


def reporter_status_notification_send(*, report_id: int, status: str, changed_at: str) -> bool:
    """Send the e-mail about one status change, once; False when nothing was sent."""
    report = Report.objects.filter(pk=report_id).first()
    if report is None or status not in ReportStatus.values:
        return False
    # Checked again when sending: retention may have removed the reporter in the meantime.
    if not report.notify_status or report.reporter_removed_at is not None:
        return False
    if not is_email(report.reporter_contact):
        return False
    language = report.language if report.language in CLIENT_LANGUAGES else settings.LANGUAGE_CODE
    stamp = dt.datetime.fromisoformat(changed_at).strftime("%Y%m%d%H%M%S%f")
    return notification_send_once(
        key=f"advice-report-status:{report.pk}:{status}:{stamp}",
        kind="report_status",
        recipient="reporter",
        message=_status_mail(report, status, language),
    )
