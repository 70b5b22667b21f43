"""Counter's record form for any page showing a called leg: the visit page, and the officer
console (kiosk), which loads this library by name (``{% load counter_records %}``) - a
template library, not a Python import, so kiosk and counter stay apart. One form, one
service (``service_record_create``): recording a leg is what finishes it."""

from django import template

from counter.forms import RecordForm
from counter.services.records import lawful_residence_required, record_required
from scheduling.constants import LegState

register = template.Library()


def record_form_for(leg, data=None) -> RecordForm:
    """The record form of one leg (ids unique per leg, so several can share a page)."""
    return RecordForm(data, auto_id=f"leg{leg.pk}-%s", initial={"outcome": "completed"})


@register.filter
def needs_record(leg) -> bool:
    """The leg's service needs a record before the leg can be finished."""
    return record_required(leg)


@register.filter
def record_missing(leg) -> bool:
    """A finished leg whose service needs a record has none (e.g. it was voided)."""
    return (
        leg.state in (LegState.DONE, LegState.NOT_DONE)
        and record_required(leg)
        and not leg.service_records.filter(voided_at__isnull=True).exists()
    )


@register.inclusion_tag("counter/partials/record_form.html", takes_context=True)
def leg_record_form(context, leg, next_url=""):
    refused = context.get("record_refused")
    form = record_form_for(leg)
    if refused and refused["leg"] == leg.pk:
        form, next_url = refused["form"], refused["next"]
    return record_form_context(leg, form, next_url, context.get("csrf_token"))


@register.inclusion_tag("counter/partials/not_delivered_form.html", takes_context=True)
def leg_not_delivered_form(context, leg, next_url=""):
    """A few clicks for a service that could not be delivered: documents missing, client
    absent, or another reason; posts a "not completed" record (which finishes the leg)."""
    return {"leg": leg, "next_url": next_url, "csrf_token": context.get("csrf_token")}


def _mark_errors(form) -> None:
    """Each field in error is marked invalid and described by its message; the first one takes
    the focus (autofocus scrolls a refused form into view on a phone)."""
    first = True
    for name in [n for n in form.fields if n in form.errors]:  # in the page's order
        field = form[name]
        attrs = form.fields[name].widget.attrs
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.auto_id}-error"
        if first:
            attrs["autofocus"] = True
            first = False


def record_form_context(leg, form, next_url, csrf_token) -> dict:
    if form.is_bound:
        _mark_errors(form)
    return {
        "leg": leg,
        "form": form,
        "next_url": next_url,
        "csrf_token": csrf_token,
        "category": leg.service.category,
        "lawful_proof": lawful_residence_required(leg.appointment.client),
        "required": record_required(leg),
    }
