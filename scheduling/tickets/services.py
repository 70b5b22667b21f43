"""Ticket downloads and the background build of a large group's tickets PDF.

Permission is the caller's job (views scope through ``scheduling.selectors.scope``); these
services refuse what no one may have (a cancelled visit's ticket) and write the audit log.
"""

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Prefetch, QuerySet, Sum
from django.utils import timezone, translation

from core.audit import audit_log
from core.exceptions import Conflict, ValidationFailed
from core.tasks import enqueue_on_commit
from scheduling.errors import SchedulingError
from scheduling.models import Appointment, GroupBooking, Leg, TicketBatch, TicketBatchStatus
from scheduling.tickets.pdf import TicketFormat, group_pdf_render, ticket_pdf_render
from scheduling.tickets.texts import STAFF_TEXT, TEXT

logger = logging.getLogger(__name__)


def _with_ticket_data(qs: QuerySet[Appointment]) -> QuerySet[Appointment]:
    return qs.select_related("client", "location", "bus_visit").prefetch_related(
        Prefetch("legs", queryset=Leg.objects.select_related("service").order_by("position"))
    )


def group_ticket_appointments(group: GroupBooking) -> list[Appointment]:
    return list(
        _with_ticket_data(group.appointments.all()).order_by(
            "start", "client__last_name", "booking_code"
        )
    )


def group_tickets_sync_max() -> int:
    """Groups up to this size get their PDF at once; larger ones are built by a task."""
    return settings.TICKET_GROUP_SYNC_MAX


def ticket_format_clean(value: str | None) -> str:
    fmt = (value or TicketFormat.A4).lower()
    if fmt not in TicketFormat.ALL:
        raise ValidationFailed(
            STAFF_TEXT["bad_format"] % {"choices": ", ".join(TicketFormat.ALL)},
            code=SchedulingError.INVALID_FORMAT,
        )
    return fmt


def ticket_pdf_for_appointment(*, appointment: Appointment, fmt: str, actor) -> bytes:
    """The printable ticket of one visit. A cancelled visit has no ticket (409)."""
    fmt = ticket_format_clean(fmt)
    if appointment.is_cancelled:
        raise Conflict(TEXT["cancelled"], code=SchedulingError.APPOINTMENT_CANCELLED)
    appointment = _with_ticket_data(Appointment.objects.filter(pk=appointment.pk)).get()
    pdf = ticket_pdf_render(appointment, fmt=fmt)
    audit_log(actor=actor, action="ticket.download", obj=appointment, format=fmt)
    return pdf


def group_tickets_pdf(*, group: GroupBooking, actor) -> bytes:
    """All tickets of a (small) group at once, with the cover sheet in the current language."""
    pdf = group_pdf_render(group, group_ticket_appointments(group))
    audit_log(actor=actor, action="tickets.group_download", obj=group)
    return pdf


def group_tickets_fingerprint(group: GroupBooking) -> str:
    """Changes whenever an appointment of the group is added, moved, cancelled or re-issued."""
    facts = group.appointments.aggregate(
        n=Count("pk"), changed=Max("updated_at"), versions=Sum("token_version")
    )
    changed = facts["changed"].isoformat() if facts["changed"] else "-"
    return f"{facts['n']}:{facts['versions'] or 0}:{changed}"


def ticket_batch_current(*, group: GroupBooking, language: str) -> TicketBatch | None:
    """The batch that matches the group as it is now, if one was requested."""
    return TicketBatch.objects.filter(
        group_booking=group, language=language, fingerprint=group_tickets_fingerprint(group)
    ).first()


def ticket_batch_request(*, group: GroupBooking, actor, language: str) -> TicketBatch:
    """Ask for the group's tickets PDF. Idempotent: while the group is unchanged, repeated
    requests return the same batch (a failed one is queued again); the build is enqueued
    after commit."""
    fingerprint = group_tickets_fingerprint(group)
    with transaction.atomic():
        try:
            with transaction.atomic():
                batch, created = TicketBatch.objects.get_or_create(
                    group_booking=group,
                    fingerprint=fingerprint,
                    language=language,
                    defaults={"requested_by": actor if actor and actor.is_authenticated else None},
                )
        except IntegrityError:  # a concurrent request created it first
            batch = TicketBatch.objects.get(
                group_booking=group, fingerprint=fingerprint, language=language
            )
            created = False
        requeue = created or batch.status == TicketBatchStatus.FAILED
        if batch.status == TicketBatchStatus.FAILED:
            TicketBatch.objects.filter(pk=batch.pk, status=TicketBatchStatus.FAILED).update(
                status=TicketBatchStatus.PENDING, error="", progress=0
            )
            batch.refresh_from_db()
        if requeue:
            audit_log(actor=actor, action="tickets.batch_requested", obj=group, batch=batch.pk)
            enqueue_on_commit(
                "scheduling.tasks.ticket_batch_build_task",
                batch.pk,
                task_name=f"tickets-{batch.pk}",
            )
    return batch


def ticket_batch_build(*, batch_id: int) -> TicketBatch | None:
    """Build and store the PDF of a batch. Safe to re-run: a finished batch whose file exists
    is left alone; otherwise the file is (re)written under the same name."""
    batch = (
        TicketBatch.objects.select_related("group_booking__employer").filter(pk=batch_id).first()
    )
    if batch is None:
        return None
    if (
        batch.status == TicketBatchStatus.DONE
        and batch.file
        and batch.file.storage.exists(batch.file.name)
    ):
        return batch
    group = batch.group_booking
    appointments = group_ticket_appointments(group)
    printable = sum(1 for a in appointments if not a.is_cancelled)
    rows = TicketBatch.objects.filter(pk=batch.pk)
    rows.update(status=TicketBatchStatus.RUNNING, progress=0, total=printable, error="")

    def progress(done: int, total: int) -> None:
        rows.update(progress=done)

    try:
        with translation.override(batch.language):
            pdf = group_pdf_render(group, appointments, progress=progress)
        storage = batch.file.storage
        name = f"tickets/group-{group.reference}-{batch.pk}.pdf"
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, ContentFile(pdf))
    except Exception as exc:
        rows.update(status=TicketBatchStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:300])
        logger.exception("ticket batch %s failed", batch.pk)
        raise
    rows.update(
        status=TicketBatchStatus.DONE, file=saved, progress=printable, finished_at=timezone.now()
    )
    audit_log(
        actor=None, action="tickets.batch_built", obj=group, batch=batch.pk, tickets=printable
    )
    batch.refresh_from_db()
    return batch
