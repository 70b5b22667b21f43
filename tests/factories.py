"""Plain, deterministic builders for test data (no random values that change code paths).

Every builder takes keyword overrides. Places and services come from the shipped reference
data (``reference`` fixture) so tests speak of real municipalities and service codes.
"""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from scheduling.constants import (
    OCCUPYING_LEG_STATES,
    AppointmentStatus,
    LegState,
    LocationKind,
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
    ServiceType,
)
from scheduling.services.staff import staff_user_upsert

AMS = ZoneInfo("Europe/Amsterdam")
_seq = itertools.count(1)


def aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMS)


def municipality(cbs_code: str = "GM0758") -> Municipality:
    return Municipality.objects.get(cbs_code=cbs_code)


def service(code: str) -> ServiceType:
    return ServiceType.objects.get(code=code)


def location(
    *,
    slug: str | None = None,
    cbs_code: str = "GM0758",
    kind: str = LocationKind.DESK,
    is_rni_desk: bool = True,
    counters: dict[str, list[str]] | None = None,
    hours: tuple[int, int] = (9, 17),
    weekdays: range = range(5),
    **overrides,
) -> Location:
    """A desk (or bus) with opening hours and counters {name: [service codes]}."""
    muni = municipality(cbs_code)
    n = next(_seq)
    loc = Location.objects.create(
        name=overrides.pop("name", f"Desk {n}"),
        slug=slug or f"desk-{n}",
        kind=kind,
        municipality=muni,
        region=muni.region,
        address="Stationsplein 1",
        postcode="4811 BB",
        city=muni.name,
        is_rni_desk=is_rni_desk,
        **overrides,
    )
    if kind == LocationKind.DESK:
        for weekday in weekdays:
            OpeningHours.objects.create(
                location=loc, weekday=weekday, opens=dt.time(hours[0]), closes=dt.time(hours[1])
            )
    layout = (
        counters
        if counters is not None
        else {
            "Balie 1": ["brp", "rni", "welcome", "formhelp"],
            "Balie 2": ["zvw", "toeslagen"],
            "Balie 3": ["ind", "twv"],
        }
    )
    for name, codes in layout.items():
        counter = Counter.objects.create(location=loc, name=name)
        counter.services.set(ServiceType.objects.filter(code__in=codes))
    return loc


def bus_visit(*, bus: Location, date: dt.date, employer=None, hours=(10, 15)) -> BusVisit:
    visit = BusVisit.objects.create(
        location=bus,
        date=date,
        site_name="Distribution centre",
        address="Havenweg 1, Moerdijk",
        employer=employer,
        opens=dt.time(hours[0]),
        closes=dt.time(hours[1]),
    )
    visit.counters.set(bus.counters.all())
    return visit


def employer(**overrides) -> Employer:
    n = next(_seq)
    defaults = dict(
        name=f"Employer {n} B.V.",
        kvk_number=f"{10000000 + n:08d}",
        contact_name="HR",
        contact_email=f"hr{n}@employer.example",
        billing_email=f"billing{n}@employer.example",
    )
    defaults.update(overrides)
    return Employer.objects.create(**defaults)


def client(**overrides) -> Client:
    defaults = dict(
        first_name="Piotr",
        last_name="Kowalski",
        birth_date=dt.date(1990, 5, 17),
        nationality="PL",
        language="pl",
        expected_stay_months=12,
    )
    defaults.update(overrides)
    if "municipality_of_residence" not in defaults:
        defaults["municipality_of_residence"] = municipality("GM0826")  # Oosterhout
    return Client.objects.create(**defaults)


def appointment(
    *,
    loc: Location,
    start: dt.datetime,
    codes: list[str] = ("brp", "zvw"),
    cl: Client | None = None,
    status: str = AppointmentStatus.BOOKED,
    buffer_minutes: int | None = None,
    **overrides,
) -> Appointment:
    """An appointment whose legs follow each other, each on the first counter able to do it.

    Like the real booking engine (and PostgreSQL's exclusion constraint), it never puts two
    active legs on one counter at once: a busy counter gives way to another able counter
    that is free, else the leg moves to when the first counter is free again.
    """
    cl = cl or client()
    buffer = dt.timedelta(
        minutes=loc.transfer_buffer_minutes if buffer_minutes is None else buffer_minutes
    )
    occupying = status != AppointmentStatus.CANCELLED
    legs, cursor = [], start
    for code in codes:
        svc = service(code)
        duration = dt.timedelta(minutes=svc.duration_minutes)
        able = list(loc.counters.filter(services=svc).order_by("name"))
        counter = able[0] if able else None
        while occupying and able:
            free = [c for c in able if not _busy(c, cursor, cursor + duration)]
            if free:
                counter = free[0]
                break
            cursor = _busy(able[0], cursor, cursor + duration).end
        legs.append((svc, counter, cursor, cursor + duration))
        cursor = cursor + duration + buffer
    appt = Appointment.objects.create(
        client=cl, location=loc, status=status, start=legs[0][2], end=legs[-1][3], **overrides
    )
    leg_state = LegState.CANCELLED if status == AppointmentStatus.CANCELLED else LegState.PLANNED
    Leg.objects.bulk_create(
        Leg(appointment=appt, position=i + 1, service=s, counter=c, start=a, end=b, state=leg_state)
        for i, (s, c, a, b) in enumerate(legs)
    )
    return appt


def _busy(counter: Counter, start: dt.datetime, end: dt.datetime) -> Leg | None:
    return (
        Leg.objects.filter(
            counter=counter, state__in=OCCUPYING_LEG_STATES, start__lt=end, end__gt=start
        )
        .order_by("-end")
        .first()
    )


def user(role: str, *, username: str | None = None, **tie):
    return staff_user_upsert(
        username=username or f"{role}{next(_seq)}", password="pw-test-123", role=role, **tie
    )


def plain_user(username: str = "nobody"):
    return get_user_model().objects.create_user(username=username, password="pw-test-123")


def kiosk_device(location, *, name: str = "Kiosk 1") -> str:
    """A kiosk device paired to ``location``; returns its secret (cookie / X-Kiosk-Device)."""
    from kiosk.models import KioskDevice
    from kiosk.services.devices import device_pair, device_pairing_start

    device = KioskDevice.objects.create(location=location, name=name)
    _device, secret = device_pair(code=device_pairing_start(device=device, actor=None))
    return secret


def pair_client(client, location) -> str:
    """Make the test client a paired kiosk of ``location`` (sets the device cookie)."""
    from django.conf import settings

    secret = kiosk_device(location)
    client.cookies[settings.KIOSK_DEVICE_COOKIE] = secret
    return secret


def government_split(region):
    """From 2000 on, the government parties of ``region`` pay its extra services (split by the
    client's municipality of residence: no population figures needed)."""
    from counter.models import FinancingVariant, MunicipalBasis
    from counter.services.financing import financing_choice_create

    return financing_choice_create(
        region=region,
        variant=FinancingVariant.GOVERNMENT_SPLIT,
        municipal_basis=MunicipalBasis.RESIDENCE,
        valid_from=dt.date(2000, 1, 1),
        actor=None,
    )


def visit_with_both_fee_tables(*, desk: Location, officer, start: dt.datetime) -> Appointment:
    """A group visit at ``start`` with one extra service the employer pays (charged before the
    region chose a government variant) and one the government parties pay (charged after)."""
    from counter.services.fees import fee_line_add

    group = GroupBooking.objects.create(
        employer=employer(), date_from=start.date(), date_to=start.date()
    )
    visit = appointment(
        loc=desk, start=start, codes=["brp", "welcome", "formhelp"], group_booking=group
    )
    fee_line_add(appointment=visit, service=service("formhelp"), actor=officer)
    government_split(desk.region)
    fee_line_add(appointment=visit, service=service("welcome"), actor=officer)
    return visit


def demo_waitlist_offer(*, group_size: int = 1):
    """On the demo data (``seed_demo``): the demo employer joins the waitlist for the demo
    officer's desk a week ahead and gets an offer. Returns (employer user, desk, first day,
    the offered entry)."""
    from django.utils import timezone

    from core.roles import user_employer, user_location
    from scheduling.waitlist.services import waitlist_join, waitlist_offers_make

    users = get_user_model().objects
    employer = users.get(username="employer")
    desk = user_location(users.get(username="officer"))
    start = timezone.localdate() + dt.timedelta(days=7)
    entry = waitlist_join(
        employer=user_employer(employer),
        actor=employer,
        location=desk,
        date_from=start,
        date_to=start + dt.timedelta(days=6),
        group_size=group_size,
        services=list(ServiceType.objects.filter(code="brp")),
    )
    waitlist_offers_make()
    entry.refresh_from_db()
    return employer, desk, start, entry
