"""django-q2 tasks of the advice app (thin: the work is in the services)."""

from advice.services.notifications import reporter_status_notification_send
from advice.services.reminders import reports_due_remind


def reports_due_remind_task() -> int:
    return reports_due_remind()


def reporter_status_notify_task(report_id: int, status: str, changed_at: str) -> bool:
    return reporter_status_notification_send(
        report_id=report_id, status=status, changed_at=changed_at
    )
