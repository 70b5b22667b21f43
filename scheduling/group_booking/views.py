"""Employer portal: group bookings, their status, calendar files and roster templates.

Every lookup goes through the row-scoping selectors: another employer's booking is a 404.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.downloads import file_response
from core.exceptions import DomainError
from core.roles import is_coordinator, user_employer
from core.uploads import upload_size_check
from scheduling.constants import AppointmentStatus, GroupBookingStatus
from scheduling.group_booking import services as svc
from scheduling.group_booking.calendar import employer_feed_ics
from scheduling.group_booking.engine import NoRoom
from scheduling.group_booking.forms import (
    GroupBookingTargetForm,
    WorkerCancelForm,
    WorkerForm,
    worker_add_fields_html,
    worker_formset,
    worker_formset_grow,
)
from scheduling.group_booking.roster import (
    RosterRowForm,
    roster_parse_upload,
    roster_template_csv,
    roster_template_xlsx,
    roster_validate_forms,
)
from scheduling.group_booking.selectors import (
    group_booking_members_query,
    group_bookings_tallied,
    group_bookings_upcoming,
)
from scheduling.models import Employer
from scheduling.selectors.scope import appointments_for_user, group_booking_for_user
from scheduling.services.calendar import appointment_ics, group_booking_ics

ICS_TYPE = "text/calendar; charset=utf-8"
MEMBERS_PER_PAGE = 50


def _portal_user(request):
    """Employers and coordinators use the portal; everyone else gets a 404."""
    if user_employer(request.user) is None and not is_coordinator(request.user):
        raise Http404()


def _group(request, reference):
    try:
        return group_booking_for_user(request.user, reference)
    except DomainError:
        raise Http404() from None


def _ics(content: bytes, filename: str):
    return file_response(content, filename=filename, content_type=ICS_TYPE)


@login_required
def dashboard(request):
    _portal_user(request)
    groups = group_bookings_tallied(list(group_bookings_upcoming(request.user)[:100]))
    cancelled = [g for g in groups if g.status == GroupBookingStatus.CANCELLED]
    groups = [g for g in groups if g.status != GroupBookingStatus.CANCELLED]
    employer = user_employer(request.user)
    feed_url = (
        request.build_absolute_uri(
            reverse("scheduling:employer-feed", args=[employer.calendar_feed_token])
        )
        if employer
        else None
    )
    return render(
        request,
        "scheduling/portal/dashboard.html",
        {
            "groups": groups,
            "cancelled_groups": cancelled,
            "employer": employer,
            "feed_url": feed_url,
        },
    )


def _group_new_page(request, *, form, formset, status=200, **extra):
    labels = {name: field.label for name, field in RosterRowForm.base_fields.items()}
    for error in extra.get("roster_errors", []):
        error["label"] = labels.get(error["field"], error["field"])
    context = {
        "form": form,
        "formset": formset,
        "max_workers": settings.GROUP_BOOKING_MAX_SIZE,
        "roster_errors": [],
        "plan_error": None,
        "refused_file": None,
        **extra,
    }
    return render(request, "scheduling/portal/group_new.html", context, status=status)


def _workers_from(form, formset):
    """The workers of the uploaded file, or else of the typed rows (untouched rows skipped)."""
    upload = form.cleaned_data.get("roster")
    if upload:
        return roster_parse_upload(name=upload.name, content=upload.read())
    typed = [worker for worker in formset.forms if worker.has_changed()]
    return roster_validate_forms(typed, first_row=1)


@login_required
def group_new(request):
    employer = user_employer(request.user)
    if employer is None:
        raise Http404()
    if request.method == "POST":
        try:
            upload_size_check(request)  # before request.POST/FILES parse the body
        except DomainError as exc:
            return _group_new_page(
                request,
                form=GroupBookingTargetForm(employer=employer),
                formset=worker_formset(),
                plan_error=exc,
                status=exc.http_status,
            )
    if request.method == "POST" and "add_rows" in request.POST:
        # Without JavaScript: more empty rows, everything typed kept, nothing booked.
        form = GroupBookingTargetForm(request.POST, employer=employer)
        return _group_new_page(request, form=form, formset=worker_formset_grow(request.POST))
    form = GroupBookingTargetForm(request.POST or None, request.FILES or None, employer=employer)
    formset = worker_formset(request.POST or None)
    roster_errors, plan_error, waitlist_url = [], None, None
    if request.method == "POST" and form.is_valid():
        workers = []
        try:
            workers = _workers_from(form, formset)
            group = svc.group_booking_create(
                employer=employer, actor=request.user, workers=workers, **form.target_kwargs()
            )
        except DomainError as exc:
            roster_errors = exc.details.get("rows", []) if exc.details else []
            plan_error = exc
            if exc.code == NoRoom.code and form.cleaned_data["target"] != "bus":
                waitlist_url = _waitlist_join_url(form, len(workers))
        else:
            messages.success(
                request,
                _("The plan is held for you. Check it and confirm before the hold expires."),
            )
            return redirect("scheduling:portal-group", reference=group.reference)
    upload = request.FILES.get("roster") if request.method == "POST" else None
    refused_file = upload.name[:100] if upload and plan_error else None
    if refused_file:
        form.add_error(
            "roster",
            _("%(name)s was refused (see above); choose the corrected file again.")
            % {"name": refused_file},
        )
    return _group_new_page(
        request,
        form=form,
        formset=formset,
        roster_errors=roster_errors,
        plan_error=plan_error,
        # A browser cannot keep a chosen file: name the refused one so it is clear which.
        refused_file=refused_file,
        waitlist_url=waitlist_url,
    )


def _waitlist_join_url(form, size: int) -> str:
    """The waitlist's join page filled in with this search (place, dates, group size: no
    personal data in the URL)."""
    data = form.cleaned_data
    query = {"target": data["target"], "group_size": size}
    for name in ("location", "region"):
        if data.get(name) is not None:
            query[name] = data[name].pk
    for name in ("date_from", "date_to"):
        if data.get(name):
            query[name] = data[name].isoformat()
    return f"{reverse('scheduling:portal-waitlist-join')}?{urlencode(query)}"


@login_required
def group_detail(request, reference):
    _portal_user(request)
    group = _group(request, reference)
    page = Paginator(group_booking_members_query(group), MEMBERS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    counts = group_bookings_tallied([group])[0].counts
    return render(
        request,
        "scheduling/portal/group_detail.html",
        {
            "group": group,
            "members": page.object_list,
            "page": page,
            "counts": counts,
            "add_form_fields": worker_add_fields_html(),
            "coordinator": is_coordinator(request.user),
        },
    )


def _act(request, reference, action):
    _portal_user(request)
    group = _group(request, reference)
    try:
        action(group)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return redirect("scheduling:portal-group", reference=group.reference)


@login_required
@require_POST
def group_confirm(request, reference):
    def action(group):
        svc.group_booking_confirm(group_booking=group, actor=request.user)
        messages.success(request, _("Booked. The confirmation e-mail is on its way."))

    return _act(request, reference, action)


@login_required
@require_POST
def group_cancel(request, reference):
    def action(group):
        svc.group_booking_cancel(
            group_booking=group, actor=request.user, reason=request.POST.get("reason", "")[:200]
        )
        messages.success(request, _("The group booking is cancelled."))

    return _act(request, reference, action)


@login_required
@require_http_methods(["GET", "POST"])
def worker_cancel(request, reference, booking_code):
    """Cancel one worker's visit: a page that names him and asks for the reason (required),
    then the POST. No one-click cancel; the reason goes into the audit log."""
    _portal_user(request)
    group = _group(request, reference)
    appointment = (
        group.appointments.select_related("client").filter(booking_code=booking_code).first()
    )
    if appointment is None:
        raise Http404()
    form = WorkerCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            svc.group_booking_worker_cancel(
                group_booking=group,
                booking_code=booking_code,
                actor=request.user,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request,
                _("The visit of %(name)s is cancelled.") % {"name": appointment.client},
            )
        return redirect("scheduling:portal-group", reference=group.reference)
    return render(
        request,
        "scheduling/portal/worker_cancel.html",
        {
            "group": group,
            "appointment": appointment,
            "form": form,
            "cancellable": appointment.status in (AppointmentStatus.HELD, AppointmentStatus.BOOKED),
        },
    )


@login_required
@require_POST
def worker_add(request, reference):
    def action(group):
        form = WorkerForm(request.POST, prefix="add")
        try:
            (worker,) = roster_validate_forms([form], first_row=1)
        except DomainError as exc:
            rows = (exc.details or {}).get("rows", [])
            detail = "; ".join(f"{r['field']}: {r['message']}" for r in rows)
            raise type(exc)(f"{exc.message} {detail}", code=exc.code) from None
        svc.group_booking_worker_add(
            group_booking=group,
            worker=worker,
            actor=request.user,
            # Coordinators only (the service refuses anyone else's reason with 403).
            fair_share_override_reason=request.POST.get("fair_share_override_reason", "")[:500],
        )
        messages.success(request, _("The worker is added."))

    return _act(request, reference, action)


@login_required
def group_ics(request, reference):
    _portal_user(request)
    group = _group(request, reference)
    return _ics(group_booking_ics(group), f"bmip-group-{group.reference}.ics")


@login_required
def appointment_ics_download(request, booking_code):
    appointment = appointments_for_user(request.user).filter(booking_code=booking_code).first()
    if appointment is None:
        raise Http404()
    return _ics(appointment_ics(appointment), f"bmip-{appointment.booking_code}.ics")


def employer_feed(request, token):
    """The employer's private calendar feed: the secret token in the URL is the key."""
    employer = get_object_or_404(Employer, calendar_feed_token=token, is_active=True)
    response = HttpResponse(employer_feed_ics(employer), content_type=ICS_TYPE)
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_POST
def feed_regenerate(request):
    employer = user_employer(request.user)
    if employer is None:
        raise Http404()
    svc.employer_feed_token_regenerate(employer=employer, actor=request.user)
    messages.success(
        request, _("A new calendar feed address was made; the old one stopped working.")
    )
    return redirect("scheduling:portal")


@login_required
def roster_template(request, fmt):
    _portal_user(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404()
    content = roster_template_xlsx() if fmt == "xlsx" else roster_template_csv()
    return file_response(content, filename=f"bmip-roster.{fmt}")
