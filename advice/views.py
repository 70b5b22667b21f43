"""HTML pages of the advice app: the advice log and report taking at the counter, the case
pages of handlers and coordinators, and the public report point (meldpunt).

Every report route answers 404 to a user who may not read reports (an employer, a
municipality, a receptionist, an officer, a handler of another organisation): nothing tells
them a report exists.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from advice import selectors
from advice.constants import (
    CLIENT_LANGUAGES,
    REPORT_AUDIT_LABELS,
    ReportChannel,
    ReportStatus,
)
from advice.forms import (
    AdviceEntryForm,
    AssignForm,
    FollowUpForm,
    KioskReportForm,
    NoteForm,
    ReportForm,
    StatusForm,
)
from advice.models import HandlingOrganisation, ReportAttachment
from advice.services.advice_log import advice_entry_record
from advice.services.attachments import attachment_clean
from advice.services.ratelimit import rate_limit_hit
from advice.services.reports import (
    report_assign,
    report_note_add,
    report_status_change,
    report_submit,
)
from core.downloads import file_response
from core.exceptions import DomainError
from core.roles import user_location
from core.uploads import upload_size_check


def _no_store(response):
    response["Cache-Control"] = "private, no-store"
    return response


# ---- the advice log at the counter ---------------------------------------------------------


def _counter_staff_or_404(request):
    if not selectors.can_record_at_counter(request.user):
        raise Http404


@login_required
def advice_log(request):
    """Recent advice at the officer's desk, and the form for a question without a visit."""
    _counter_staff_or_404(request)
    return _advice_form(request, appointment=None)


@login_required
def visit_advice(request, appointment_id: int):
    _counter_staff_or_404(request)
    appointment = get_object_or_404(selectors.visits_for_advice(request.user), pk=appointment_id)
    return _advice_form(request, appointment=appointment)


def _advice_form(request, *, appointment):
    form = AdviceEntryForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                advice_entry_record(
                    topic=form.cleaned_data["topic"],
                    language=form.cleaned_data["language"],
                    referral=form.cleaned_data["referral"],
                    appointment=appointment,
                    location=user_location(request.user),
                    actor=request.user,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.http_status
            else:
                messages.success(request, _("Advice logged."))
                return redirect(request.path)
        else:
            status = 400
    entries = selectors.advice_entries_for(request.user)
    if appointment is not None:
        entries = entries.filter(appointment=appointment)
    context = {"form": form, "appointment": appointment, "entries": entries[:20]}
    return render(request, "advice/advice_log.html", context, status=status)


# ---- reports taken at the counter ----------------------------------------------------------


@login_required
def counter_report(request):
    """An officer records a report with the person at the desk."""
    _counter_staff_or_404(request)
    return _report_form(
        request,
        channel=ReportChannel.COUNTER,
        template="advice/counter_report.html",
        location=user_location(request.user),
    )


def _report_form(
    request,
    *,
    channel,
    template,
    location=None,
    language="",
    form_class=ReportForm,
    receipt_template="advice/report_receipt.html",
    rate_limit=None,
    extra=None,
):
    """The report form of every channel: ``rate_limit`` (a callable) counts the attempt before
    anything is stored; ``extra`` is added to the page's context."""
    extra = {**_public_context(request), **(extra or {})}
    if request.method == "POST":
        try:
            upload_size_check(request)  # before request.POST/FILES parse the body
        except DomainError as exc:
            context = {"form": form_class(), "upload_error": exc.message, **extra}
            return _no_store(render(request, template, context, status=exc.http_status))
    form = form_class(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                if rate_limit is not None:
                    rate_limit()
                cleaned = [attachment_clean(f) for f in data.get("attachments", [])]
                receipt = report_submit(
                    channel=channel,
                    category=data["category"],
                    description=data["description"],
                    municipality=data["municipality"],
                    address=data["address"],
                    concerned_party=data["concerned_party"],
                    reporter_name=data["reporter_name"],
                    reporter_contact=data["reporter_contact"],
                    notify_status=data["notify_status"],
                    language=language or translation.get_language() or "",
                    attachments=cleaned,
                    location=location,
                    actor=request.user,
                )
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.http_status
            else:
                context = {"receipt": receipt, **extra}
                return _no_store(render(request, receipt_template, context))
    context = {"form": form, **extra}
    return _no_store(render(request, template, context, status=status))


# ---- the public report point ---------------------------------------------------------------


def _public_context(request):
    return {"client_languages": CLIENT_LANGUAGES}


def _public_language(lang: str | None):
    if lang is None:
        return translation.override(translation.get_language())
    if lang not in CLIENT_LANGUAGES:
        raise Http404
    return translation.override(lang)


def public_report(request, lang: str | None = None):
    """The public multilingual report form: anonymous allowed; a receipt number and a
    secret follow the case without an account. ``/report/<lang>/`` speaks that language."""
    with _public_language(lang):
        return _report_form(
            request,
            channel=ReportChannel.WEB,
            template="advice/public_report.html",
            language=translation.get_language(),
            rate_limit=lambda: rate_limit_hit(request, "report", limit=settings.REPORT_RATE_LIMIT),
        )


def public_status(request, lang: str | None = None):
    """Follow a report with its receipt number and secret: the status only, never the
    content. An unknown number and a wrong secret get the same answer."""
    with _public_language(lang):
        form = FollowUpForm(request.POST or None)
        report, status, not_found = None, 200, False
        if request.method == "POST":
            try:
                rate_limit_hit(request, "status", limit=settings.REPORT_STATUS_RATE_LIMIT)
            except DomainError as exc:
                form.add_error(None, exc.message)
                status = exc.http_status
            else:
                if form.is_valid():
                    report = selectors.report_for_follow_up(
                        receipt_number=form.cleaned_data["receipt_number"],
                        secret=form.cleaned_data["secret"],
                    )
                not_found = report is None
        context = {"form": form, "report": report, "not_found": not_found}
        context.update(_public_context(request))
        return _no_store(render(request, "advice/public_status.html", context, status=status))


# ---- the report point at the kiosk ----------------------------------------------------------
# Reached through kiosk's extra pages (settings.KIOSK_PAGE_HOOKS and KIOSK_MENU_HOOKS): kiosk
# checks that the request comes from a paired kiosk of the location and calls these, so advice
# never imports kiosk (siblings) and kiosk never imports advice.


def kiosk_menu_entries(*, location) -> list[tuple[str, str]]:
    """The kiosk start screen's entries of the advice app: (page, label)."""
    return [("report", gettext_lazy("Report abuse"))]


def kiosk_report(*, request, location, device_id: int, home_url: str, base_template: str):
    """The report form on a kiosk: large and touch-friendly, in the kiosk's language (its
    language bar), anonymous unless the person opens "leave my contact details", no
    attachments (a kiosk has no files), rate limited per kiosk, receipt number and secret shown
    on the screen only (never printed), back to the kiosk start after some idle time."""
    language = translation.get_language()
    follow_up = (
        reverse("report:public-status-lang", args=[language])
        if language in CLIENT_LANGUAGES
        else reverse("report:public-status")
    )
    return _report_form(
        request,
        channel=ReportChannel.KIOSK,
        template="advice/kiosk_report.html",
        receipt_template="advice/kiosk_receipt.html",
        form_class=KioskReportForm,
        location=location,
        language=language,
        rate_limit=lambda: rate_limit_hit(
            request,
            "kiosk-report",
            limit=settings.REPORT_KIOSK_RATE_LIMIT,
            key=f"kiosk-device:{device_id}",
        ),
        extra={
            "location": location,
            "home_url": home_url,
            "base_template": base_template,
            "idle_seconds": settings.KIOSK_IDLE_SECONDS,
            "follow_up_url": settings.SITE_URL + follow_up,
        },
    )


# ---- case handling -------------------------------------------------------------------------


def _reports_or_404(request):
    if not selectors.can_read_reports(request.user):
        raise Http404
    return selectors.reports_for_user(request.user)


@login_required
def report_list(request):
    reports = _reports_or_404(request)
    status = request.GET.get("status", "")
    if status:
        reports = reports.filter(status=status)
    return _no_store(
        render(request, "advice/report_list.html", {"reports": reports[:200], "status": status})
    )


def _report(request, pk):
    return get_object_or_404(_reports_or_404(request), pk=pk)


@login_required
def report_detail(request, pk: int):
    report = _report(request, pk)
    return _render_report(request, report)


def _render_report(request, report, *, status=200, **forms):
    context = {
        "report": report,
        "reporter_visible": selectors.reporter_visible(request.user, report),
        "notes": report.notes.select_related("author"),
        "attachments": report.attachments.all(),
        "trail": _trail_rows(selectors.report_audit_trail(report)),
        "status_form": forms.get("status_form")
        or StatusForm(initial={"status": report.status, "due_date": report.due_date}),
        "assign_form": forms.get("assign_form")
        or AssignForm(initial={"organisation": report.organisation_id}),
        "note_form": forms.get("note_form") or NoteForm(),
    }
    return _no_store(render(request, "advice/report_detail.html", context, status=status))


def _trail_rows(entries):
    """The audit trail in words: the action, the new status and the organisation by name."""
    entries = list(entries)
    codes = {e.data.get("organisation") for e in entries if e.data.get("organisation")}
    names = dict(HandlingOrganisation.objects.filter(code__in=codes).values_list("code", "name"))
    statuses = dict(ReportStatus.choices)
    for entry in entries:
        entry.label = REPORT_AUDIT_LABELS.get(entry.action, entry.action)
        status = entry.data.get("status")
        entry.status_label = statuses.get(status, status) if status else ""
        organisation = entry.data.get("organisation")
        entry.organisation_label = names.get(organisation, organisation) if organisation else ""
    return entries


def _run(request, report, form_name, form, action):
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
            return _render_report(request, report, status=exc.http_status, **{form_name: form})
        messages.success(request, _("Saved."))
        if selectors.reports_for_user(request.user).filter(pk=report.pk).exists():
            return redirect("advice:report", pk=report.pk)
        return redirect("advice:reports")
    return _render_report(request, report, status=400, **{form_name: form})


@login_required
@require_POST
def report_status(request, pk: int):
    report = _report(request, pk)
    return _run(
        request,
        report,
        "status_form",
        StatusForm(request.POST),
        lambda data: report_status_change(
            report=report,
            status=data["status"],
            outcome=data["outcome"],
            due_date=data["due_date"],
            actor=request.user,
        ),
    )


@login_required
@require_POST
def report_assign_view(request, pk: int):
    report = _report(request, pk)
    return _run(
        request,
        report,
        "assign_form",
        AssignForm(request.POST),
        lambda data: report_assign(
            report=report, organisation=data["organisation"], actor=request.user
        ),
    )


@login_required
@require_POST
def report_note(request, pk: int):
    report = _report(request, pk)
    return _run(
        request,
        report,
        "note_form",
        NoteForm(request.POST),
        lambda data: report_note_add(report=report, text=data["text"], actor=request.user),
    )


@login_required
def report_attachment(request, pk: int, attachment_id: int):
    report = _report(request, pk)
    attachment = get_object_or_404(ReportAttachment, report=report, pk=attachment_id)
    with attachment.file.open("rb") as handle:
        content = handle.read()
    extension = attachment.file.name.rsplit(".", 1)[-1]
    return file_response(
        content,
        filename=f"{report.receipt_number}-{attachment.pk}.{extension}",
        content_type=attachment.content_type,
    )
