"""The URL-map walker used by tests/security/test_url_map.py: every route of the resolver, the
users of every role (and of another tenant), realistic URL arguments from the demo data."""

import io
import re

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.views import APIView

from advice.models import HandlingOrganisation, Report, ReportAttachment
from advice.services.reports import handler_user_upsert
from core.roles import Role
from core.tokens import api_token_create
from counter.models import FeeLine, Invoice, ServiceRecord
from kiosk.models import KioskDevice
from kiosk.services.devices import device_pair, device_pairing_start
from scheduling.models import (
    Counter,
    Employer,
    GroupBooking,
    Leg,
    Location,
    Municipality,
    TicketBatch,
)
from scheduling.services.staff import staff_user_upsert
from settlement.models import Statement

ADMIN_PREFIX = "admin/"


def routes() -> list[tuple[str, str, object]]:
    """(route pattern, namespaced name, callback) for every route; the admin is one route."""
    out = [(ADMIN_PREFIX, "admin", None)]

    def walk(resolver, prefix, namespace):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                pattern = prefix + str(entry.pattern)
                if pattern == ADMIN_PREFIX:
                    continue
                ns = namespace
                if entry.namespace:
                    ns = f"{namespace}{entry.namespace}:"
                walk(entry, pattern, ns)
            elif isinstance(entry, URLPattern):
                out.append(
                    (prefix + str(entry.pattern), f"{namespace}{entry.name}", entry.callback)
                )

    walk(get_resolver(), "", "")
    return out


def method_for(callback) -> str:
    """GET, or POST for an API view that only takes POST."""
    cls = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if cls is not None and issubclass(cls, APIView):
        if not hasattr(cls, "get") and hasattr(cls, "post"):
            return "POST"
    return "GET"


ROLES = [
    "anonymous",
    "device",
    "coordinator",
    "receptionist",
    "officer",
    "employer",
    "municipality",
    "other_receptionist",
    "other_officer",
    "other_employer",
    "other_municipality",
    "handler",
    "other_handler",
]


def world() -> dict:
    """The demo data plus users of another tenant; returns users and URL arguments."""
    from django.contrib.auth import get_user_model

    call_command("seed_demo", stdout=io.StringIO())
    User = get_user_model()
    users = {name: User.objects.get(username=name) for name in ROLES[2:7]}
    home = users["receptionist"].bmip_profile.location
    employer = users["employer"].bmip_profile.employer
    municipality = users["municipality"].bmip_profile.municipality
    other_location = Location.objects.exclude(pk=home.pk).filter(kind=home.kind).first()
    other_employer = Employer.objects.exclude(pk=employer.pk).first()
    other_municipality = (
        Municipality.objects.exclude(pk=municipality.pk).filter(statements__isnull=False).first()
    )
    for name, role, tie in [
        ("other_receptionist", Role.RECEPTIONIST, {"location": other_location}),
        ("other_officer", Role.OFFICER, {"location": other_location}),
        ("other_employer", Role.EMPLOYER, {"employer": other_employer}),
        ("other_municipality", Role.MUNICIPALITY, {"municipality": other_municipality}),
    ]:
        users[name] = staff_user_upsert(username=name, password="pw-x-12345", role=role, **tie)
    # The demo's handler is in the intervention team, which receives the demo's reports; the
    # other handler is in the labour inspectorate.
    users["handler"] = User.objects.get(username="handler")
    users["other_handler"] = handler_user_upsert(
        username="other_handler",
        password="pw-x-12345",
        organisation=HandlingOrganisation.objects.get(code="labour-inspectorate"),
    )
    report = Report.objects.filter(organisation__members__user=users["handler"]).first()
    attachment = ReportAttachment(
        report=report, content_type="application/pdf", size=15, uploaded_at=report.created_at
    )
    attachment.file.save("1.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    users["anonymous"] = None
    users["device"] = None  # anonymous, with the cookie of a kiosk paired to the home desk
    device = KioskDevice.objects.create(location=home, name="URL-map kiosk")
    _device, device_secret = device_pair(code=device_pairing_start(device=device, actor=None))

    group = (
        GroupBooking.objects.filter(employer=employer, appointments__location=home)
        .distinct()
        .order_by("pk")
        .first()
    )
    appointment = group.appointments.filter(location=home).order_by("start").first()
    record = ServiceRecord.objects.filter(leg__appointment__location=home).order_by("pk").first()
    statement = Statement.objects.filter(municipality=municipality).order_by("pk").first()
    batch = TicketBatch.objects.filter(group_booking=group).first()
    kwargs = {
        "reference": group.reference,
        "booking_code": appointment.booking_code,
        "code": appointment.booking_code,
        "counter_id": Counter.objects.filter(location=home).order_by("pk").first().pk,
        "slug": home.slug,
        "location": home.slug,
        "leg_id": Leg.objects.filter(appointment__location=home).order_by("pk").first().pk,
        "appointment_id": appointment.pk,
        "token": employer.calendar_feed_token,
        "batch_id": batch.pk if batch else 1,
        "label": statement.period.label,
        "cbs_code": municipality.cbs_code,
        "action": "call-next",
        "lang": "uk",
        "page": "report",  # a kiosk page of another app (KIOSK_PAGE_HOOKS): advice's report form
        "attachment_id": attachment.pk,
        "key": "brp_rni_share",
        "token_id": api_token_create(user=users["employer"], name="URL-map HR")[0].pk,
        "ticket_id": _walk_in_ticket(home).pk,
        **_waitlist_kwargs(employer),
        **_activity_kwargs(employer),
    }
    pks = {
        "record": record.pk if record else 1,
        "fee": (FeeLine.objects.filter(payer_employer=employer).first() or FeeLine(pk=1)).pk,
        "invoice": (Invoice.objects.filter(employer=employer).first() or Invoice(pk=1)).pk,
        "statement": statement.pk,
        "visit": appointment.pk,
        "report": report.pk,
        "funded": _funded_service(appointment).pk,
    }
    return {
        "users": users,
        "kwargs": kwargs,
        "pks": pks,
        "home": home,
        "device_secret": device_secret,
    }


def _funded_service(appointment):
    """An extra service the government parties pay on the home visit (in the demo the
    employers pay): a one-day state-per-newcomer choice of the visit's day (the service costs
    0.00 under it) and its funded service, written directly: the walk needs only the row."""
    from decimal import Decimal

    from django.utils import timezone

    from counter.models import FinancingChoice, FinancingVariant, FundedService
    from scheduling.models import ServiceType

    day = timezone.localdate(appointment.start or appointment.created_at)
    choice = FinancingChoice.objects.create(
        region=appointment.location.region,
        variant=FinancingVariant.STATE_PER_NEWCOMER,
        valid_from=day,
        valid_to=day,
    )
    return FundedService.objects.create(
        appointment=appointment,
        service=ServiceType.objects.filter(kind="extra").order_by("pk").first(),
        financing=choice,
        amount=Decimal("0.00"),
        service_date=day,
    )


def _walk_in_ticket(home):
    """A walk-in number of the home desk (its reception slip)."""
    from kiosk.models import WalkInPolicy
    from kiosk.services.tickets import walk_in_issue

    policy = WalkInPolicy.objects.filter(location=home, is_active=True).order_by("pk").first()
    return walk_in_issue(location=home, services=[policy.service], actor=None)


def _waitlist_kwargs(employer) -> dict:
    """The demo employer's waiting group and its offer link (no offer made yet)."""
    from scheduling.models import WaitlistEntry
    from scheduling.waitlist.tokens import offer_token

    entry = WaitlistEntry.objects.filter(employer=employer).order_by("pk").first()
    return {"entry": entry.reference, "offer_token": offer_token(entry)}


def _activity_kwargs(employer) -> dict:
    from activities.models import Registration

    registration = Registration.objects.filter(employer=employer).order_by("pk").first()
    return {
        "session_id": registration.session_id,
        "registration": registration.reference,
        "participant_id": registration.participants.order_by("pk").first().pk,
    }


PARAM = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>")


def url_for(pattern: str, name: str, data: dict) -> str:
    """The route with realistic arguments filled in (through ``reverse``)."""
    kwargs, pks = data["kwargs"], data["pks"]
    values = {}
    for match in PARAM.finditer(pattern):
        key = match.group(1) or match.group(2)
        if key == "pk":
            values[key] = pk_for(name, pks)
        elif key == "fmt":
            values[key] = "csv" if "roster" in name or "statistics" in name else "pdf"
        else:
            values[key] = kwargs[key]
    return reverse(name, kwargs=values)


def pk_for(name: str, pks: dict) -> int:
    if name.startswith(("advice:report", "api-report")):
        return pks["report"]
    if "funded" in name:
        return pks["funded"]
    if "record" in name:
        return pks["record"]
    if "fee" in name and "visit" not in name:
        return pks["fee"]
    if "invoice" in name:
        return pks["invoice"]
    if "statement" in name or "payment" in name:
        return pks["statement"]
    return pks["visit"]


def request(client, method: str, url: str) -> int:  # noqa: D103
    """One request; a POST's effects are rolled back so every role meets the same data."""
    with transaction.atomic():
        if method == "POST":
            response = client.post(url, {}, content_type="application/json")
        else:
            response = client.get(url)
        transaction.set_rollback(True)
    return response.status_code


def observe(client, data) -> dict[str, dict]:
    """Per route: its URL, the method used and the status each role gets."""
    table = {}
    coordinator = data["users"]["coordinator"]
    for pattern, name, callback in routes():
        method = "GET" if callback is None else method_for(callback)
        url = "/admin/" if callback is None else url_for(pattern, name, data)
        if method == "GET":  # a form-post page (require_POST) is walked with POST
            client.force_login(coordinator)
            if request(client, "GET", url) == 405:
                method = "POST"
        row = {}
        for role in ROLES:
            user = data["users"][role]
            client.logout()
            client.cookies.pop(settings.KIOSK_DEVICE_COOKIE, None)
            if role == "device":
                client.cookies[settings.KIOSK_DEVICE_COOKIE] = data["device_secret"]
            if user is not None:
                client.force_login(user)
            row[role] = request(client, method, url)
        table[name] = {"url": url, "method": method, **row}
    client.logout()
    client.cookies.pop(settings.KIOSK_DEVICE_COOKIE, None)
    return table
