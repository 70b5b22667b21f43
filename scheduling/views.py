"""HTML pages of the scheduling app."""

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from core.dates import date_param
from core.exceptions import DomainError
from core.roles import is_coordinator, user_has_role, user_location
from scheduling.forms import ClientFactsForm, PackageForm
from scheduling.location_choice import location_remembered
from scheduling.models import Location
from scheduling.policies import STAFF_ROLES
from scheduling.selectors.availability import availability_search
from scheduling.selectors.places import locations_overview
from scheduling.selectors.planner import day_plan
from scheduling.services.booking import client_appointment_book
from scheduling.services.package import ClientFacts, package_propose, package_validate

SEARCH_DAYS = 7
DATE_DAY = dt.timedelta(days=1)


def home(request):
    """Landing page: the desks and the bus, with where to go next for each role."""
    return render(request, "scheduling/home.html", {"locations": locations_overview()})


def staff_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not user_has_role(request.user, *STAFF_ROLES):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _locations_for(user):
    qs = Location.objects.filter(is_active=True).order_by("kind", "name")
    if is_coordinator(user):
        return qs
    own = user_location(user)
    return qs.filter(pk=own.pk) if own else qs.none()


@staff_required
def planner(request):
    """Day planner of one location: counters as columns, legs as blocks."""
    locations = _locations_for(request.user)
    location = location_remembered(request, locations, request.GET.get("location"))
    status = 200
    try:
        day = date_param(request.GET.get("date"), default=timezone.localdate())
    except DomainError as exc:
        messages.error(request, exc.message)
        day, status = timezone.localdate(), 400
    plan = day_plan(location=location, day=day)
    return render(
        request,
        "scheduling/planner.html",
        {
            "plan": plan,
            # Each block links to its visit: the URL built once, not a {% url %} per block.
            "detail_url_prefix": reverse("scheduling:appointment-detail", args=["-"])[:-2],
            "locations": locations,
            "previous_day": day - DATE_DAY,
            "next_day": day + DATE_DAY,
        },
        status=status,
    )


@staff_required
def book(request):
    """Booking form for one client: facts -> proposed package -> free times -> book."""
    locations = _locations_for(request.user)
    facts_form = ClientFactsForm(request.POST or None, locations=locations)
    package_form = None
    days = None
    if request.method == "POST" and facts_form.is_valid():
        data = facts_form.cleaned_data
        facts = ClientFacts(
            nationality=data["nationality"],
            expected_stay_months=data["expected_stay_months"],
            temporary_protection=data["temporary_protection"],
            works_under_dutch_social_security=data["works_under_dutch_social_security"],
            self_employed=data["self_employed"],
            interpreter_needed=data["interpreter_needed"],
        )
        if "services" in request.POST and request.POST.get("action") != "propose":
            package_form = PackageForm(request.POST)
            services = (
                list(package_form.cleaned_data["services"]) if package_form.is_valid() else None
            )
        else:
            services = package_propose(client=facts)
            package_form = PackageForm(initial={"services": services})
        try:
            if services is not None:
                services = package_validate(
                    services=services, location=data["location"], client=facts
                )
                start = parse_datetime(request.POST.get("start") or "")
                if start is not None:
                    return _book(request, data, services, start)
                days = availability_search(
                    services=services,
                    locations=[data["location"]],
                    date_from=data["date_from"],
                    date_to=data["date_from"] + dt.timedelta(days=SEARCH_DAYS - 1),
                    interpreter_needed=facts.interpreter_needed,
                )
        except DomainError as exc:
            messages.error(request, exc.message)
    return render(
        request,
        "scheduling/book.html",
        {"facts_form": facts_form, "package_form": package_form, "days": days},
    )


CLIENT_FIELDS = (
    "first_name",
    "last_name",
    "birth_date",
    "nationality",
    "language",
    "interpreter_needed",
    "expected_stay_months",
    "temporary_protection",
    "works_under_dutch_social_security",
    "self_employed",
    "municipality_of_residence",
)


def _book(request, data, services, start):
    appointment = client_appointment_book(
        client_facts={name: data[name] for name in CLIENT_FIELDS},
        location=data["location"],
        start=start,
        services=services,
        actor=request.user,
    )
    messages.success(
        request,
        _("Booked: code %(code)s on %(when)s.")
        % {
            "code": appointment.booking_code,
            "when": timezone.localtime(appointment.start).strftime("%d-%m-%Y %H:%M"),
        },
    )
    # The visit page: its legs and "Print ticket" (A4 or receipt printer).
    return redirect("scheduling:appointment-detail", code=appointment.booking_code)
