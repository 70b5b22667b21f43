"""django-q2 tasks of the activities app: each calls one service and is safe to run twice."""


def session_reminders_task() -> int:
    from activities.services.notifications import session_reminders_send

    return session_reminders_send()
