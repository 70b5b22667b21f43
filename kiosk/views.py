"""HTML pages of the queue: kiosk, receipt, display screen, reception and officer consoles.
Thin: they parse input, call services/selectors and render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from core.exceptions import DomainError
from core.hooks import hook_load, hook_paths
from core.roles import Role
from kiosk.access import (
    can_issue_walk_ins,
    counter_for_user,
    locations_for_user,
    staff_location_remembered,
)
from kiosk.constants import TicketState
from kiosk.errors import KioskError
from kiosk.forms import WalkInForm
from kiosk.models import QueueTicket
from kiosk.selectors import (
    display_board,
    queue_kpis,
    recent_walk_ins,
    reception_lists,
    walk_in_capacity,
    walk_in_policies,
)
from kiosk.services import calls
from kiosk.services.devices import device_pair, device_require
from kiosk.services.prices import walk_in_prices
from kiosk.services.tickets import (
    LATE_DECISIONS,
    group_members_here_today,
    kiosk_check_in,
    kiosk_group_check_in,
    kiosk_policy,
    member_initials,
    other_ticket_check_in,
    walk_in_issue,
)
from scheduling.models import Location, ServiceType
from scheduling.services.walkins import walk_in_client_create

KIOSK_LANGUAGES = ["nl", "en", "pl", "ro", "bg", "hu", "lt", "lv", "sk", "pt", "es", "uk"]


def _kiosk_location(slug: str) -> Location:
    return get_object_or_404(Location, slug=slug, is_active=True)


def _device_refused(request, location, *, group_mode=False):
    """None when the request comes from a paired kiosk of this location, else the 403 page."""
    try:
        device_require(request, location)
    except DomainError as exc:
        context = _kiosk_context(
            location, error=exc.message, error_code=exc.code, group_mode=group_mode
        )
        return render(request, "kiosk/kiosk.html", context, status=exc.http_status)
    return None


def pair(request):
    """A kiosk or display screen exchanges the admin's one-time pairing code for its secret
    (kept in an HttpOnly cookie on the device)."""
    if request.method != "POST":
        return render(request, "kiosk/pair.html", {})
    try:
        device, secret = device_pair(code=request.POST.get("code", ""))
    except DomainError as exc:
        return render(request, "kiosk/pair.html", {"error": exc.message}, status=exc.http_status)
    response = render(request, "kiosk/pair.html", {"device": device})
    response.set_cookie(
        settings.KIOSK_DEVICE_COOKIE,
        secret,
        max_age=400 * 24 * 3600,
        httponly=True,
        secure=request.is_secure(),
        samesite="Strict",
    )
    return response


def index(request):
    """Where the queue screens of each location are."""
    locations = Location.objects.filter(is_active=True).order_by("kind", "name")
    return render(request, "kiosk/index.html", {"locations": locations})


def _kiosk_menu(location) -> list[tuple[str, str]]:
    """Buttons for the extra pages of other apps (settings.KIOSK_MENU_HOOKS): (page, label)."""
    return [
        (page, label)
        for dotted in hook_paths("KIOSK_MENU_HOOKS")
        for page, label in hook_load("KIOSK_MENU_HOOKS", dotted)(location=location)
        if hook_paths("KIOSK_PAGE_HOOKS", page)
    ]


def _kiosk_context(location, **extra):
    policy = kiosk_policy(location)
    services = [p.service for p in walk_in_policies(location)] if policy.kiosk_walk_ins else []
    prices = walk_in_prices(services)
    return {
        "location": location,
        "kiosk_languages": KIOSK_LANGUAGES,
        "more_pages": _kiosk_menu(location),
        # Free services are one tap; paid ones show their price and go through reception.
        "walk_in_services": [s for s in services if s.pk not in prices],
        "paid_walk_ins": [(s, prices[s.pk]) for s in services if s.pk in prices],
        **extra,
    }


def kiosk_page(request, slug: str):
    """The kiosk: scan the QR code (a USB scanner types into the focused field) or type the
    booking code. A repeated scan shows the same number."""
    location = _kiosk_location(slug)
    group_mode = request.POST.get("mode") == "group" or request.GET.get("mode") == "group"
    if request.method != "POST":
        return render(request, "kiosk/kiosk.html", _kiosk_context(location, group_mode=group_mode))
    refused = _device_refused(request, location, group_mode=group_mode)
    if refused:
        return refused
    code = request.POST.get("code", "").strip()
    try:
        if group_mode:
            group, members = group_members_here_today(reference=code, location=location)
            return render(
                request,
                "kiosk/group.html",
                _kiosk_context(
                    location,
                    code=group.reference,
                    members=[(m.pk, member_initials(m)) for m in members],
                ),
            )
        notice = other_ticket_check_in(location=location, token=code)
        if notice is not None:  # an activity ticket (through TICKET_CHECK_IN_HOOKS)
            return render(request, "kiosk/kiosk.html", _kiosk_context(location, notice=notice))
        result = kiosk_check_in(location=location, token=code, actor=request.user)
    except DomainError as exc:
        context = _kiosk_context(
            location, error=exc.message, error_code=exc.code, group_mode=group_mode
        )
        return render(request, "kiosk/kiosk.html", context, status=exc.http_status)
    # The receipt speaks the client's language unless they chose one at the kiosk.
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or (
        result.ticket.appointment.client.language
    )
    with translation.override(language if language in KIOSK_LANGUAGES else None):
        return render(
            request,
            "kiosk/receipt.html",
            _kiosk_context(
                location, tickets=[result.ticket], repeated=not result.created, late=result.late
            ),
        )


def kiosk_more(request, slug: str, page: str):
    """An extra kiosk page of another app (settings.KIOSK_PAGE_HOOKS: the report form of the
    advice app): only a paired kiosk of this location may open it (403 otherwise); the hook
    renders it in the kiosk layout and returns the response."""
    location = _kiosk_location(slug)
    paths = hook_paths("KIOSK_PAGE_HOOKS", page)
    if not paths:
        raise Http404
    try:
        device = device_require(request, location)
    except DomainError as exc:
        context = _kiosk_context(location, error=exc.message, error_code=exc.code)
        return render(request, "kiosk/kiosk.html", context, status=exc.http_status)
    return hook_load("KIOSK_PAGE_HOOKS", paths[0])(
        request=request,
        location=location,
        device_id=device.pk,
        home_url=reverse("kiosk:kiosk", args=[location.slug]),
        base_template="kiosk/kiosk_base.html",
    )


@require_POST
def kiosk_group(request, slug: str):
    location = _kiosk_location(slug)
    refused = _device_refused(request, location, group_mode=True)
    if refused:
        return refused
    ids = [int(v) for v in request.POST.getlist("present") if v.isdigit()]
    try:
        lines = kiosk_group_check_in(
            location=location,
            reference=request.POST.get("code", ""),
            present_ids=ids,
            actor=request.user,
        )
    except DomainError as exc:
        context = _kiosk_context(location, error=exc.message, error_code=exc.code, group_mode=True)
        return render(request, "kiosk/kiosk.html", context, status=exc.http_status)
    return render(
        request,
        "kiosk/receipt.html",
        _kiosk_context(
            location, tickets=[ln.result.ticket for ln in lines if ln.result], group_lines=lines
        ),
    )


@require_POST
def kiosk_walk_in(request, slug: str):
    location = _kiosk_location(slug)
    refused = _device_refused(request, location)
    if refused:
        return refused
    service = ServiceType.objects.filter(pk=request.POST.get("service") or 0).first()
    try:
        ticket = walk_in_issue(
            location=location,
            services=[service] if service else [],
            actor=request.user,
            language=request.LANGUAGE_CODE,
            via_kiosk=True,
        )
    except DomainError as exc:
        context = _kiosk_context(location, error=exc.message, error_code=exc.code)
        return render(request, "kiosk/kiosk.html", context, status=exc.http_status)
    return render(request, "kiosk/receipt.html", _kiosk_context(location, tickets=[ticket]))


def _waiting_lines(board: dict) -> list[str]:
    """ "BRP registration: 3 people waiting" - a count per service, never read as a number."""
    return [
        ngettext(
            "%(service)s: %(count)d person waiting",
            "%(service)s: %(count)d people waiting",
            row["waiting"],
        )
        % {"service": row["service"], "count": row["waiting"]}
        for row in board["waiting_by_service"]
    ]


def display(request, slug: str):
    """The public screen: numbers and counter names only."""
    location = _kiosk_location(slug)
    board = display_board(location=location)
    return render(
        request,
        "kiosk/display.html",
        {"location": location, "board": board, "waiting_lines": _waiting_lines(board)},
    )


def display_feed(request, slug: str):
    board = display_board(location=_kiosk_location(slug))
    return JsonResponse(
        {
            "calls": [
                {"code": c["code"], "counter": c["counter"], "state": c["state"]}
                for c in board["calls"]
            ],
            "waiting": board["waiting"],
            "last_calls": board["last_calls"],
            "waiting_lines": _waiting_lines(board),
            "last_call_id": board["last_call_id"],
            "time": timezone.localtime(board["now"]).strftime("%H:%M"),
        }
    )


# --- reception ---------------------------------------------------------------------------


def _reception_location(request) -> Location:
    return staff_location_remembered(
        request, request.GET.get("location") or request.POST.get("location"), Role.RECEPTIONIST
    )


@login_required
def reception(request):
    location = _reception_location(request)
    policies = walk_in_policies(location)
    form = WalkInForm(
        services=ServiceType.objects.filter(pk__in=[p.service_id for p in policies]),
        initial={"language": "en"},
    )
    return render(
        request, "kiosk/reception.html", _reception_context(request, location, form, policies)
    )


RECENT_WALK_INS = 5


def _reception_context(request, location, form, policies):
    """The console's page; ``policies``: the location's walk-in policies (read once a request:
    the offered services and today's places left)."""
    services = [p.service for p in policies]
    service_id = request.GET.get("service")
    service_id = int(service_id) if service_id and service_id.isdigit() else None
    today = timezone.localdate()
    left = walk_in_capacity(location=location, day=today, policies=policies)
    prices = walk_in_prices(services)
    return {
        "recent_walk_ins": recent_walk_ins(location=location, day=today, limit=RECENT_WALK_INS),
        "location": location,
        "locations": locations_for_user(request.user),
        "lists": reception_lists(location=location, service_id=service_id),
        "service_filter": service_id,
        "all_services": ServiceType.objects.filter(counters__location=location).distinct(),
        "kpis": queue_kpis(location=location, day=today),
        "form": form,
        "caps": [(s, left.get(s.pk, 0), prices.get(s.pk)) for s in services],
        "prices_shown": bool(prices),
    }


@login_required
def reception_lists_fragment(request):
    location = _reception_location(request)
    service_id = request.GET.get("service")
    service_id = int(service_id) if service_id and service_id.isdigit() else None
    return render(
        request,
        "kiosk/partials/reception_lists.html",
        {"lists": reception_lists(location=location, service_id=service_id)},
    )


@login_required
@require_POST
def reception_walk_in(request):
    location = _reception_location(request)
    if not can_issue_walk_ins(request.user, location):
        return redirect("kiosk:reception")
    policies = walk_in_policies(location)
    services = ServiceType.objects.filter(pk__in=[p.service_id for p in policies])
    form = WalkInForm(request.POST, services=services)
    if form.is_valid():
        data = form.cleaned_data
        try:
            # One transaction: a refused walk-in leaves no client behind.
            with transaction.atomic():
                client = None
                if not form.is_anonymous:
                    client = walk_in_client_create(
                        first_name=data["first_name"],
                        last_name=data["last_name"],
                        birth_date=data["birth_date"],
                        nationality=data["nationality"],
                        municipality_of_residence=data["residence"],
                        language=data["language"],
                        actor=request.user,
                    )
                ticket = walk_in_issue(
                    location=location,
                    services=list(data["services"]),
                    actor=request.user,
                    client=client,
                    language=data["language"],
                    price_confirmed=data["price_confirmed"],
                )
        except DomainError as exc:
            field = "price_confirmed" if exc.code == KioskError.PRICE_NOT_CONFIRMED else None
            form.add_error(field, exc.message)
        else:
            messages.success(request, _("Walk-in number %(code)s issued.") % {"code": ticket.code})
            return redirect("kiosk:reception-slip", ticket_id=ticket.pk)
    return render(
        request,
        "kiosk/reception.html",
        _reception_context(request, location, form, policies),
        status=400,
    )


LATE_DECISION_MESSAGES = {
    "admit": gettext_lazy("%(code)s admitted: queued behind the people on time."),
    "walk-in": gettext_lazy("%(code)s will be served as a walk-in."),
    "no-show": gettext_lazy("%(code)s marked as no-show."),
}


@login_required
@require_POST
def reception_late_decide(request):
    """The reception decides about a late arrival held by the kiosk: admit (queued as late,
    behind the people on time), serve as a walk-in, or no-show. Audited by the services."""
    location = _reception_location(request)
    decision = request.POST.get("decision", "")
    if decision not in LATE_DECISIONS:
        return HttpResponseBadRequest(_("Choose admit, walk-in or no-show."))
    if decision == "walk-in" and not can_issue_walk_ins(request.user, location):
        return HttpResponseBadRequest(_("Only the reception issues walk-in numbers."))
    ticket_id = request.POST.get("ticket", "")
    ticket = get_object_or_404(
        QueueTicket, pk=int(ticket_id) if ticket_id.isdigit() else 0, location=location
    )
    try:
        ticket = LATE_DECISIONS[decision](ticket=ticket, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, str(LATE_DECISION_MESSAGES[decision]) % {"code": ticket.code})
    return redirect(f"{reverse('kiosk:reception')}?location={location.slug}")


@login_required
def reception_slip(request, ticket_id: int):
    """The printable slip of a walk-in issued at reception: the kiosk's receipt (number,
    service, place, time; never the name), with the price of paid services."""
    ticket = get_object_or_404(
        QueueTicket.objects.select_related("location", "leg__service"),
        pk=ticket_id,
        location__in=locations_for_user(request.user),
    )
    if not can_issue_walk_ins(request.user, ticket.location):
        raise Http404
    services = [leg.service for leg in ticket.appointment.legs.select_related("service")]
    prices = walk_in_prices(services, on=ticket.service_date)
    language = ticket.appointment.client.language
    return render(
        request,
        "kiosk/slip.html",
        {
            "location": ticket.location,
            "ticket": ticket,
            "services": [(s, prices.get(s.pk)) for s in services],
            # The receipt part speaks the client's language, as at the kiosk.
            "client_language": language if language in KIOSK_LANGUAGES else None,
        },
    )


# --- officer -----------------------------------------------------------------------------


@login_required
def officer(request):
    """Choose my counter at my location."""
    location = staff_location_remembered(request, request.GET.get("location"), Role.OFFICER)
    counters = location.counters.filter(is_active=True).prefetch_related("services")
    chosen = request.session.get("kiosk_counter")
    if chosen and counters.filter(pk=chosen).exists() and "choose" not in request.GET:
        return redirect("kiosk:officer-counter", counter_id=chosen)
    return render(
        request,
        "kiosk/officer_choose.html",
        {"location": location, "counters": counters, "locations": locations_for_user(request.user)},
    )


@login_required
def officer_counter(request, counter_id: int):
    counter = counter_for_user(request.user, counter_id)
    request.session["kiosk_counter"] = counter.pk
    current = calls.counter_current_ticket(counter)
    legs = []
    if current is not None:
        legs = list(
            current.appointment.legs.select_related("service", "served_counter").order_by(
                "position"
            )
        )
    now = timezone.now()
    waiting = list(
        calls.waiting_queue_for_counter(counter, now=now).select_related("leg__service")[:15]
    )
    return render(
        request,
        "kiosk/officer.html",
        {
            "counter": counter,
            "current": current,
            "legs": legs,
            "waiting": waiting,
            "now": now,
            "TicketState": TicketState,
        },
    )


@login_required
def officer_waiting_fragment(request, counter_id: int):
    counter = counter_for_user(request.user, counter_id)
    waiting = list(
        calls.waiting_queue_for_counter(counter, now=timezone.now()).select_related("leg__service")[
            :15
        ]
    )
    return render(
        request,
        "kiosk/partials/officer_waiting.html",
        {"counter": counter, "waiting": waiting, "current": calls.counter_current_ticket(counter)},
    )


OFFICER_ACTIONS = {
    "call-next": lambda c, u, p: calls.ticket_call_next(counter=c, actor=u),
    "recall": lambda c, u, p: calls.ticket_recall(counter=c, actor=u),
    "no-show": lambda c, u, p: calls.ticket_mark_no_show(counter=c, actor=u),
    "start": lambda c, u, p: calls.ticket_start(counter=c, actor=u),
    "finish": lambda c, u, p: calls.ticket_finish(
        counter=c, actor=u, completed=p.get("completed") != "0"
    ),
    "undo": lambda c, u, p: calls.counter_undo(counter=c, actor=u, reason=p.get("reason", "")),
    "call": lambda c, u, p: calls.ticket_call(
        counter=c,
        actor=u,
        ticket=get_object_or_404(QueueTicket, pk=p.get("ticket") or 0, location=c.location),
    ),
}

ACTION_MESSAGES = {
    "call-next": gettext_lazy("Called %(code)s."),
    "call": gettext_lazy("Called %(code)s."),
    "recall": gettext_lazy("Called %(code)s again."),
    "no-show": gettext_lazy("%(code)s marked as no-show."),
    "start": gettext_lazy("Serving %(code)s."),
    "finish": gettext_lazy("Leg finished for %(code)s."),
    "undo": gettext_lazy("Undone: %(code)s is back."),
}


@login_required
@require_POST
def officer_action(request, counter_id: int, action: str):
    counter = counter_for_user(request.user, counter_id)
    handler = OFFICER_ACTIONS.get(action)
    if handler is None:
        return redirect("kiosk:officer-counter", counter_id=counter.pk)
    try:
        ticket = handler(counter, request.user, request.POST)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, str(ACTION_MESSAGES[action]) % {"code": ticket.code})
    return redirect("kiosk:officer-counter", counter_id=counter.pk)
