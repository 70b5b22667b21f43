"""Demo settlements (settings.DEMO_SEEDERS): tariff, population, records, lines, a statement.

Idempotent:
- the default tariff only when no tariff exists;
- demo population figures (this year) only for municipalities without any figure, listed in
  an audit entry ``population.demo_seed`` so they can be told apart from imported CBS data;
- a ServiceRecord only for a completed BRP/RNI leg that has none yet (the counter
  back-office normally writes it), with its settlement line through the real hook;
- a handful of registrations last month (one by a resident of the demo municipality, whose
  login then sees a statement) and last month's statements issued, only when last month's
  period is still open and the demo municipality has no line in it yet. Other lines may be
  there already whatever the day (the counter demo's history visit, the demo week's past days
  when they fall in last month): they do not stand in for the demo municipality's.
"""

import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from stdnum import iban as stdnum_iban

from core.audit import audit_log
from core.exceptions import DomainError
from counter.constants import Outcome, RegistrationKind
from counter.models import ServiceRecord
from scheduling.constants import (
    REGISTRATION_CATEGORIES,
    AppointmentStatus,
    LegState,
    LocationKind,
    ServiceCategory,
)
from scheduling.models import (
    Appointment,
    Client,
    Leg,
    Location,
    Municipality,
    PopulationFigure,
    ServiceType,
)
from scheduling.services.demo import DEMO_MUNICIPALITY
from settlement.models import MunicipalityPaymentDetails, SettlementLine
from settlement.services.config import settlement_defaults_ensure
from settlement.services.issue import settlement_period_issue
from settlement.services.lines import settlement_lines_for_registration
from settlement.services.periods import period_bounds, period_ensure

logger = logging.getLogger(__name__)

# Rounded demo figures for the five core municipalities; others get a plausible size.
DEMO_POPULATION = {
    "GM0772": 243_000,
    "GM0855": 227_000,
    "GM0758": 186_000,
    "GM0796": 160_000,
    "GM0794": 94_000,
}


def demo_bsn(seed: int) -> str:
    """A well-formed (eleven-test) demo BSN; only stored when BSN_LEGAL_BASIS is on."""
    base = 100_000_000 + (seed * 7919) % 800_000_00
    while True:
        digits = [int(c) for c in f"{base:08d}"[:8]]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10 and digits[0] != 0:
            return "".join(map(str, digits)) + str(check)
        base += 1


def _population_ensure(year: int) -> list[str]:
    have = set(PopulationFigure.objects.values_list("municipality_id", flat=True))
    created = []
    for municipality in Municipality.objects.exclude(pk__in=have).order_by("cbs_code"):
        number = int(municipality.cbs_code[2:])
        population = DEMO_POPULATION.get(municipality.cbs_code, 15_000 + (number * 2_749) % 45_000)
        PopulationFigure.objects.create(municipality=municipality, year=year, population=population)
        created.append(municipality.cbs_code)
    if created:
        audit_log(
            actor=None,
            action="population.demo_seed",
            object_type="scheduling.populationfigure",
            object_id="*",
            demo=True,  # demo figures, not CBS data
            year=year,
            municipalities=created,
        )
    return created


def _record_for(leg: Leg) -> ServiceRecord:
    appointment = leg.appointment
    kind = (
        RegistrationKind.BRP
        if leg.service.category == ServiceCategory.REGISTRATION_BRP
        else RegistrationKind.RNI
    )
    when = leg.finished_at or leg.end or appointment.start
    bsn = demo_bsn(leg.pk) if settings.BSN_LEGAL_BASIS else ""
    return ServiceRecord.objects.create(
        leg=leg,
        outcome=Outcome.COMPLETED,
        registration_kind=kind,
        registration_date=timezone.localdate(when),
        residence_municipality=appointment.client.municipality_of_residence,
        performing_municipality=appointment.location.municipality,
        bsn_issued=True,
        bsn=bsn,
    )


def _records_ensure() -> int:
    legs = (
        Leg.objects.filter(
            state=LegState.DONE,
            service__category__in=REGISTRATION_CATEGORIES,
            service_records__isnull=True,
        )
        .exclude(appointment__client__municipality_of_residence__isnull=True)
        .select_related("service", "appointment__client", "appointment__location")
    )
    count = 0
    for leg in legs:
        record = _record_for(leg)
        settlement_lines_for_registration(record=record, actor=None)
        count += 1
    return count


def _demo_resident() -> Client | None:
    """The first demo client living in the demo municipality (the demo municipality login's)."""
    return (
        Client.objects.filter(municipality_of_residence__cbs_code=DEMO_MUNICIPALITY)
        .order_by("pk")
        .first()
    )


def _history_wanted(period) -> bool:
    """Last month's demo history is laid out while the period is open and the demo
    municipality has no line in it (without a demo resident: while it has no line at all)."""
    if not period.is_open:
        return False
    lines = SettlementLine.objects.filter(period=period)
    resident = _demo_resident()
    if resident is not None:
        municipality = resident.municipality_of_residence_id
        lines = lines.filter(Q(payer_id=municipality) | Q(payee_id=municipality))
    return not lines.exists()


def _last_month_history(start: dt.date, end: dt.date) -> int:
    """A few completed registration visits last month at each desk (demo clients), one of
    them by a resident of the demo municipality."""
    desks = list(Location.objects.filter(kind=LocationKind.DESK).order_by("pk")[:5])
    clients = list(
        Client.objects.exclude(municipality_of_residence__isnull=True).order_by("pk")[:12]
    )
    resident = _demo_resident()
    if resident is not None and resident not in clients:
        clients.append(resident)
    services = {
        s.category: s for s in ServiceType.objects.filter(category__in=REGISTRATION_CATEGORIES)
    }
    if not desks or not clients or ServiceCategory.REGISTRATION_BRP not in services:
        return 0
    tz = timezone.get_current_timezone()
    created = 0
    for index, client in enumerate(clients):
        desk = desks[index % len(desks)]
        day = start + dt.timedelta(days=(3 + 2 * index) % ((end - start).days + 1))
        begin = dt.datetime.combine(day, dt.time(9, 0), tz) + dt.timedelta(minutes=20 * index)
        finish = begin + dt.timedelta(minutes=15)
        appointment = Appointment.objects.create(
            client=client,
            location=desk,
            status=AppointmentStatus.COMPLETED,
            start=begin,
            end=finish,
        )
        counter = desk.counters.filter(services=services[ServiceCategory.REGISTRATION_BRP]).first()
        leg = Leg.objects.create(
            appointment=appointment,
            position=1,
            service=services[ServiceCategory.REGISTRATION_BRP],
            counter=counter,
            served_counter=counter,
            start=begin,
            end=finish,
            state=LegState.DONE,
            started_at=begin,
            finished_at=finish,
        )
        record = _record_for(leg)
        settlement_lines_for_registration(record=record, actor=None)
        created += 1
    return created


DEMO_STATEMENT_ISSUER = "GM0758"  # Breda, the core municipality of the demo's main desk


def demo_iban(municipality: Municipality) -> str:
    """A well-formed (mod 97) demo IBAN at BNG Bank, from the CBS code: never a real account."""
    bban = f"BNGH{int(municipality.cbs_code[2:]):010d}"
    return f"NL{stdnum_iban.calc_check_digits('NL00' + bban)}{bban}"


def _payment_details_ensure() -> None:
    """Payment details for every municipality without them (demo IBANs, 30 days); Breda
    issues the statements (unless another municipality already does)."""
    have = set(MunicipalityPaymentDetails.objects.values_list("municipality_id", flat=True))
    has_issuer = MunicipalityPaymentDetails.objects.filter(issues_statements=True).exists()
    for municipality in Municipality.objects.exclude(pk__in=have).order_by("cbs_code"):
        issuer = not has_issuer and municipality.cbs_code == DEMO_STATEMENT_ISSUER
        MunicipalityPaymentDetails.objects.create(
            municipality=municipality,
            legal_name=f"Gemeente {municipality.name}",
            address=f"Postbus {int(municipality.cbs_code[2:])}\n{municipality.name} (demo)",
            iban=demo_iban(municipality),
            bic="BNGHNL2G",
            payment_term_days=30,
            issues_statements=issuer,
        )


@transaction.atomic
def settlement_demo_seed(*, today: dt.date | None = None):
    today = today or timezone.localdate()
    settlement_defaults_ensure()
    _payment_details_ensure()
    _population_ensure(today.year)
    for municipality in Municipality.objects.filter(finance_email=""):
        municipality.finance_email = f"financien.{municipality.cbs_code.lower()}@gemeente.example"
        municipality.save(update_fields=["finance_email"])
    _records_ensure()
    last = period_bounds(period_bounds(today).start - dt.timedelta(days=1))
    period = period_ensure(last.start)
    if _history_wanted(period):
        _last_month_history(last.start, last.end)
    if period.is_open and SettlementLine.objects.filter(period=period).exists():
        try:
            with transaction.atomic():
                settlement_period_issue(period=period, actor=None, today=today)
        except DomainError as exc:
            logger.warning("Demo: period %s not issued: %s", period.label, exc)
    return None
