"""A random code (booking code, group or waitlist reference) that is already taken is drawn again.

Codes are 8 symbols from 31 (``new_booking_code``): with years of appointments two of them
meet. The writer then gives the new row a fresh code instead of failing the booking. The tests
script the codes drawn: ``draws("AAAA...", ...)`` makes those the next codes, then random again.
"""

import datetime as dt

import pytest
from django.db import IntegrityError

from core.models import AuditLogEntry
from core.roles import Role
from scheduling.constants import AppointmentStatus
from scheduling.group_booking.services import group_booking_create
from scheduling.models import Appointment, GroupBooking, Leg, WaitlistEntry
from scheduling.models import appointments as appointments_module
from scheduling.models.appointments import BOOKING_CODE_ALPHABET, BOOKING_CODE_LENGTH
from scheduling.services.booking import BookingItem, appointment_book, appointments_book_many
from scheduling.services.codes import CODE_ATTEMPTS, insert_with_fresh_codes
from scheduling.services.walkins import appointment_create_walk_in
from scheduling.waitlist.services import waitlist_join
from tests import factories as f
from tests.factories import aware
from tests.scheduling.group_helpers import english, workers  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

TAKEN = "TAKENAAA"


@pytest.fixture
def draws(monkeypatch):
    """Script the next codes ``new_booking_code`` returns; after them it is random again."""
    script: list[str] = []
    real_random_code = appointments_module.random_code

    def random_code(alphabet, length):
        return script.pop(0) if script else real_random_code(alphabet, length)

    monkeypatch.setattr(appointments_module, "random_code", random_code)

    def scripted(*codes):
        assert all(len(code) == BOOKING_CODE_LENGTH for code in codes)
        script.extend(codes)

    scripted.left = lambda: len(script)
    return scripted


@pytest.fixture
def desk(reference):
    return f.location(
        counters={"Balie 1": ["brp", "rni"], "Balie 2": ["zvw"], "Balie 3": ["ind", "twv"]}
    )


def svc(*codes):
    return [f.service(c) for c in codes]


def item(desk, start):
    return BookingItem(client=f.client(), location=desk, start=start, services=svc("brp"))


def well_formed(code: str) -> bool:
    return len(code) == BOOKING_CODE_LENGTH and set(code) <= set(BOOKING_CODE_ALPHABET)


@pytest.fixture
def taken(desk, next_monday):
    """An existing appointment holding the code ``TAKEN``."""
    return f.appointment(loc=desk, start=aware(next_monday, 15), booking_code=TAKEN)


def _snapshot(appointment):
    appointment.refresh_from_db()
    legs = list(appointment.legs.order_by("position").values_list("counter_id", "start", "end"))
    return (appointment.booking_code, appointment.status, appointment.start, appointment.end, legs)


def test_book_one_draws_again_when_the_code_is_taken(desk, next_monday, taken, draws):
    before = _snapshot(taken)
    draws(TAKEN, "FRESHCDE")
    appt = appointment_book(
        client=f.client(),
        location=desk,
        start=aware(next_monday, 10),
        services=svc("brp", "zvw"),
        actor=None,
    )
    assert appt.booking_code == "FRESHCDE"
    appt.refresh_from_db()
    assert appt.booking_code == "FRESHCDE"
    assert appt.status == AppointmentStatus.BOOKED
    assert appt.start == aware(next_monday, 10)
    assert appt.legs.count() == 2
    assert AuditLogEntry.objects.filter(action="appointment.book").count() == 1
    assert Appointment.objects.count() == 2 and Leg.objects.count() == 4
    assert _snapshot(taken) == before


def test_book_many_draws_again_for_two_equal_codes_in_one_batch(desk, next_monday, draws):
    draws("TWNTWNAA", "TWNTWNAA", "FRESHCDE")
    booked = appointments_book_many(
        items=[item(desk, aware(next_monday, 10)), item(desk, aware(next_monday, 11))],
        actor=None,
    )
    codes = [a.booking_code for a in booked]
    assert sorted(codes) == ["FRESHCDE", "TWNTWNAA"]
    assert sorted(Appointment.objects.values_list("booking_code", flat=True)) == sorted(codes)
    assert [a.start for a in booked] == [aware(next_monday, 10), aware(next_monday, 11)]
    assert all(a.legs.count() == 1 for a in booked)
    assert AuditLogEntry.objects.filter(action="appointment.book").count() == 2


def test_book_many_draws_again_when_a_code_is_taken(desk, next_monday, taken, draws):
    before = _snapshot(taken)
    draws("MANYAAAA", TAKEN, "FRESHCDE")
    booked = appointments_book_many(
        items=[item(desk, aware(next_monday, 10)), item(desk, aware(next_monday, 11))],
        actor=None,
    )
    assert [a.booking_code for a in booked] == ["MANYAAAA", "FRESHCDE"]
    assert Appointment.objects.count() == 3 and Leg.objects.count() == 4
    assert _snapshot(taken) == before


def test_a_code_that_keeps_clashing_still_fails_and_writes_nothing(desk, next_monday, taken, draws):
    draws(*[TAKEN] * (CODE_ATTEMPTS + 1))
    before = (Appointment.objects.count(), Leg.objects.count(), AuditLogEntry.objects.count())
    with pytest.raises(IntegrityError):
        appointment_book(
            client=f.client(),
            location=desk,
            start=aware(next_monday, 10),
            services=svc("brp"),
            actor=None,
        )
    assert (Appointment.objects.count(), Leg.objects.count(), AuditLogEntry.objects.count()) == (
        before
    )


def test_other_integrity_errors_are_not_retried(desk, draws):
    """A row that fails for another reason (here: no client) fails at once, code untouched."""
    draws("NOCLNTAA", "UNUSEDAA")
    orphan = Appointment(location=desk)
    with pytest.raises(IntegrityError):
        insert_with_fresh_codes([orphan], field="booking_code")
    assert orphan.booking_code == "NOCLNTAA"
    assert draws.left() == 1


def test_walk_in_draws_again_when_the_code_is_taken(desk, taken, draws):
    draws(TAKEN, "WALKINAA")
    appt = appointment_create_walk_in(
        client=f.client(), location=desk, services=svc("brp"), actor=None
    )
    appt.refresh_from_db()
    assert appt.booking_code == "WALKINAA"
    assert appt.status == AppointmentStatus.CHECKED_IN
    assert appt.legs.count() == 1


def test_group_booking_reference_and_worker_codes_draw_again(desk, next_monday, taken, draws):
    employer = f.employer()
    GroupBooking.objects.create(
        employer=employer, reference="GRPTAKEN", date_from=next_monday, date_to=next_monday
    )
    draws("GRPTAKEN", "GRPFRESH", TAKEN, "WRKRTWNA", "WRKRTWNA", "WRKFRESH")
    group = group_booking_create(
        employer=employer,
        actor=f.user(Role.EMPLOYER, employer=employer),
        workers=workers(3),
        location=desk,
        date_from=next_monday,
        date_to=next_monday,
    )
    group.refresh_from_db()
    assert group.reference == "GRPFRESH"
    codes = sorted(group.appointments.values_list("booking_code", flat=True))
    assert len(codes) == 3 and len(set(codes)) == 3
    assert TAKEN not in codes and "WRKRTWNA" in codes
    assert all(well_formed(c) for c in codes)


def test_waitlist_reference_draws_again(waitlist_desk, next_monday, draws):
    employer = f.employer()
    values = dict(
        employer=employer,
        actor=None,
        location=waitlist_desk,
        date_from=next_monday + dt.timedelta(days=7),
        date_to=next_monday + dt.timedelta(days=7),
        group_size=1,
        services=[f.service("brp")],
    )
    first = waitlist_join(**values)
    draws(first.reference, "WAITFRSH")
    second = waitlist_join(**values)
    assert second.reference == "WAITFRSH"
    assert WaitlistEntry.objects.filter(reference="WAITFRSH").get() == second
