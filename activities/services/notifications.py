"""Reminders before an activity session, with scheduling's notification mechanism: each
message is claimed in ``NotificationLog`` under a unique key before it is sent, so the
periodic task (``activities.tasks.session_reminders_task``, every 15 minutes) sends each
participant's reminder once. The text is in the registration's language (English when the
system does not speak it); the registration's reference and other people are not in it."""

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from activities.constants import Attendance, RegistrationState
from activities.models import Participant
from core.dates import date_long
from scheduling.services.notifications import notification_send_once
from scheduling.tickets.pdf import ticket_language


def _session_start(session) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(session.date, session.start_time))


def _reminder_mail(participant: Participant) -> EmailMessage:
    session = participant.session
    with translation.override(ticket_language(participant.registration.language)):
        context = {
            "participant": participant,
            "session": session,
            "day": date_long(session.date),
        }
        subject = _("Reminder: %(activity)s on %(day)s") % {
            "activity": session.activity.title,
            "day": date_long(session.date, weekday=False),
        }
        body = render_to_string("activities/email/reminder.txt", context)
    return EmailMessage(subject=subject, body=body, to=[participant.email])


def session_reminders_send(*, now: dt.datetime | None = None) -> int:
    """A reminder to every confirmed, expected participant with an e-mail whose session
    starts within REMINDER_HOURS_BEFORE. Safe to run every few minutes."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(hours=settings.REMINDER_HOURS_BEFORE)
    due = (
        Participant.objects.filter(
            registration__state=RegistrationState.CONFIRMED,
            attendance=Attendance.EXPECTED,
            session__date__gte=timezone.localdate(now),
            session__date__lte=timezone.localdate(horizon),
        )
        .exclude(email="")
        .select_related("registration", "session__activity", "session__location")
        .order_by("session__date", "session__start_time", "pk")
    )
    sent = 0
    for participant in due:
        if not now < _session_start(participant.session) <= horizon:
            continue
        sent += notification_send_once(
            key=f"activity-reminder:{participant.pk}",
            kind="activity_reminder",
            recipient="participant",
            message=_reminder_mail(participant),
        )
    return sent
