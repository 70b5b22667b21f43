"""Demo data of the counter app (settings.DEMO_SEEDERS): default tariffs, the invoice
schedule, records and fees for the demo's completed visits, and an issued invoice for last
month. Idempotent: records, fees and invoices are only added where missing."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from counter.constants import InsuranceResult, Outcome
from counter.models import FeeLine, InvoiceIssuer, ServiceRecord, VisitClosure
from counter.services.fees import fee_line_add, visit_close
from counter.services.invoices import invoice_run, previous_month
from counter.services.records import service_record_create
from counter.services.setup import counter_setup
from scheduling.constants import AppointmentStatus, GroupBookingStatus, LegState, ServiceCategory
from scheduling.models import (
    Appointment,
    Client,
    Employer,
    GroupBooking,
    Leg,
    Location,
    ServiceType,
)

AMS = ZoneInfo("Europe/Amsterdam")
DEMO_PROOF = "IND residence document (demo)"
HISTORY_PO = "PO-DEMO-{:%Y%m}"


def _record_leg(leg: Leg) -> None:
    category = leg.service.category
    facts = {}
    if category in (ServiceCategory.REGISTRATION_BRP, ServiceCategory.REGISTRATION_RNI):
        facts = {
            "registration_date": timezone.localtime(leg.start).date(),
            "bsn_issued": True,
            "lawful_residence_proof": DEMO_PROOF,
        }
    elif category == ServiceCategory.HEALTH_INSURANCE:
        facts = {"insurance_result": InsuranceResult.SIGNED_UP}
    service_record_create(leg=leg, outcome=Outcome.COMPLETED, actor=None, **facts)


def _complete_visit(
    appointment: Appointment, welcome: ServiceType, *, charged_at: dt.datetime | None = None
) -> None:
    for leg in appointment.legs.select_related("service").filter(state=LegState.DONE):
        if not ServiceRecord.objects.filter(leg=leg, voided_at__isnull=True).exists():
            _record_leg(leg)
    if not FeeLine.objects.filter(appointment=appointment).exists():
        fee_line_add(appointment=appointment, service=welcome, actor=None, now=charged_at)
    if not VisitClosure.objects.filter(appointment=appointment).exists():
        visit_close(appointment=appointment, actor=None)


def _history_visit(employer: Employer, location: Location, day: dt.date) -> Appointment:
    """A completed visit last month (the demo week has none) so last month has an invoice."""
    group, _ = GroupBooking.objects.get_or_create(
        employer=employer,
        po_reference=HISTORY_PO.format(day),
        defaults=dict(
            status=GroupBookingStatus.CONFIRMED,
            location=location,
            date_from=day,
            date_to=day,
        ),
    )
    appointment = group.appointments.first()
    if appointment is not None:
        return appointment
    worker = Client.objects.filter(employer=employer).order_by("pk").first()
    start = dt.datetime.combine(day, dt.time(10), AMS)
    codes = ["brp", "zvw"]
    legs, cursor = [], start
    for code in codes:
        service = ServiceType.objects.get(code=code)
        end = cursor + dt.timedelta(minutes=service.duration_minutes)
        counter = location.counters.filter(services=service).first()
        legs.append((service, counter, cursor, end))
        cursor = end + dt.timedelta(minutes=5)
    appointment = Appointment.objects.create(
        client=worker,
        location=location,
        group_booking=group,
        status=AppointmentStatus.COMPLETED,
        start=legs[0][2],
        end=legs[-1][3],
    )
    Leg.objects.bulk_create(
        Leg(
            appointment=appointment,
            position=i,
            service=s,
            counter=c,
            start=a,
            end=b,
            state=LegState.DONE,
            served_counter=c,
            started_at=a,
            finished_at=b,
        )
        for i, (s, c, a, b) in enumerate(legs, start=1)
    )
    return appointment


# The demo's invoicing organisation; the IBAN is the well-known example IBAN of ABN AMRO and
# the VAT number the Dutch tax office's test number: never a real account.
DEMO_ISSUER = dict(
    legal_name="Stichting BMIP Brabant (demo)",
    address="Claudius Prinsenlaan 10\n4811 DJ Breda",
    kvk_number="12345678",
    vat_number="NL000099998B57",
    iban="NL91ABNA0417164300",
    bic="ABNANL2A",
    payment_term_days=30,
)


@transaction.atomic
def counter_demo_seed():
    counter_setup()
    if not InvoiceIssuer.objects.exists():
        InvoiceIssuer.objects.create(**DEMO_ISSUER)
    welcome = ServiceType.objects.get(code="welcome")
    completed = Appointment.objects.filter(
        status=AppointmentStatus.COMPLETED, client__employer__isnull=False
    ).select_related("client")
    for appointment in completed:
        _complete_visit(appointment, welcome)

    employer = Employer.objects.filter(kvk_number="23456781").first()  # the demo employer login
    location = Location.objects.filter(slug="breda").first()
    if employer is None or location is None or not Client.objects.filter(employer=employer):
        return None
    year, month = previous_month()
    day = dt.date(year, month, 15)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    history = _history_visit(employer, location, day)
    # The fee was charged on the visit day (the demo creates it afterwards).
    _complete_visit(history, welcome, charged_at=dt.datetime.combine(day, dt.time(12), AMS))
    invoice_run(year=year, month=month, actor=None)
    return None
