"""Employer portal: group bookings, their status, calendar files and roster templates.

Every lookup goes through the row-scoping selectors: another employer's booking is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.downloads import file_response
from core.exceptions import DomainError
from core.roles import is_coordinator, user_employer
from core.uploads import upload_size_check
from scheduling.group_booking import services as svc
from scheduling.group_booking.calendar import employer_feed_ics
from scheduling.group_booking.forms import GroupBookingTargetForm, WorkerForm, WorkerFormSet
from scheduling.group_booking.roster import (
    MunicipalityIndex,
    roster_parse_upload,
    roster_template_csv,
    roster_template_xlsx,
    roster_validate_forms,
)
from scheduling.group_booking.selectors import (
    group_booking_members,
    group_booking_tally,
    group_bookings_tallied,
    group_bookings_upcoming,
)
from scheduling.models import Employer
from scheduling.selectors.scope import appointments_for_user, group_booking_for_user
from scheduling.services.calendar import appointment_ics, group_booking_ics

ICS_TYPE = "text/calendar; charset=utf-8"


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
        {"groups": groups, "employer": employer, "feed_url": feed_url},
    )


@login_required
def group_new(request):
    employer = user_employer(request.user)
    if employer is None:
        raise Http404()
    if request.method == "POST":
        try:
            upload_size_check(request)  # before request.POST/FILES parse the body
        except DomainError as exc:
            context = {
                "form": GroupBookingTargetForm(employer=employer),
                "formset": WorkerFormSet(
                    prefix="w", form_kwargs={"municipalities": MunicipalityIndex()}
                ),
                "roster_errors": [],
                "plan_error": exc,
            }
            return render(
                request, "scheduling/portal/group_new.html", context, status=exc.http_status
            )
    form = GroupBookingTargetForm(request.POST or None, request.FILES or None, employer=employer)
    formset = WorkerFormSet(
        request.POST or None, prefix="w", form_kwargs={"municipalities": MunicipalityIndex()}
    )
    roster_errors, plan_error = [], None
    if request.method == "POST" and form.is_valid():
        try:
            upload = form.cleaned_data.get("roster")
            if upload:
                workers = roster_parse_upload(name=upload.name, content=upload.read())
            else:
                typed = [worker for worker in formset.forms if worker.has_changed()]
                workers = roster_validate_forms(typed, first_row=1)
            group = svc.group_booking_create(
                employer=employer, actor=request.user, workers=workers, **form.target_kwargs()
            )
        except DomainError as exc:
            roster_errors = exc.details.get("rows", []) if exc.details else []
            plan_error = exc
        else:
            messages.success(
                request,
                _("The plan is held for you. Check it and confirm before the hold expires."),
            )
            return redirect("scheduling:portal-group", reference=group.reference)
    return render(
        request,
        "scheduling/portal/group_new.html",
        {
            "form": form,
            "formset": formset,
            "roster_errors": roster_errors,
            "plan_error": plan_error,
        },
    )


@login_required
def group_detail(request, reference):
    _portal_user(request)
    group = _group(request, reference)
    members = group_booking_members(group)
    return render(
        request,
        "scheduling/portal/group_detail.html",
        {
            "group": group,
            "members": members,
            "tally": group_booking_tally(members),
            "add_form": WorkerForm(prefix="add"),
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
@require_POST
def worker_cancel(request, reference, booking_code):
    def action(group):
        svc.group_booking_worker_cancel(
            group_booking=group, booking_code=booking_code, actor=request.user
        )
        messages.success(request, _("The visit is cancelled."))

    return _act(request, reference, action)


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
        svc.group_booking_worker_add(group_booking=group, worker=worker, actor=request.user)
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
