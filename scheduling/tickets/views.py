"""Ticket downloads (HTML side): one visit's ticket, a group's tickets, the staff visit page.

Every record is looked up through the user's scope (``scheduling.selectors.scope``): what is
out of scope is answered with 404, exactly like what does not exist.
"""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_http_methods

from core.audit import audit_log
from core.downloads import file_response
from core.exceptions import DomainError
from scheduling.models import TicketBatchStatus
from scheduling.selectors.scope import appointments_for_user, group_bookings_for_user
from scheduling.tickets.pdf import TicketFormat
from scheduling.tickets.services import (
    group_tickets_pdf,
    group_tickets_sync_max,
    ticket_batch_current,
    ticket_batch_request,
    ticket_pdf_for_appointment,
)


def pdf_response(pdf: bytes, filename: str, *, download: bool = False):
    return file_response(pdf, filename=filename, download=download)


def _refused(request, error: DomainError, *, back: str | None = None):
    return render(
        request,
        "scheduling/tickets/refused.html",
        {"message": error.message, "code": error.code, "back": back},
        status=error.http_status,
    )


@login_required
def appointment_detail(request, code: str):
    """Staff (and employer) page of one visit: legs, status and the ticket links."""
    appointment = get_object_or_404(
        appointments_for_user(request.user).select_related("bus_visit", "group_booking"),
        booking_code=code.upper(),
    )
    audit_log(actor=request.user, action="appointment.view", obj=appointment)
    legs = appointment.legs.select_related("service", "counter").order_by("position")
    return render(
        request,
        "scheduling/tickets/appointment_detail.html",
        {"appointment": appointment, "legs": legs, "formats": TicketFormat.ALL},
    )


@login_required
def appointment_ticket(request, code: str):
    """The ticket PDF (?format=a4|receipt, &download=1 for an attachment)."""
    appointment = get_object_or_404(appointments_for_user(request.user), booking_code=code.upper())
    fmt = request.GET.get("format") or request.GET.get("paper")
    try:
        pdf = ticket_pdf_for_appointment(appointment=appointment, fmt=fmt, actor=request.user)
    except DomainError as error:
        back = reverse("scheduling:appointment-detail", args=[appointment.booking_code])
        return _refused(request, error, back=back)
    return pdf_response(
        pdf,
        f"ticket-{appointment.booking_code}.pdf",
        download=request.GET.get("download") == "1",
    )


def _group(request, reference: str):
    return get_object_or_404(group_bookings_for_user(request.user), reference=reference.upper())


@login_required
@require_http_methods(["GET", "POST"])
def group_tickets(request, reference: str):
    """All tickets of a group booking in one PDF. Small groups: the PDF at once. Large groups:
    a page that starts the background build (POST) and shows its progress, then the link."""
    group = _group(request, reference)
    count = group.appointments.count()
    language = translation.get_language()
    if count <= group_tickets_sync_max() and request.method == "GET":
        pdf = group_tickets_pdf(group=group, actor=request.user)
        return pdf_response(pdf, f"tickets-{group.reference}.pdf")
    if request.method == "POST":
        ticket_batch_request(group=group, actor=request.user, language=language)
        return redirect("scheduling:group-tickets", reference=group.reference)
    batch = ticket_batch_current(group=group, language=language)
    return render(
        request,
        "scheduling/tickets/group_tickets.html",
        {"group": group, "count": count, "batch": batch, "done": TicketBatchStatus.DONE},
    )


def _batch_json(group, batch) -> dict:
    if batch is None:
        return {"status": "none", "progress": 0, "total": 0, "percent": 0, "download_url": None}
    done = batch.status == TicketBatchStatus.DONE
    return {
        "status": batch.status,
        "status_label": str(batch.get_status_display()),
        "progress": batch.progress,
        "total": batch.total,
        "percent": 100 if done else batch.percent,
        "download_url": (
            reverse("scheduling:group-tickets-download", args=[group.reference, batch.pk])
            if done
            else None
        ),
    }


@login_required
def group_tickets_status(request, reference: str):
    """Progress of the current background build, for the polling page (JSON)."""
    group = _group(request, reference)
    batch = ticket_batch_current(group=group, language=translation.get_language())
    response = JsonResponse(_batch_json(group, batch))
    response["Cache-Control"] = "no-store"
    return response


@login_required
def group_tickets_download(request, reference: str, batch_id: int):
    group = _group(request, reference)
    batch = group.ticket_batches.filter(pk=batch_id, status=TicketBatchStatus.DONE).first()
    if batch is None or not batch.file or not batch.file.storage.exists(batch.file.name):
        raise Http404
    audit_log(actor=request.user, action="tickets.group_download", obj=group, batch=batch.pk)
    return FileResponse(
        batch.file.open("rb"),
        content_type="application/pdf",
        filename=f"tickets-{group.reference}.pdf",
    )
