"""HTML pages of the counter back-office: thin, every write through a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.downloads import file_response
from core.exceptions import DomainError
from core.roles import Role, is_coordinator, user_has_role
from counter import selectors
from counter.forms import FeeAddForm, InvoiceRunForm, ReasonForm, TariffForm
from counter.models import Tariff
from counter.policies import can_read_invoices
from counter.selectors.issuer import invoice_issuer, invoices_with_payment
from counter.services.fees import fee_line_add, fee_line_credit, tariff_create, visit_close
from counter.services.financing import funded_service_void
from counter.services.invoices import invoice_csv, invoice_pdf, invoice_run, invoice_xlsx
from counter.services.records import (
    service_record_bsn_reveal,
    service_record_create,
    service_record_void,
)
from counter.templatetags.counter_records import record_form_context, record_form_for


def _coordinator_only(request):
    """A page of the coordinator role: 403 for other roles (an object out of scope stays 404)."""
    if not is_coordinator(request.user):
        raise PermissionDenied


VISITS_PER_PAGE = 50


@login_required
def visit_list(request):
    if not user_has_role(request.user, Role.OFFICER, Role.COORDINATOR):
        raise PermissionDenied
    today = timezone.localdate()
    locations = selectors.visit_locations(request.user)
    slug = request.GET.get("location", "")
    location = get_object_or_404(locations, slug=slug) if slug else None
    visits = selectors.visits_of_day(request.user, today, location=location)
    page = Paginator(visits, VISITS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "counter/visit_list.html",
        {
            "visits": page.object_list,
            "page": page,
            "today": today,
            "locations": locations,
            "location": location,
            "pager_query": urlencode({"location": location.slug}) if location else "",
        },
    )


@login_required
def visit_detail(request, pk: int):
    appointment = get_object_or_404(selectors.visits_for_officer(request.user), pk=pk)
    return _render_visit(request, appointment)


def _render_visit(request, appointment, revealed_bsn=None, record_refused=None, status=200):
    context = selectors.visit_detail(appointment)
    context.update(
        appointment=appointment,
        record_refused=record_refused,
        reason_form=ReasonForm(),
        extras=selectors.extra_services_with_price(),
        revealed_bsn=revealed_bsn,
    )
    response = render(request, "counter/visit_detail.html", context, status=status)
    if revealed_bsn:
        response["Cache-Control"] = "no-store"
    return response


def _run(request, action):
    try:
        action()
        messages.success(request, _("Saved."))
    except DomainError as exc:
        messages.error(request, str(exc.message))


def _next_url(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_POST
def leg_record(request, leg_id: int):
    """Record a called leg (which finishes it). Refused: the same form comes back with what
    was typed and the error at its field (the visit page, or only the form for the console's
    in-place post); never a wiped form."""
    leg = get_object_or_404(selectors.legs_for_officer(request.user), pk=leg_id)
    form = record_form_for(leg, request.POST)
    next_url = _next_url(request, reverse("counter:visit", args=[leg.appointment_id]))
    if form.is_valid():
        try:
            service_record_create(leg=leg, actor=request.user, **form.service_kwargs())
        except DomainError as exc:
            form.add_refusal(exc)
        else:
            messages.success(
                request,
                _("Recorded: %(service)s.") % {"service": leg.service.localized_name()},
            )
            if request.headers.get("X-Fragment") == "record-form":
                return JsonResponse({"redirect": next_url})
            return redirect(next_url)
    if request.headers.get("X-Fragment") == "record-form":
        context = record_form_context(leg, form, next_url, get_token(request))
        response = render(request, "counter/partials/record_form.html", context, status=400)
    else:
        response = _render_visit(
            request,
            leg.appointment,
            record_refused={"leg": leg.pk, "form": form, "next": next_url},
            status=400,
        )
    response["Cache-Control"] = "no-store"  # it may echo a typed BSN
    return response


@login_required
@require_POST
def record_void(request, pk: int):
    record = get_object_or_404(selectors.records_for_officer(request.user), pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    _run(request, lambda: service_record_void(record=record, actor=request.user, reason=reason))
    return redirect("counter:visit", pk=record.leg.appointment_id)


@login_required
@require_POST
def record_bsn(request, pk: int):
    record = get_object_or_404(selectors.records_for_officer(request.user), pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        bsn = service_record_bsn_reveal(record=record, actor=request.user, reason=reason)
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return redirect("counter:visit", pk=record.leg.appointment_id)
    # Shown in this response only: never in a URL, a redirect, the session or a log.
    return _render_visit(
        request, record.leg.appointment, revealed_bsn={"record": record.pk, "bsn": bsn}
    )


@login_required
@require_POST
def visit_fee_add(request, pk: int):
    appointment = get_object_or_404(selectors.visits_for_officer(request.user), pk=pk)
    form = FeeAddForm(request.POST)
    if form.is_valid():
        service = form.cleaned_data["service"]
        _run(
            request,
            lambda: fee_line_add(appointment=appointment, service=service, actor=request.user),
        )
    else:
        messages.error(request, _("Choose an extra service."))
    return redirect("counter:visit", pk=pk)


@login_required
@require_POST
def fee_credit(request, pk: int):
    line = get_object_or_404(selectors.fee_lines_for_officer(request.user), pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    _run(request, lambda: fee_line_credit(line=line, actor=request.user, reason=reason))
    return redirect("counter:visit", pk=line.appointment_id)


@login_required
@require_POST
def funded_service_void_view(request, pk: int):
    """Void an extra service the government parties pay (the fee credit's counterpart under
    a government financing variant): settlement credits its claim lines."""
    funded = get_object_or_404(selectors.funded_services_for_officer(request.user), pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    _run(request, lambda: funded_service_void(funded=funded, actor=request.user, reason=reason))
    return redirect("counter:visit", pk=funded.appointment_id)


@login_required
@require_POST
def visit_close_view(request, pk: int):
    appointment = get_object_or_404(selectors.visits_for_officer(request.user), pk=pk)
    _run(request, lambda: visit_close(appointment=appointment, actor=request.user))
    return redirect("counter:visit", pk=pk)


@login_required
def tariffs(request):
    _coordinator_only(request)
    form = TariffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tariff_create(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Tariff created."))
            return redirect("counter:tariffs")
        except DomainError as exc:
            form.add_error(None, str(exc.message))
    items = Tariff.objects.select_related("service")
    return render(request, "counter/tariffs.html", {"form": form, "tariffs": items})


@login_required
def invoices(request):
    if not can_read_invoices(request.user):
        raise PermissionDenied
    coordinator = is_coordinator(request.user)
    form = InvoiceRunForm(request.POST or None) if coordinator else None
    if request.method == "POST":
        _coordinator_only(request)
        if form.is_valid():
            try:
                issued = invoice_run(actor=request.user, **form.cleaned_data)
                messages.success(request, _("Invoices issued: %(count)d.") % {"count": len(issued)})
                return redirect("counter:invoices")
            except DomainError as exc:
                form.add_error(None, str(exc.message))
    items = selectors.invoices_for_user(request.user)
    return render(
        request,
        "counter/invoices.html",
        {
            "invoices": invoices_with_payment(items),
            "issuer": invoice_issuer(),
            "form": form,
            "coordinator": coordinator,
        },
        status=400 if form is not None and form.errors else 200,
    )


@login_required
def invoice_download(request, pk: int, fmt: str):
    if not can_read_invoices(request.user):
        raise PermissionDenied
    render = {"pdf": invoice_pdf, "csv": invoice_csv, "xlsx": invoice_xlsx}.get(fmt)
    if render is None:
        raise Http404
    invoice = get_object_or_404(selectors.invoices_for_user(request.user), pk=pk)
    content = render(invoice)
    return file_response(content, filename=f"invoice-{invoice.number}.{fmt}")
