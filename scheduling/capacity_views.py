"""Capacity planning page (coordinators only; thin: selectors.capacity_plan does the work)."""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from core.dates import date_param
from core.exceptions import DomainError
from core.roles import is_coordinator
from scheduling.constants import LocationKind
from scheduling.models import Location
from scheduling.selectors.capacity_plan import capacity_plan

WEEKS = 8


@login_required
def capacity(request):
    if not is_coordinator(request.user):
        raise PermissionDenied
    locations = Location.objects.filter(is_active=True).order_by("kind", "name")
    today, error = timezone.localdate(), ""
    add_counter = locations.filter(
        kind=LocationKind.DESK, pk=request.GET.get("add_counter") or 0
    ).first()
    add_bus_day = None
    try:
        bus_date = date_param(request.GET.get("bus_date"))
    except DomainError as exc:
        bus_date, error = None, exc.message
    bus = locations.filter(kind=LocationKind.BUS, pk=request.GET.get("bus") or 0).first()
    if bus is not None and bus_date is not None:
        opens, closes = dt.time(9), dt.time(17)  # a standard bus day
        add_bus_day = (bus, bus_date, (closes.hour - opens.hour) * 60)
    plan = capacity_plan(start=today, weeks=WEEKS, add_counter=add_counter, add_bus_day=add_bus_day)
    context = {
        "plan": plan,
        "locations": locations,
        "add_counter": add_counter,
        "bus": bus,
        "bus_date": bus_date,
        "error": error,
    }
    return render(request, "scheduling/capacity.html", context, status=400 if error else 200)
