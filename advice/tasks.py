"""django-q2 tasks of the advice app (thin: the work is in the services)."""

from advice.services.reminders import reports_due_remind


def reports_due_remind_task() -> int:
    return reports_due_remind()
