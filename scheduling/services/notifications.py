"""E-mails about group bookings: confirmation (employer, with the calendar file; worker, in
his own language), reminders before the visit, and notices when a visit is cancelled or moved.

Services enqueue through the outbox (``core.outbox``: written with the change, queued after
commit, queued again by the sweep when a killed worker or a restarted Redis lost it; nothing
goes out for a rolled-back change); the django-q2 tasks in ``scheduling.tasks`` call the
``*_send`` functions here. Each message
is claimed in ``NotificationLog`` under a unique key before it is sent, inside one
transaction: a task that runs twice finds the key and sends nothing the second time.
"""

import datetime as dt
import hashlib
import logging
from smtplib import SMTPConnectError, SMTPException, SMTPServerDisconnected
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.dates import date_long
from core.outbox import outbox_enqueue_on_commit
from scheduling.constants import AppointmentStatus, GroupBookingStatus
from scheduling.models import Appointment, GroupBooking, NotificationLog

logger = logging.getLogger(__name__)
AMS = ZoneInfo("Europe/Amsterdam")
ICS_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"


def group_booking_confirmed_notify(*, group_booking: GroupBooking) -> None:
    outbox_enqueue_on_commit("scheduling.tasks.group_booking_confirmation_task", group_booking.pk)


def appointment_change_notify(*, appointment_id: int, kind: str) -> None:
    """``kind``: "cancelled" or "moved". Call from any service that cancels or reschedules."""
    outbox_enqueue_on_commit("scheduling.tasks.appointment_change_task", appointment_id, kind)


def _send_once(
    *, key: str, kind: str, recipient: str, message: EmailMessage, appointment=None, group=None
) -> bool:
    """Claim ``key`` and send; False when it was sent before. A failed send rolls back the
    claim, so a retry sends it. A refused message (bad address or header) is logged (without
    the address) and the caller goes on with the next recipient: one bad address never stops
    the others' mail. A mail server that cannot be reached raises: the task fails and the
    outbox (core.outbox) runs it again later; the messages already sent are not sent again."""
    try:
        with transaction.atomic():
            _entry, created = NotificationLog.objects.get_or_create(
                key=key[:120],
                defaults=dict(
                    kind=kind, recipient=recipient, appointment=appointment, group_booking=group
                ),
            )
            if not created:
                return False
            message.send()
    except (ValueError, OSError, SMTPException) as exc:  # BadHeaderError is a ValueError
        logger.warning("notification not sent: %s (%s)", kind, type(exc).__name__)
        if _mail_server_away(exc):
            raise
        return False
    logger.info("notification sent: %s", kind)
    return True


def _mail_server_away(exc: Exception) -> bool:
    """The server could not be reached or dropped the connection (try again later), as
    opposed to a refusal of this one message."""
    if isinstance(exc, SMTPServerDisconnected | SMTPConnectError):
        return True
    return isinstance(exc, OSError) and not isinstance(exc, SMTPException)


def notification_send_once(*, key: str, kind: str, recipient: str, message: EmailMessage) -> bool:
    """The same once-only sending for other apps' messages (e.g. activity reminders): claim
    ``key`` in ``NotificationLog`` and send; False when it was sent before."""
    return _send_once(key=key, kind=kind, recipient=recipient, message=message)


def _legs(appointment: Appointment, language: str) -> list[dict]:
    return [
        {
            "start": leg.start.astimezone(AMS) if leg.start else None,
            "end": leg.end.astimezone(AMS) if leg.end else None,
            "service": leg.service.localized_name(language),
        }
        for leg in appointment.legs.all()
    ]


def _where(appointment: Appointment) -> str:
    if appointment.bus_visit_id:
        return f"{appointment.bus_visit.site_name}, {appointment.bus_visit.address}"
    loc = appointment.location
    return ", ".join(p for p in [loc.name, loc.full_address] if p)


def _appointments(qs):
    return qs.select_related("client", "location", "bus_visit").prefetch_related("legs__service")


def _worker_mail(appointment: Appointment, *, kind: str) -> EmailMessage:
    from scheduling.services.calendar import appointment_ics
    from scheduling.tickets.pdf import ticket_language

    client = appointment.client
    language = ticket_language(client.language)
    with translation.override(language):
        context = {
            "appointment": appointment,
            "client": client,
            "start": appointment.start.astimezone(AMS),
            "day": date_long(appointment.start),
            "legs": _legs(appointment, language),
            "where": _where(appointment),
            "kind": kind,
        }
        subject = {
            "confirmed": _("Your appointment at BMIP on %(day)s"),
            "reminder": _("Reminder: your appointment at BMIP on %(day)s"),
            "cancelled": _("Your appointment at BMIP on %(day)s is cancelled"),
            "moved": _("Your appointment at BMIP has moved to %(day)s"),
        }[kind] % {"day": date_long(appointment.start, weekday=False)}
        body = render_to_string("scheduling/email/worker_notice.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[client.email])
    message.attach(f"bmip-{appointment.booking_code}.ics", appointment_ics(appointment), ICS_TYPE)
    return message


def _employer_mail(group: GroupBooking, appointments, *, kind: str) -> EmailMessage:
    from scheduling.services.calendar import group_booking_ics

    employer = group.employer
    context = {
        "group": group,
        "employer": employer,
        "kind": kind,
        "rows": [
            {
                "appointment": a,
                "start": a.start.astimezone(AMS) if a.start else None,
                "legs": _legs(a, "en"),
                "where": _where(a),
            }
            for a in appointments
        ],
        "portal_url": f"{settings.SITE_URL}/scheduling/portal/group-bookings/{group.reference}/",
    }
    subject = {
        "confirmed": _("Group booking %(ref)s confirmed (%(count)d workers)"),
        "reminder": _("Reminder: group booking %(ref)s (%(count)d workers)"),
        "cancelled": _("Group booking %(ref)s: a visit is cancelled (%(count)d)"),
        "moved": _("Group booking %(ref)s: a visit has moved (%(count)d)"),
    }[kind] % {"ref": group.reference, "count": len(appointments)}
    body = render_to_string("scheduling/email/employer_notice.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[employer.contact_email])
    message.attach(f"bmip-group-{group.reference}.ics", group_booking_ics(group), ICS_TYPE)
    return message


def group_booking_confirmation_send(*, group_booking_id: int) -> int:
    """Confirmation to the employer contact (once per set of visits) and to every worker with
    a known e-mail (once per visit version). Returns the number of e-mails sent."""
    group = GroupBooking.objects.select_related("employer").filter(pk=group_booking_id).first()
    if group is None or group.status != GroupBookingStatus.CONFIRMED:
        return 0
    booked = list(
        _appointments(group.appointments.filter(status=AppointmentStatus.BOOKED)).order_by(
            "start", "pk"
        )
    )
    if not booked:
        return 0
    sent = 0
    digest = hashlib.sha256(",".join(f"{a.pk}.{a.sequence}" for a in booked).encode()).hexdigest()[
        :16
    ]
    with translation.override(settings.LANGUAGE_CODE):
        sent += _send_once(
            key=f"group-confirmed:{group.pk}:{digest}",
            kind="group_confirmed",
            recipient="employer",
            group=group,
            message=_employer_mail(group, booked, kind="confirmed"),
        )
    for appointment in booked:
        if appointment.client.email:
            sent += _send_once(
                key=f"confirmed:{appointment.pk}:{appointment.sequence}:worker",
                kind="confirmed",
                recipient="worker",
                appointment=appointment,
                group=group,
                message=_worker_mail(appointment, kind="confirmed"),
            )
    return sent


def appointment_change_send(*, appointment_id: int, kind: str) -> int:
    """Cancelled or moved: tell the worker (his language) and the employer contact."""
    appointment = _appointments(Appointment.objects.filter(pk=appointment_id)).first()
    if appointment is None:
        return 0
    sent = 0
    if appointment.client.email:
        sent += _send_once(
            key=f"{kind}:{appointment.pk}:{appointment.sequence}:worker",
            kind=kind,
            recipient="worker",
            appointment=appointment,
            message=_worker_mail(appointment, kind=kind),
        )
    group = appointment.group_booking
    if group is not None:
        with translation.override(settings.LANGUAGE_CODE):
            sent += _send_once(
                key=f"{kind}:{appointment.pk}:{appointment.sequence}:employer",
                kind=kind,
                recipient="employer",
                appointment=appointment,
                group=group,
                message=_employer_mail(group, [appointment], kind=kind),
            )
    return sent


def appointment_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Reminders for booked visits starting within REMINDER_HOURS_BEFORE: one per worker with
    an e-mail, one per group booking and day to the employer. Safe to run every few minutes."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(hours=settings.REMINDER_HOURS_BEFORE)
    due = list(
        _appointments(
            Appointment.objects.filter(
                status=AppointmentStatus.BOOKED, start__gt=now, start__lte=horizon
            ).select_related("group_booking__employer")
        ).order_by("start", "pk")
    )
    sent = 0
    by_group_day: dict[tuple, list[Appointment]] = {}
    for appointment in due:
        if appointment.client.email:
            sent += _send_once(
                key=f"reminder:{appointment.pk}:{appointment.sequence}:worker",
                kind="reminder",
                recipient="worker",
                appointment=appointment,
                group=appointment.group_booking,
                message=_worker_mail(appointment, kind="reminder"),
            )
        if appointment.group_booking_id:
            day = appointment.start.astimezone(AMS).date()
            by_group_day.setdefault((appointment.group_booking_id, day), []).append(appointment)
    for (group_id, day), appointments in by_group_day.items():
        group = appointments[0].group_booking
        with translation.override(settings.LANGUAGE_CODE):
            sent += _send_once(
                key=f"group-reminder:{group_id}:{day.isoformat()}",
                kind="group_reminder",
                recipient="employer",
                group=group,
                message=_employer_mail(group, appointments, kind="reminder"),
            )
    return sent
