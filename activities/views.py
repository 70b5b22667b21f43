"""HTML pages of the activities app: sessions on offer and registering (employer portal, and
desk staff for individuals), a registration with its tickets, and the door check-in. Thin:
every write goes through a service; scoping through the selectors (404 outside scope)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from activities import selectors
from activities.calendar import registration_ics
from activities.constants import ActivityPayer, Attendance
from activities.forms import DoorForm, RegisterForm, participants_parse
from activities.models import Participant, Receipt
from activities.services.receipts import receipt_issue, receipt_pdf
from activities.services.registration import (
    door_check_in,
    no_shows_record,
    participant_cancel,
    registration_cancel,
    registration_create,
)
from activities.tickets import participant_qr_data_url
from core.downloads import file_response
from core.exceptions import DomainError, NotFound
from core.roles import user_employer, user_has_role


def _portal_user(request):
    if not user_has_role(request.user, *selectors.PORTAL_ROLES):
        raise PermissionDenied


@login_required
def index(request):
    _portal_user(request)
    return render(
        request,
        "activities/index.html",
        {
            "sessions": selectors.sessions_upcoming(request.user),
            "registrations": selectors.registrations_for_user(request.user).order_by("-created_at")[
                :100
            ],
            "is_employer": user_employer(request.user) is not None,
        },
    )


def _column_label(field: str) -> str:
    """A row error's column in the page's language ("achternaam"), not its code (last_name)."""
    try:
        return str(Participant._meta.get_field(field).verbose_name)
    except FieldDoesNotExist:
        return field


@login_required
def session_detail(request, session_id: int):
    _portal_user(request)
    session = selectors.sessions_upcoming(request.user).filter(pk=session_id).first()
    if session is None:
        raise Http404
    employer = user_employer(request.user)
    form = RegisterForm(request.POST or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            people = participants_parse(form.cleaned_data["participants"])
            registration = registration_create(
                session=session,
                participants=people,
                actor=request.user,
                employer=employer,
                payer=None if employer else ActivityPayer.PARTICIPANT,
                po_reference=form.cleaned_data["po_reference"],
                language=get_language() or "en",
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
            errors = [
                {**row, "label": _column_label(row["field"])} for row in exc.details.get("rows", [])
            ]
        else:
            messages.success(request, _("Registered: %(ref)s.") % {"ref": registration.reference})
            return redirect("activities:registration", registration=registration.reference)
    registrations = selectors.registrations_for_user(request.user).filter(session=session)
    return render(
        request,
        "activities/session.html",
        {
            "session": session,
            "form": form,
            "row_errors": errors,
            "registrations": registrations,
            "free": max(session.capacity - session.taken, 0),
            "door": user_has_role(request.user, *selectors.DOOR_ROLES),
        },
        status=400 if errors or (request.method == "POST" and not form.is_valid()) else 200,
    )


def _registration(request, reference: str):
    _portal_user(request)
    try:
        return selectors.registration_for_user(request.user, reference)
    except NotFound as exc:
        raise Http404 from exc


@login_required
def registration_detail(request, registration: str):
    reg = _registration(request, registration)
    participants = [
        (p, participant_qr_data_url(p) if p.cancelled_at is None else None)
        for p in reg.participants.all()
    ]
    door = user_has_role(request.user, *selectors.DOOR_ROLES)
    return render(
        request,
        "activities/registration.html",
        {
            "registration": reg,
            "participants": participants,
            "receipts": door and reg.payer == ActivityPayer.PARTICIPANT,
            "receipt": Receipt.objects.filter(registration=reg).first() if door else None,
        },
    )


def _staff_registration(request, reference: str):
    """Receipts are for the desk's staff (and coordinators): anyone else gets 404."""
    registration = _registration(request, reference)
    if not user_has_role(request.user, *selectors.DOOR_ROLES):
        raise Http404
    return registration


@login_required
@require_POST
def receipt_issue_view(request, registration: str):
    reg = _staff_registration(request, registration)
    try:
        receipt = receipt_issue(registration=reg, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Receipt %(number)s issued.") % {"number": receipt.number})
    return redirect("activities:registration", registration=reg.reference)


@login_required
def receipt_download(request, registration: str):
    reg = _staff_registration(request, registration)
    receipt = Receipt.objects.filter(registration=reg).first()
    if receipt is None:
        raise Http404
    return file_response(receipt_pdf(receipt), filename=f"receipt-{receipt.number}.pdf")


@login_required
def registration_ics_download(request, registration: str):
    reg = _registration(request, registration)
    return file_response(registration_ics(reg), filename=f"activity-{reg.reference}.ics")


@login_required
@require_POST
def registration_cancel_view(request, registration: str):
    reg = _registration(request, registration)
    try:
        registration_cancel(registration=reg, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The registration is cancelled."))
    return redirect("activities:registration", registration=reg.reference)


@login_required
@require_POST
def participant_cancel_view(request, registration: str, participant_id: int):
    reg = _registration(request, registration)
    participant = reg.participants.filter(pk=participant_id).first()
    if participant is None:
        raise Http404
    try:
        participant_cancel(participant=participant, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(name)s is cancelled.") % {"name": participant})
    return redirect("activities:registration", registration=reg.reference)


def _door_session(request, session_id: int):
    try:
        return selectors.door_session_for_user(request.user, session_id)
    except NotFound as exc:
        raise Http404 from exc


@login_required
def door(request, session_id: int):
    session = _door_session(request, session_id)
    form = DoorForm(request.POST or None)
    result, status = None, 200
    if request.method == "POST" and form.is_valid():
        try:
            result = door_check_in(
                session=session, text=form.cleaned_data["token"], actor=request.user
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
            status = 400
        form = DoorForm()
    elif request.method == "POST":
        status = 400
    counts = {
        value: session.participants.filter(
            attendance=value, registration__state="confirmed"
        ).count()
        for value in (Attendance.EXPECTED, Attendance.ATTENDED, Attendance.NO_SHOW)
    }
    return render(
        request,
        "activities/door.html",
        {"session": session, "form": form, "result": result, "counts": counts},
        status=status,
    )


@login_required
@require_POST
def door_no_shows(request, session_id: int):
    session = _door_session(request, session_id)
    try:
        count = no_shows_record(session=session, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("%(count)d no-show(s) recorded.") % {"count": count})
    return redirect("activities:door", session_id=session.pk)
