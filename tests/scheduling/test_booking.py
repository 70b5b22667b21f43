import datetime as dt

import pytest
from django.utils import timezone

from core.exceptions import Conflict, ValidationFailed
from core.models import AuditLogEntry
from scheduling.constants import AppointmentStatus, LegState, LocationKind
from scheduling.models import Appointment, Closure, Leg
from scheduling.selectors.availability import ChainRequest, availability_search, chains_plan
from scheduling.services.booking import (
    BookingItem,
    appointment_book,
    appointment_cancel,
    appointment_reschedule,
    appointments_book_many,
)
from tests import factories
from tests.factories import aware

pytestmark = pytest.mark.django_db


def svc(*codes):
    return [factories.service(c) for c in codes]


@pytest.fixture
def desk(reference):
    return factories.location(
        counters={"Balie 1": ["brp", "rni"], "Balie 2": ["zvw"], "Balie 3": ["ind", "twv"]}
    )


def book(desk, start, codes=("brp", "zvw"), client=None, **kw):
    return appointment_book(
        client=client or factories.client(),
        location=desk,
        start=start,
        services=svc(*codes),
        actor=None,
        **kw,
    )


def test_book_creates_chain_back_to_back_and_audits(desk, next_monday):
    appt = book(desk, aware(next_monday, 10), codes=("zvw", "brp", "ind"))
    legs = list(appt.legs.order_by("position"))
    # Visit order: registration, insurance, referrals.
    assert [leg.service.code for leg in legs] == ["brp", "zvw", "ind"]
    assert legs[0].start == aware(next_monday, 10)
    assert legs[1].start == legs[0].end + dt.timedelta(minutes=desk.transfer_buffer_minutes)
    assert appt.start == legs[0].start and appt.end == legs[-1].end
    assert appt.status == AppointmentStatus.BOOKED
    assert AuditLogEntry.objects.filter(action="appointment.book", object_id=str(appt.pk)).exists()


def test_interpreter_client_gets_longer_legs(desk, next_monday):
    client = factories.client(interpreter_needed=True)
    appt = book(desk, aware(next_monday, 10), codes=("brp",), client=client)
    leg = appt.legs.get()
    assert leg.end - leg.start == dt.timedelta(minutes=30)


def test_slot_taken_a_moment_ago_is_409_and_writes_nothing(desk, next_monday):
    book(desk, aware(next_monday, 10))
    before = (Appointment.objects.count(), Leg.objects.count(), AuditLogEntry.objects.count())
    with pytest.raises(Conflict) as err:
        book(desk, aware(next_monday, 10, 5))
    assert err.value.code == "slot_taken"
    assert err.value.http_status == 409
    after = (Appointment.objects.count(), Leg.objects.count(), AuditLogEntry.objects.count())
    assert before == after


@pytest.mark.parametrize(
    "start,code",
    [
        ((16, 45), "chain_does_not_fit"),  # would end after 17:00
        ((7, 0), "chain_does_not_fit"),  # before opening
    ],
)
def test_chain_that_does_not_fit(desk, next_monday, start, code):
    with pytest.raises(ValidationFailed) as err:
        book(desk, aware(next_monday, *start))
    assert err.value.code == code
    assert not Appointment.objects.exists()


def test_past_and_closed_days(desk, next_monday):
    with pytest.raises(ValidationFailed) as err:
        book(desk, timezone.now() - dt.timedelta(hours=1))
    assert err.value.code == "past_start"
    with pytest.raises(ValidationFailed) as err:
        book(desk, aware(next_monday - dt.timedelta(days=1), 10))  # Sunday
    assert err.value.code == "location_closed"
    Closure.objects.create(location=desk, date_from=next_monday, date_to=next_monday, reason="x")
    with pytest.raises(ValidationFailed) as err:
        book(desk, aware(next_monday, 10))
    assert err.value.code == "location_closed"
    with pytest.raises(ValidationFailed) as err:
        book(desk, dt.datetime(2040, 1, 2, 10))  # noqa: DTZ001 - naive on purpose
    assert err.value.code == "naive_datetime"
    assert not Appointment.objects.exists()


def test_package_errors_refused_at_booking(reference, next_monday):
    plain = factories.location(is_rni_desk=False)
    with pytest.raises(ValidationFailed) as err:
        book(
            plain,
            aware(next_monday, 10),
            codes=("rni",),
            client=factories.client(expected_stay_months=2),
        )
    assert err.value.code == "rni_not_offered_here"
    no_ind = factories.location(counters={"A": ["brp"]})
    with pytest.raises(ValidationFailed) as err:
        book(no_ind, aware(next_monday, 10), codes=("brp", "ind"))
    assert err.value.code == "service_not_offered"
    with pytest.raises(ValidationFailed) as err:
        book(no_ind, aware(next_monday, 10), codes=("brp", "rni"))
    assert err.value.code == "brp_and_rni"
    assert not Appointment.objects.exists()


def test_bus_booking_needs_a_matching_visit(reference, next_monday):
    bus = factories.location(
        kind=LocationKind.BUS, counters={"Bus 1": ["brp", "zvw"]}, is_rni_desk=False
    )
    visit = factories.bus_visit(bus=bus, date=next_monday)
    with pytest.raises(ValidationFailed) as err:
        book(bus, aware(next_monday, 10))
    assert err.value.code == "bus_visit_required"
    with pytest.raises(ValidationFailed) as err:
        book(bus, aware(next_monday + dt.timedelta(days=1), 10), bus_visit=visit)
    assert err.value.code == "bus_visit_mismatch"
    appt = book(bus, aware(next_monday, 10), bus_visit=visit)
    assert appt.bus_visit == visit
    with pytest.raises(ValidationFailed) as err:
        book(bus, aware(next_monday, 14, 45), bus_visit=visit)  # bus leaves at 15:00
    assert err.value.code == "chain_does_not_fit"


def test_cancel_frees_the_time_and_bumps_versions(desk, next_monday):
    appt = book(desk, aware(next_monday, 10))
    cancelled = appointment_cancel(appointment=appt, actor=None, reason="ill")
    assert cancelled.status == AppointmentStatus.CANCELLED
    assert cancelled.sequence == 1 and cancelled.token_version == 2
    assert set(cancelled.legs.values_list("state", flat=True)) == {LegState.CANCELLED}
    appointment_cancel(appointment=appt, actor=None)  # no-op
    appt.refresh_from_db()
    assert appt.sequence == 1
    assert book(desk, aware(next_monday, 10)).pk != appt.pk
    entry = AuditLogEntry.objects.get(action="appointment.cancel")
    assert entry.reason == "ill"


def test_cannot_cancel_a_completed_visit(desk, next_monday):
    appt = book(desk, aware(next_monday, 10))
    Appointment.objects.filter(pk=appt.pk).update(status=AppointmentStatus.COMPLETED)
    with pytest.raises(Conflict) as err:
        appointment_cancel(appointment=appt, actor=None)
    assert err.value.code == "not_cancellable"


def test_reschedule_moves_legs_and_ignores_own_old_time(desk, next_monday):
    appt = book(desk, aware(next_monday, 10))
    moved = appointment_reschedule(appointment=appt, start=aware(next_monday, 10, 15), actor=None)
    assert moved.start == aware(next_monday, 10, 15)
    assert moved.sequence == 1 and moved.token_version == 2
    legs = list(moved.legs.order_by("position"))
    assert legs[0].start == aware(next_monday, 10, 15)
    assert all(leg.state == LegState.PLANNED for leg in legs)
    other = book(desk, aware(next_monday, 11))
    with pytest.raises(Conflict) as err:
        appointment_reschedule(appointment=moved, start=aware(next_monday, 11), actor=None)
    assert err.value.code == "slot_taken"
    moved.refresh_from_db()
    assert moved.start == aware(next_monday, 10, 15)
    assert other.start == aware(next_monday, 11)
    assert AuditLogEntry.objects.filter(action="appointment.reschedule").count() == 1


def test_reschedule_to_another_location(desk, next_monday):
    other = factories.location()
    appt = book(desk, aware(next_monday, 10))
    moved = appointment_reschedule(
        appointment=appt, start=aware(next_monday, 9), actor=None, location=other
    )
    assert moved.location == other
    assert {leg.counter.location_id for leg in moved.legs.all()} == {other.pk}


def test_book_many_is_all_or_nothing(desk, next_monday):
    clients = [factories.client(first_name=f"W{i}") for i in range(3)]
    items = [
        BookingItem(client=c, location=desk, start=aware(next_monday, 9 + i), services=svc("brp"))
        for i, c in enumerate(clients)
    ]
    items.append(
        BookingItem(
            client=clients[0], location=desk, start=aware(next_monday, 9, 5), services=svc("brp")
        )
    )
    with pytest.raises(Conflict) as err:
        appointments_book_many(items=items, actor=None)
    assert err.value.code == "slot_taken"
    assert err.value.details == {"item": 3}
    assert not Appointment.objects.exists() and not Leg.objects.exists()
    booked = appointments_book_many(items=items[:3], actor=None, status=AppointmentStatus.HELD)
    assert [a.status for a in booked] == [AppointmentStatus.HELD] * 3
    assert Leg.objects.count() == 3


def test_plan_then_book_many_fifty_workers(reference, next_monday, django_assert_max_num_queries):
    desk = factories.location(
        counters={
            "1": ["brp", "rni"],
            "2": ["brp", "rni"],
            "3": ["zvw"],
            "4": ["zvw", "ind", "twv"],
        }
    )
    clients = [factories.client(first_name=f"W{i}") for i in range(50)]
    requests = [ChainRequest(c.pk, svc("brp", "zvw")) for c in clients]
    plan = chains_plan(
        requests=requests,
        locations=[desk],
        date_from=next_monday,
        date_to=next_monday + dt.timedelta(days=6),
        now=aware(next_monday, 8),
        together=False,
    )
    by_pk = {c.pk: c for c in clients}
    items = [
        BookingItem(
            client=by_pk[p.client_key],
            location=p.location,
            start=p.start,
            services=[leg.service for leg in p.legs],
        )
        for p in plan
    ]
    with django_assert_max_num_queries(20):
        booked = appointments_book_many(items=items, actor=None)
    assert len(booked) == 50
    legs = list(Leg.objects.all())
    for a in legs:
        for b in legs:
            if a.pk != b.pk and a.counter_id == b.counter_id:
                assert a.end <= b.start or b.end <= a.start
    # What was booked is no longer offered.
    result = availability_search(
        services=svc("brp", "zvw"),
        locations=[desk],
        date_from=next_monday,
        date_to=next_monday,
        now=aware(next_monday, 8),
    )
    offered = {s for e in result for s in e.starts}
    assert not offered & {a.start for a in booked}


def test_inactive_location_and_too_long_range(desk, next_monday):
    desk.is_active = False
    desk.save()
    with pytest.raises(ValidationFailed) as err:
        book(desk, aware(next_monday, 10))
    assert err.value.code == "location_inactive"
    with pytest.raises(ValidationFailed) as err:
        availability_search(
            services=svc("brp"), date_from=next_monday, date_to=next_monday + dt.timedelta(days=400)
        )
    assert err.value.code == "range_too_long"


def test_started_visit_cannot_be_rescheduled(desk, next_monday):
    appt = book(desk, aware(next_monday, 10))
    Leg.objects.filter(appointment=appt, position=1).update(state=LegState.IN_PROGRESS)
    with pytest.raises(Conflict) as err:
        appointment_reschedule(appointment=appt, start=aware(next_monday, 12), actor=None)
    assert err.value.code == "not_reschedulable"


def test_no_show_frees_the_remaining_time(desk, next_monday):
    from scheduling.services.legs import appointment_mark_no_show

    appt = book(desk, aware(next_monday, 10))
    appointment_mark_no_show(appointment=appt, actor=None)
    assert book(desk, aware(next_monday, 10)).start == aware(next_monday, 10)
