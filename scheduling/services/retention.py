"""Retention: personal data of finished visits is removed after DATA_RETENTION_DAYS.

What goes: names, contact details, the day and month of birth (the birth year stays for
age statistics). What stays: the visit facts that statistics, invoices and settlements need
(municipality of residence, nationality, dates, services, amounts). Each app registers its
own purge in ``settings.RETENTION_PURGERS`` (counter removes stored BSNs, record and fee
texts and names in invoice lines; core expired idempotency records), so scheduling does not
import the apps above it; one daily task runs them all.

A visit never closed (booked or checked in, and its day long past: the end-of-day task
missed it) does not keep its client's data forever: visits older than the cutoff that are
still "open" are closed first (no-show; a held one cancelled). A client without any visit
(a reception walk-in whose number was refused) counts from the day the client was created.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.audit import audit_log
from core.hooks import hooks_call
from core.locking import rows_lock
from scheduling.constants import ACTIVE_APPOINTMENT_STATUSES, AppointmentStatus, LegState
from scheduling.models import Appointment, Client, Leg

REMOVED_NAME = "—"


def retention_cutoff(now: dt.datetime | None = None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=settings.DATA_RETENTION_DAYS)


def _stale_visits_close(cutoff: dt.datetime, actor) -> int:
    """Visits still open whose time (end, start, or creation) lies before the cutoff."""
    stale = Appointment.objects.filter(status__in=ACTIVE_APPOINTMENT_STATUSES).filter(
        Q(end__lt=cutoff)
        | Q(end__isnull=True, start__lt=cutoff)
        | Q(end__isnull=True, start__isnull=True, created_at__lt=cutoff)
    )
    ids = list(stale.values_list("pk", flat=True))
    if not ids:
        return 0
    Appointment.objects.filter(pk__in=ids, status=AppointmentStatus.HELD).update(
        status=AppointmentStatus.CANCELLED
    )
    Appointment.objects.filter(pk__in=ids).exclude(status=AppointmentStatus.CANCELLED).update(
        status=AppointmentStatus.NO_SHOW
    )
    Leg.objects.filter(
        appointment_id__in=ids, state__in=(LegState.PLANNED, LegState.IN_PROGRESS)
    ).update(state=LegState.CANCELLED)
    audit_log(
        actor=actor,
        action="appointment.stale_closed",
        object_type="scheduling.appointment",
        object_id="*",
        count=len(ids),
        cutoff=cutoff.isoformat(),
    )
    return len(ids)


@transaction.atomic
def clients_personal_data_purge(*, now: dt.datetime | None = None, actor=None) -> int:
    """Remove the personal data of clients whose visits all ended before the cutoff (and of
    clients without a visit created before it)."""
    cutoff = retention_cutoff(now)
    _stale_visits_close(cutoff, actor)
    open_visits = Appointment.objects.filter(
        client=OuterRef("pk"), status__in=ACTIVE_APPOINTMENT_STATUSES
    )
    due = (
        Client.objects.filter(personal_data_removed_at__isnull=True)
        .annotate(
            last_visit=Coalesce(
                Max(
                    Coalesce("appointments__end", "appointments__start", "appointments__created_at")
                ),
                "created_at",
            )
        )
        .filter(last_visit__lt=cutoff)
        .exclude(Exists(open_visits))
        .values_list("pk", flat=True)
    )
    # Lock the rows (a visit booked meanwhile must not lose its client's data), then re-check.
    clients = rows_lock(
        Client.objects.filter(pk__in=list(due), personal_data_removed_at__isnull=True).exclude(
            Exists(open_visits)
        )
    )
    stamp = now or timezone.now()
    for client in clients:
        client.first_name = REMOVED_NAME
        client.last_name = REMOVED_NAME
        client.birth_date = dt.date(client.birth_date.year, 1, 1)
        client.email = ""
        client.phone = ""
        client.personal_data_removed_at = stamp
    Client.objects.bulk_update(
        clients,
        ["first_name", "last_name", "birth_date", "email", "phone", "personal_data_removed_at"],
    )
    if clients:
        audit_log(
            actor=actor,
            action="client.personal_data_removed",
            object_type="scheduling.client",
            object_id="*",
            count=len(clients),
            cutoff=cutoff.isoformat(),
        )
    return len(clients)


def personal_data_retention_run(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Run every registered purge (``settings.RETENTION_PURGERS``); returns counts by purge."""
    return hooks_call("RETENTION_PURGERS", now=now, actor=None)
