"""Municipality portal and coordinator pages for settlements (thin: selectors + services).

Municipality users see only their own statements, lines, payments and ageing; coordinators
see everything; anyone else gets 404 (never 403, which would leak that the page exists).
"""

import logging
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.downloads import file_response
from core.exceptions import DomainError
from core.roles import is_coordinator, user_municipality
from scheduling.constants import LocationKind
from scheduling.models import Location
from settlement.forms import CostSplitForm, PaymentForm
from settlement.models import SettlementPeriod, SettlementTariff, Statement
from settlement.selectors.cost_split import cost_split_compute
from settlement.selectors.statements import (
    ageing_overview,
    balance_of,
    lines_labelled,
    municipalities_for_user,
    netting_advice,
    paid_of,
    payment_advice,
    pending_registration_legs,
    period_line_counts,
    period_nets,
    statement_balance,
    statement_draft,
    statement_for_user_or_404,
    statement_issuer,
    statement_lines_signed,
    statement_verify,
    statement_view,
    statements_for_user,
)
from settlement.services.issue import settlement_payment_record, settlement_period_issue
from settlement.services.output import (
    audit_bsn_export,
    bsn_allowed,
    cost_split_csv,
    cost_split_filename,
    cost_split_pdf,
    cost_split_xlsx,
    statement_export,
)

LINES_PER_PAGE = 100
STATEMENTS_PER_PAGE = 50

logger = logging.getLogger(__name__)


def _refusal(request, exc: DomainError) -> str:
    """A service's refusal as the user reads it: the translated message only; its code
    (for support) goes to the log, with the page, never with personal data."""
    view = getattr(request.resolver_match, "view_name", "")
    logger.info("settlement refusal on %s: %s", view, exc.code)
    return str(exc.message)


def settlement_access(view):
    """Logged in, and a coordinator or a municipality user; otherwise 404."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not (is_coordinator(request.user) or user_municipality(request.user) is not None):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def coordinator_only(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_coordinator(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


@settlement_access
def settlement_index(request):
    statements = statements_for_user(request.user).order_by(
        "-period__start", "municipality__name", "pk"
    )
    period_filter = request.GET.get("period", "")
    if period_filter:
        statements = statements.filter(period__label=period_filter)
    page = Paginator(statements, STATEMENTS_PER_PAGE).get_page(request.GET.get("page"))
    paid = paid_of(page.object_list)
    rows = [(s, balance_of(s, paid[s.pk])) for s in page.object_list]
    coordinator = is_coordinator(request.user)
    periods = list(SettlementPeriod.objects.order_by("-start")[:24])
    if coordinator:
        counts = period_line_counts(periods)
        for period in periods:
            period.n_lines = counts.get(period.pk, 0)
    own = user_municipality(request.user)
    return render(
        request,
        "settlement/index.html",
        {
            "rows": rows,
            "page": page,
            "periods": periods,
            "coordinator": coordinator,
            "own": own,
            "period_filter": period_filter,
            "today": timezone.localdate(),
            "tariffs": SettlementTariff.objects.order_by("-valid_from")[:5],
        },
    )


def _lines_page(request, *, municipality, period, view):
    show_bsn = bsn_allowed()
    lines = statement_lines_signed(municipality=municipality, period=period)
    if show_bsn:  # the record only for its BSN column
        lines = lines.select_related("record")
    page = Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = lines_labelled(page.object_list)
    if show_bsn:
        audit_bsn_export(actor=request.user, view=view, fmt="html", count=len(page.object_list))
    return page, show_bsn


@settlement_access
def statement_detail(request, pk: int):
    statement = statement_for_user_or_404(request.user, pk)
    view = statement_view(statement)
    page, show_bsn = _lines_page(
        request, municipality=statement.municipality, period=statement.period, view=view
    )
    payments = list(statement.payments.all())
    return render(
        request,
        "settlement/statement_detail.html",
        {
            "view": view,
            "statement": statement,
            "balance": statement_balance(statement, payments),
            "payments": payments,
            "page": page,
            "show_bsn": show_bsn,
            "verified": statement_verify(statement),
            "coordinator": is_coordinator(request.user),
            "payment_form": PaymentForm(),
            "issuer": statement_issuer(),
            "advice": payment_advice(view),
        },
    )


@settlement_access
def statement_download(request, pk: int, fmt: str):
    view = statement_view(statement_for_user_or_404(request.user, pk))
    content, filename = statement_export(view=view, fmt=fmt, actor=request.user)
    return file_response(content, filename=filename)


def _period_or_404(label: str) -> SettlementPeriod:
    return get_object_or_404(SettlementPeriod, label=label)


@settlement_access
def statement_draft_view(request, label: str, cbs_code: str):
    period = _period_or_404(label)
    municipality = get_object_or_404(municipalities_for_user(request.user), cbs_code=cbs_code)
    issued = Statement.objects.filter(period=period, municipality=municipality).first()
    if issued is not None:
        return redirect("settlement:statement", pk=issued.pk)
    view = statement_draft(municipality=municipality, period=period)
    fmt = request.GET.get("format")
    if fmt in ("pdf", "csv", "xlsx"):
        # A draft's PDF never shows BSNs; its CSV and XLSX do where the legal basis allows.
        content, filename = statement_export(
            view=view, fmt=fmt, actor=request.user, with_bsn=fmt != "pdf"
        )
        return file_response(content, filename=filename)
    page, show_bsn = _lines_page(request, municipality=municipality, period=period, view=view)
    return render(
        request,
        "settlement/draft.html",
        {"view": view, "page": page, "show_bsn": show_bsn},
    )


@coordinator_only
def period_detail(request, label: str):
    period = _period_or_404(label)
    nets = period_nets(period)
    rows = sorted(nets.items(), key=lambda item: item[0].name)
    pending = pending_registration_legs(period).count() if period.is_open else 0
    return render(
        request,
        "settlement/period.html",
        {
            "period": period,
            "rows": rows,
            "nets_sum": sum(nets.values()),
            "pending": pending,
            "issuable": period.is_open and period.end < timezone.localdate(),
        },
    )


@require_POST
@coordinator_only
def period_issue(request, label: str):
    period = _period_or_404(label)
    try:
        statements = settlement_period_issue(period=period, actor=request.user)
    except DomainError as exc:
        messages.error(request, _refusal(request, exc))
    else:
        messages.success(
            request,
            _("Period %(period)s issued: %(count)d statement(s).")
            % {"period": period.label, "count": len(statements)},
        )
    return redirect("settlement:period", label=period.label)


@require_POST
@coordinator_only
def payment_create(request, pk: int):
    statement = get_object_or_404(Statement, pk=pk)
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            settlement_payment_record(
                statement=statement,
                amount=form.cleaned_data["amount"],
                received_on=form.cleaned_data["received_on"],
                reference=form.cleaned_data["reference"],
                actor=request.user,
            )
        except DomainError as exc:
            messages.error(request, _refusal(request, exc))
        else:
            messages.success(request, _("Payment recorded."))
    else:
        messages.error(
            request, _("Check the payment: %(errors)s") % {"errors": form.errors.as_text()}
        )
    return redirect("settlement:statement", pk=statement.pk)


@coordinator_only
def netting_view(request, label: str):
    period = _period_or_404(label)
    nets = period_nets(period)
    transfers = netting_advice(nets)
    return render(
        request,
        "settlement/netting.html",
        {"period": period, "transfers": transfers, "count": len(nets)},
    )


@settlement_access
def ageing_view(request):
    rows = ageing_overview(municipalities=municipalities_for_user(request.user))
    return render(request, "settlement/ageing.html", {"rows": rows})


@coordinator_only
def cost_split_view(request):
    desks = Location.objects.filter(kind=LocationKind.DESK, is_active=True).order_by("name")
    data = request.GET if "year" in request.GET else None
    form = CostSplitForm(data, desks=desks, initial={"year": timezone.localdate().year - 1})
    result = error = None
    if form.is_bound and form.is_valid():
        try:
            result = cost_split_compute(
                year=form.cleaned_data["year"], desk_costs=form.desk_costs(), shares=form.shares()
            )
        except DomainError as exc:
            error = _refusal(request, exc)
    fmt = request.GET.get("format")
    if result is not None and fmt in ("pdf", "csv", "xlsx"):
        render_file = {"pdf": cost_split_pdf, "csv": cost_split_csv, "xlsx": cost_split_xlsx}[fmt]
        return file_response(render_file(result), filename=cost_split_filename(result, fmt))
    return render(
        request,
        "settlement/cost_split.html",
        {"form": form, "result": result, "error": error, "query": request.GET.urlencode()},
    )


# --- Government claims for the extra service (financing variants) ---------------------------


@settlement_access
def claims_index(request):
    from settlement.selectors.claims import claim_statements_for_user, last_ended_quarter

    statements = claim_statements_for_user(request.user).order_by("-start", "number")[:500]
    return render(
        request,
        "settlement/claims.html",
        {
            "statements": statements,
            "coordinator": is_coordinator(request.user),
            "suggested": last_ended_quarter(timezone.localdate()),
        },
    )


@require_POST
@coordinator_only
def claims_issue(request):
    from settlement.services.claims import claim_quarter_issue

    quarter = request.POST.get("quarter", "").strip()
    try:
        statements = claim_quarter_issue(quarter=quarter, actor=request.user)
    except DomainError as exc:
        messages.error(request, _refusal(request, exc))
    else:
        messages.success(
            request,
            _("Claims of %(quarter)s issued: %(count)d statement(s).")
            % {"quarter": quarter, "count": len(statements)},
        )
    return redirect("settlement:claims")


@settlement_access
def claim_download(request, pk: int, fmt: str):
    from settlement.selectors.claims import claim_statement_for_user_or_404
    from settlement.services.claims_output import claim_export

    content, filename = claim_export(claim_statement_for_user_or_404(request.user, pk), fmt)
    return file_response(content, filename=filename)
