"""Realistic demo data: five desks, the bus, services, employers, workers, a week of visits.

Idempotent: places, users and employers are found by natural keys; visits are only laid
out for a demo employer that has none yet.
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from core.calendar import working_days_from
from core.roles import Role
from scheduling.constants import (
    AppointmentStatus,
    GroupBookingStatus,
    LegState,
    LocationKind,
    ServiceCategory,
)
from scheduling.models import (
    Appointment,
    BusVisit,
    Client,
    Counter,
    Employer,
    GroupBooking,
    Leg,
    Location,
    Municipality,
    OpeningHours,
)
from scheduling.services.catalog import service_catalog_ensure
from scheduling.services.reference import reference_load
from scheduling.services.staff import staff_user_upsert

AMS = ZoneInfo("Europe/Amsterdam")
DEMO_PASSWORD = "demo1234"  # noqa: S105 - printed demo credentials, demo database only
# The demo municipality login's municipality (Oosterhout): no desk of its own, its residents
# register at the desks; settlement's demo gives it a statement for last month on any day.
DEMO_MUNICIPALITY = "GM0826"

DESKS = [
    # slug, name, core municipality, address, postcode, city, rni
    (
        "breda",
        "BMIP West-Brabant (Breda)",
        "GM0758",
        "Claudius Prinsenlaan 10",
        "4811 DJ",
        "Breda",
        True,
    ),
    (
        "tilburg",
        "BMIP Midden-Brabant (Tilburg)",
        "GM0855",
        "Stadhuisplein 130",
        "5038 TC",
        "Tilburg",
        False,
    ),
    (
        "den-bosch",
        "BMIP Noordoost-Brabant ('s-Hertogenbosch)",
        "GM0796",
        "Wolvenhoek 1",
        "5211 HH",
        "'s-Hertogenbosch",
        False,
    ),
    (
        "eindhoven",
        "BMIP Zuidoost-Brabant (Eindhoven)",
        "GM0772",
        "Stadhuisplein 10",
        "5611 EM",
        "Eindhoven",
        True,
    ),
    (
        "helmond",
        "BMIP Helmond-De Peel (Helmond)",
        "GM0794",
        "Weg op den Heuvel 35",
        "5701 NV",
        "Helmond",
        False,
    ),
]

# Counter name -> service codes it can do (RNI only where the desk is an RNI desk).
COUNTER_LAYOUT = {
    "Balie 1": ["brp", "rni", "welcome"],
    "Balie 2": ["brp", "rni", "formhelp"],
    "Balie 3": ["zvw", "toeslagen", "formhelp"],
    "Balie 4": ["ind", "twv", "welcome"],
}
BUS_COUNTERS = {"Bus 1": ["brp", "welcome"], "Bus 2": ["zvw", "ind", "twv", "formhelp"]}

EMPLOYERS = [
    ("12345678", "Brabant Agri Flex B.V.", "Anna de Vries", "planning@agriflex.example", "Tilburg"),
    ("23456781", "Logistiek Moerdijk B.V.", "Jan Bakker", "hr@logistiek-moerdijk.example", "Breda"),
    (
        "34567812",
        "Kempen Food Processing B.V.",
        "Els Janssen",
        "hr@kempenfood.example",
        "Eindhoven",
    ),
]

WORKERS = [
    # first, last, nationality, language, stay months, residence CBS, interpreter
    ("Piotr", "Kowalski", "PL", "pl", 12, "GM1709", False),  # Moerdijk
    ("Agnieszka", "Nowak", "PL", "pl", 6, "GM0826", False),  # Oosterhout
    ("Andrei", "Popescu", "RO", "ro", 3, "GM0758", False),  # Breda, short stay: RNI
    ("Maria", "Ionescu", "RO", "ro", 9, "GM0784", True),  # Gilze en Rijen
    ("Georgi", "Petrov", "BG", "bg", 8, "GM0855", False),  # Tilburg
    ("Ivana", "Dimitrova", "BG", "bg", 2, "GM0772", False),  # Eindhoven, RNI
    ("László", "Nagy", "HU", "hu", 10, "GM0785", False),  # Goirle
    ("Olena", "Shevchenko", "UA", "uk", 2, "GM0794", False),  # Helmond, temporary protection
    ("Tomasz", "Wiśniewski", "PL", "pl", 5, "GM0861", False),  # Veldhoven
    ("Ramón", "García", "ES", "es", 7, "GM0796", False),  # 's-Hertogenbosch
    ("Nguyen", "Van An", "VN", "en", 24, "GM0855", False),  # non-EU: IND + TWV
    ("Ewa", "Zielińska", "PL", "pl", 12, "GM0855", False),
]


@dataclass
class DemoResult:
    created_appointments: int = 0
    logins: list[tuple[str, str, str]] = field(default_factory=list)


def package_codes(client: Client) -> list[str]:
    """The package rule's proposal for a demo worker, as service codes."""
    from scheduling.services.package import package_propose

    return [s.code for s in package_propose(client=client)]


@transaction.atomic
def demo_seed() -> DemoResult:
    result = DemoResult()
    reference_load()
    services = service_catalog_ensure()
    munis = {m.cbs_code: m for m in Municipality.objects.select_related("region")}

    locations = _desks_ensure(munis, services)
    bus, bus_counters = _bus_ensure(munis, services)
    employers = _employers_ensure()
    today = timezone.localdate()
    days = working_days_from(today - dt.timedelta(days=2), 7)
    _bus_visits_ensure(bus, bus_counters, employers, days[3:6])

    if not Appointment.objects.filter(client__employer__in=employers).exists():
        result.created_appointments = _seed_visits(
            employers, locations, munis, services, days, today
        )

    _waitlist_ensure(employers[1], locations[0], services, days[-1])

    users = [
        ("coordinator", Role.COORDINATOR, {}),
        ("receptionist", Role.RECEPTIONIST, {"location": locations[0]}),
        ("officer", Role.OFFICER, {"location": locations[0]}),
        ("employer", Role.EMPLOYER, {"employer": employers[1]}),
        ("municipality", Role.MUNICIPALITY, {"municipality": munis[DEMO_MUNICIPALITY]}),
    ]
    for username, role, tie in users:
        staff_user_upsert(username=username, password=DEMO_PASSWORD, role=role, **tie)
        scope = next(iter(tie.values()), None)
        result.logins.append(
            (username, DEMO_PASSWORD, f"{role.label}" + (f" ({scope})" if scope else ""))
        )
    return result


def _seed_visits(employers, locations, munis, services, days, today) -> int:
    counters_by_location = {
        loc.pk: list(loc.counters.prefetch_related("services")) for loc in locations
    }
    created = 0
    worker_index = 0
    # Employers take turns per day and desk, anchored on today: whatever the weekday, the demo
    # employer (employers[1]) has today's group at the first desk (the demo receptionist's).
    today_index = days.index(today) if today in days else 1
    for day_index, visit_day in enumerate(days):
        for loc_index, location in enumerate(locations):
            employer = employers[(day_index - today_index + 1 + loc_index) % len(employers)]
            counters = counters_by_location[location.pk]
            free_at = {c.pk: dt.datetime.combine(visit_day, dt.time(9), AMS) for c in counters}
            group = GroupBooking.objects.create(
                employer=employer,
                status=GroupBookingStatus.CONFIRMED,
                location=location,
                date_from=visit_day,
                date_to=visit_day,
                po_reference=f"PO-{visit_day:%Y%m%d}-{loc_index + 1}",
            )
            clients = []
            for slot in range(4):
                spec = WORKERS[worker_index % len(WORKERS)]
                worker_index += 1
                first, last, nat, lang, stay, residence, interp = spec
                client = Client.objects.create(
                    first_name=first,
                    last_name=last,
                    birth_date=dt.date(
                        1985 + worker_index % 15, 1 + worker_index % 12, 1 + worker_index % 27
                    ),
                    nationality=nat,
                    language=lang,
                    interpreter_needed=interp,
                    expected_stay_months=stay,
                    temporary_protection=(nat == "UA"),
                    municipality_of_residence=munis[residence],
                    employer=employer,
                )
                codes = package_codes(client)
                if "rni" in codes and not location.is_rni_desk:
                    codes[0] = "brp"
                    client.expected_stay_months = 4
                    client.save(update_fields=["expected_stay_months"])
                clients.append((slot, client, codes))
            if visit_day > today:
                # Future visits go through the real engine: plan the group, book it at once.
                created += _book_future_group(location, visit_day, group, clients, services)
                continue
            for slot, client, codes in clients:
                cursor = dt.datetime.combine(visit_day, dt.time(9), AMS) + dt.timedelta(
                    minutes=20 * slot
                )
                planned = []
                for code in codes:
                    service = services[code]
                    able = [c for c in counters if service in c.services.all()]
                    counter = min(able, key=lambda c: max(free_at[c.pk], cursor))
                    start = max(free_at[counter.pk], cursor)
                    end = start + dt.timedelta(minutes=service.duration_minutes)
                    free_at[counter.pk] = end
                    planned.append((service, counter, start, end))
                    cursor = end + dt.timedelta(minutes=location.transfer_buffer_minutes)
                status, leg_state = _demo_state(visit_day, today, slot)
                appointment = Appointment.objects.create(
                    client=client,
                    location=location,
                    group_booking=group,
                    status=status,
                    start=planned[0][2],
                    end=planned[-1][3],
                )
                Leg.objects.bulk_create(
                    Leg(
                        appointment=appointment,
                        position=i + 1,
                        service=s,
                        counter=c,
                        start=a,
                        end=b,
                        state=leg_state,
                        served_counter=c if leg_state == LegState.DONE else None,
                        started_at=a if leg_state == LegState.DONE else None,
                        finished_at=b if leg_state == LegState.DONE else None,
                    )
                    for i, (s, c, a, b) in enumerate(planned)
                )
                created += 1
    return created


def _book_future_group(location, visit_day, group, clients, services) -> int:
    """Plan the day's workers with ``chains_plan`` and book them with the booking service
    (all or nothing); the last worker's visit is then cancelled, as happens in real life."""
    from scheduling.selectors.availability import ChainRequest, chains_plan
    from scheduling.services.booking import (
        BookingItem,
        appointment_cancel,
        appointments_book_many,
    )

    by_slot = {slot: client for slot, client, _codes in clients}
    plan = chains_plan(
        requests=[
            ChainRequest(slot, [services[c] for c in codes], client.interpreter_needed)
            for slot, client, codes in clients
        ],
        locations=[location],
        date_from=visit_day,
        date_to=visit_day,
        now=dt.datetime.combine(visit_day, dt.time(0), AMS),
        on_grid=False,
    )
    booked = appointments_book_many(
        items=[
            BookingItem(
                client=by_slot[chain.client_key],
                location=location,
                start=chain.start,
                services=[leg.service for leg in chain.legs],
            )
            for chain in plan
        ],
        actor=None,
        group_booking=group,
    )
    appointment_cancel(appointment=booked[-1], actor=None, reason="demo: plans changed")
    return len(booked)


def _demo_state(day: dt.date, today: dt.date, slot: int) -> tuple[str, str]:
    if day < today:
        if slot == 3:
            return AppointmentStatus.NO_SHOW, LegState.CANCELLED
        return AppointmentStatus.COMPLETED, LegState.DONE
    if day == today and slot == 0:
        return AppointmentStatus.CHECKED_IN, LegState.PLANNED
    if slot == 3 and day > today:
        return AppointmentStatus.CANCELLED, LegState.CANCELLED
    return AppointmentStatus.BOOKED, LegState.PLANNED


__all__ = ["demo_seed", "package_codes", "DEMO_PASSWORD", "DEMO_MUNICIPALITY", "ServiceCategory"]


def _desks_ensure(munis: dict, services: dict) -> list[Location]:
    locations = []
    for slug, name, code, address, postcode, city, rni in DESKS:
        muni = munis[code]
        location, created = Location.objects.get_or_create(
            slug=slug,
            defaults=dict(
                name=name,
                kind=LocationKind.DESK,
                municipality=muni,
                region=muni.region,
                address=address,
                postcode=postcode,
                city=city,
                is_rni_desk=rni,
            ),
        )
        if created:
            for weekday in range(5):
                OpeningHours.objects.create(
                    location=location, weekday=weekday, opens=dt.time(9), closes=dt.time(17)
                )
        for counter_name, codes in COUNTER_LAYOUT.items():
            counter, created = Counter.objects.get_or_create(location=location, name=counter_name)
            if created:
                counter.services.set(
                    [services[c] for c in codes if c != "rni" or location.is_rni_desk]
                )
        locations.append(location)

    return locations


def _bus_ensure(munis: dict, services: dict) -> tuple[Location, list[Counter]]:
    breda = munis["GM0758"]
    bus, _ = Location.objects.get_or_create(
        slug="bus",
        defaults=dict(
            name="BMIP Bus",
            kind=LocationKind.BUS,
            municipality=breda,
            region=breda.region,
            address="(mobile)",
            city="Noord-Brabant",
        ),
    )
    bus_counters = []
    for counter_name, codes in BUS_COUNTERS.items():
        counter, created = Counter.objects.get_or_create(location=bus, name=counter_name)
        if created:
            counter.services.set([services[c] for c in codes])
        bus_counters.append(counter)

    return bus, bus_counters


def _employers_ensure() -> list[Employer]:
    employers = []
    for kvk, name, contact, email, city in EMPLOYERS:
        employer, _ = Employer.objects.get_or_create(
            kvk_number=kvk,
            defaults=dict(
                name=name,
                contact_name=contact,
                contact_email=email,
                billing_email=email,
                address=f"Industrieweg 1, {city}",
            ),
        )
        employers.append(employer)

    return employers


def _bus_visits_ensure(bus: Location, bus_counters, employers, visit_days) -> None:
    for offset, visit_day in enumerate(visit_days):
        BusVisit.objects.get_or_create(
            location=bus,
            date=visit_day,
            defaults=dict(
                site_name=f"{employers[offset % 3].name} site",
                address=employers[offset % 3].address,
                employer=employers[offset % 3],
                opens=dt.time(10),
                closes=dt.time(15),
            ),
        )
    for visit in BusVisit.objects.filter(location=bus):
        if not visit.counters.exists():
            visit.counters.set(bus_counters)


def _waitlist_ensure(employer: Employer, location: Location, services: dict, day) -> None:
    """One group of the demo employer waiting for room at the first desk (docs/waitlist.md):
    the periodic offer round offers it places when some are free."""
    from scheduling.models import WaitlistEntry

    if WaitlistEntry.objects.filter(employer=employer).exists():
        return
    entry = WaitlistEntry.objects.create(
        employer=employer,
        location=location,
        date_from=day + dt.timedelta(days=7),
        date_to=day + dt.timedelta(days=14),
        group_size=8,
        joined_at=timezone.now(),
    )
    entry.services.set([services[code] for code in ("brp", "zvw") if code in services])
