"""Portal pages of the waitlist: join, my entries (withdraw), the offer (confirm or decline);
coordinators read the line per desk. Another employer's entry or offer is a 404."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.exceptions import DomainError
from core.roles import is_coordinator, user_employer
from core.uploads import upload_size_check
from scheduling.constants import LocationKind, WaitlistStatus
from scheduling.group_booking.forms import worker_formset
from scheduling.group_booking.roster import (
    RosterRowForm,
    roster_parse_upload,
    roster_validate_forms,
)
from scheduling.models import Location
from scheduling.waitlist import services as svc
from scheduling.waitlist.forms import OfferAcceptForm, WaitlistJoinForm
from scheduling.waitlist.selectors import (
    waitlist_entries_for_user,
    waitlist_entry_for_offer,
    waitlist_entry_for_user,
    waitlist_held_places,
    waitlist_line,
)
from scheduling.waitlist.tokens import offer_token

# The group-booking form's fields a "join the waitlist" link may carry (no personal data).
PREFILL = ("target", "location", "region", "date_from", "date_to", "group_size")


def _employer(request):
    employer = user_employer(request.user)
    if employer is None:
        raise Http404()
    return employer


@login_required
def waitlist_list(request):
    """An employer's entries (withdraw while open); a coordinator's read-only line per desk."""
    if is_coordinator(request.user):
        desks = list(Location.objects.filter(kind=LocationKind.DESK).order_by("name"))
        chosen = next((d for d in desks if d.slug == request.GET.get("location")), None)
        return render(
            request,
            "scheduling/portal/waitlist_line.html",
            {"entries": waitlist_line(location=chosen), "desks": desks, "chosen": chosen},
        )
    _employer(request)
    entries = list(waitlist_entries_for_user(request.user).order_by("-joined_at", "-pk")[:200])
    for entry in entries:
        if entry.status == WaitlistStatus.OFFERED:
            entry.offer_link = offer_token(entry)
    return render(
        request,
        "scheduling/portal/waitlist_list.html",
        {"entries": entries, "open_statuses": (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def waitlist_join(request):
    employer = _employer(request)
    if request.method == "POST":
        form = WaitlistJoinForm(request.POST)
    else:
        form = WaitlistJoinForm(initial={k: request.GET[k] for k in PREFILL if request.GET.get(k)})
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            entry = svc.waitlist_join(employer=employer, actor=request.user, **form.join_kwargs())
        except DomainError as exc:
            error = exc
        else:
            messages.success(
                request,
                _(
                    "Your group %(ref)s is on the waitlist. When places free up you get an "
                    "e-mail with a link that holds them for %(hours)d hours."
                )
                % {"ref": entry.reference, "hours": settings.WAITLIST_OFFER_HOURS},
            )
            return redirect("scheduling:portal-waitlist")
    return render(
        request,
        "scheduling/portal/waitlist_join.html",
        {"form": form, "error": error},
        status=error.http_status if error else 200,
    )


@login_required
@require_POST
def waitlist_withdraw(request, entry):
    _employer(request)
    try:
        found = waitlist_entry_for_user(request.user, entry)
    except DomainError:
        raise Http404() from None
    try:
        svc.waitlist_withdraw(entry=found, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("You left the waitlist."))
    return redirect("scheduling:portal-waitlist")


def _offer_entry(request, offer_token):
    try:
        return waitlist_entry_for_offer(request.user, offer_token)
    except DomainError:
        raise Http404() from None


def _workers_from(request, form, formset):
    upload = form.cleaned_data.get("roster")
    if upload:
        return roster_parse_upload(name=upload.name, content=upload.read())
    typed = [worker for worker in formset.forms if worker.has_changed()]
    return roster_validate_forms(typed, first_row=1)


@login_required
@require_http_methods(["GET", "POST"])
def waitlist_offer(request, offer_token):
    """The page behind the e-mail's link: what is held until when; name the workers to book
    them (a normal group booking), or decline."""
    entry = _offer_entry(request, offer_token)
    error, roster_errors, status = None, [], 200
    if request.method == "POST":
        try:
            upload_size_check(request)
        except DomainError as exc:
            error, status = exc, exc.http_status
    form = OfferAcceptForm(request.POST or None, request.FILES or None)
    formset = worker_formset(request.POST or None)
    formset.extra = min(formset.extra, entry.group_size)  # no empty row beyond the places held
    if request.method == "POST" and error is None and form.is_valid():
        try:
            workers = _workers_from(request, form, formset)
            booking = svc.waitlist_offer_accept(
                entry=entry,
                workers=workers,
                actor=request.user,
                po_reference=form.cleaned_data.get("po_reference") or "",
            )
        except DomainError as exc:
            error, status = exc, exc.http_status
            roster_errors = (exc.details or {}).get("rows", [])
        else:
            messages.success(request, _("Booked. The confirmation e-mail is on its way."))
            return redirect("scheduling:portal-group", reference=booking.reference)
    labels = {name: field.label for name, field in RosterRowForm.base_fields.items()}
    for row in roster_errors:
        row["label"] = labels.get(row["field"], row["field"])
    return render(
        request,
        "scheduling/portal/waitlist_offer.html",
        {
            "entry": entry,
            "open": entry.status == WaitlistStatus.OFFERED,
            "held": waitlist_held_places(entry),
            "form": form,
            "formset": formset,
            "error": error,
            "roster_errors": roster_errors,
            "token": offer_token,
            "max_workers": entry.group_size,
        },
        status=status,
    )


@login_required
@require_POST
def waitlist_decline(request, offer_token):
    entry = _offer_entry(request, offer_token)
    try:
        svc.waitlist_offer_decline(entry=entry, actor=request.user)
    except DomainError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("You declined the offer; the places go to the next in line."))
    return redirect("scheduling:portal-waitlist")
