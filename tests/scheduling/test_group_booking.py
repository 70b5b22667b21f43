import datetime as dt

import pytest
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from core.exceptions import Conflict, NotFound, ValidationFailed
from core.models import AuditLogEntry
from core.roles import Role
from scheduling.constants import AppointmentStatus, GroupBookingStatus, LegState
from scheduling.group_booking.services import (
    group_booking_cancel,
    group_booking_confirm,
    group_booking_create,
    group_booking_holds_expire,
    group_booking_worker_add,
    group_booking_worker_cancel,
    group_booking_worker_replace,
)
from scheduling.models import Appointment, Client, GroupBooking, Leg
from tests import factories as f
from tests.scheduling.group_helpers import english, worker, workers  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def desk(reference):
    return f.location(
        counters={
            "Balie 1": ["brp", "rni"],
            "Balie 2": ["brp", "rni"],
            "Balie 3": ["zvw"],
            "Balie 4": ["zvw"],
            "Balie 5": ["ind", "twv"],
        }
    )


@pytest.fixture
def employer(reference):
    return f.employer()


@pytest.fixture
def hr(employer):
    return f.user(Role.EMPLOYER, employer=employer)


def _no_overlaps():
    legs = list(
        Leg.objects.exclude(state=LegState.CANCELLED)
        .exclude(appointment__status=AppointmentStatus.CANCELLED)
        .order_by("counter_id", "start")
    )
    for a, b in zip(legs, legs[1:], strict=False):
        if a.counter_id == b.counter_id:
            assert a.end <= b.start, (a, b)


def test_each_worker_gets_his_own_chain_staggered_across_counters(desk, employer, hr, next_monday):
    group = group_booking_create(
        employer=employer,
        actor=hr,
        workers=workers(6),
        location=desk,
        date_from=next_monday,
        date_to=next_monday,
        po_reference="PO-77",
    )
    assert group.status == GroupBookingStatus.HELD
    assert group.hold_expires_at > timezone.now()
    appointments = list(group.appointments.order_by("start"))
    assert len(appointments) == 6
    assert {a.status for a in appointments} == {AppointmentStatus.HELD}
    # EU worker staying 12 months: BRP then health insurance.
    for a in appointments:
        assert [leg.service.code for leg in a.legs.order_by("position")] == ["brp", "zvw"]
        assert a.client.employer == employer
    # Two registration counters work in parallel: the first two start together.
    first_counters = {a.legs.get(position=1).counter.name for a in appointments[:2]}
    assert first_counters == {"Balie 1", "Balie 2"}
    assert appointments[0].start == appointments[1].start == f.aware(next_monday, 9)
    _no_overlaps()
    assert AuditLogEntry.objects.filter(action="group_booking.create").count() == 1


def test_package_rule_decides_the_legs_per_worker(desk, employer, hr, next_monday):
    roster = [
        worker(1),
        worker(2, nationality="UA", temporary_protection=True, language="uk"),
        worker(3, nationality="MA", language="en"),
        worker(4, expected_stay_months=2),
    ]
    group = group_booking_create(
        employer=employer,
        actor=hr,
        workers=roster,
        location=desk,
        date_from=next_monday,
        date_to=next_monday,
    )
    legs = {
        a.client.first_name: [leg.service.code for leg in a.legs.order_by("position")]
        for a in group.appointments.all()
    }
    assert legs["Worker1"] == ["brp", "zvw"]
    assert legs["Worker2"] == ["brp", "zvw", "ind"]
    assert legs["Worker3"] == ["brp", "zvw", "ind", "twv"]
    assert legs["Worker4"] == ["rni", "zvw"]


def test_all_or_nothing_when_one_worker_does_not_fit(desk, employer, hr, next_monday):
    # One day, 8 hours, two registration counters of 20 minutes: at most 48 chains fit.
    before = (Appointment.objects.count(), Client.objects.count(), GroupBooking.objects.count())
    with pytest.raises(ValidationFailed) as exc:
        group_booking_create(
            employer=employer,
            actor=hr,
            workers=workers(60),
            location=desk,
            date_from=next_monday,
            date_to=next_monday,
        )
    assert exc.value.code == "no_room"
    assert exc.value.details["leg"] == 1
    assert exc.value.details["service"] == "brp"
    assert exc.value.details["worker"] > 2  # a roster row beyond the ones that fit
    assert "row" in str(exc.value.message)
    after = (Appointment.objects.count(), Client.objects.count(), GroupBooking.objects.count())
    assert after == before


def test_non_eu_worker_at_desk_without_ind_counter_names_the_rule(
    reference, employer, hr, next_monday
):
    desk = f.location(counters={"Balie 1": ["brp", "rni"], "Balie 2": ["zvw"]})
    with pytest.raises(ValidationFailed) as exc:
        group_booking_create(
            employer=employer,
            actor=hr,
            workers=[worker(1), worker(2, nationality="MA")],
            location=desk,
            date_from=next_monday,
            date_to=next_monday,
        )
    assert exc.value.code == "package_refused"
    assert exc.value.details == {
        "worker": 3,
        "rule": "service_not_offered",
        "services": ["ind", "twv"],
    }
    assert "row 3" in str(exc.value.message)
    assert Appointment.objects.count() == 0


def test_date_range_with_no_room_is_refused(desk, employer, hr, next_monday):
    saturday = next_monday + dt.timedelta(days=5)
    with pytest.raises(ValidationFailed) as exc:
        group_booking_create(
            employer=employer,
            actor=hr,
            workers=workers(2),
            location=desk,
            date_from=saturday,
            date_to=saturday + dt.timedelta(days=1),
        )
    assert exc.value.code == "no_room"
    assert exc.value.details["worker"] == 2  # the first roster row: nobody fits


def test_spills_over_to_the_next_day_in_the_range(desk, employer, hr, next_monday):
    group = group_booking_create(
        employer=employer,
        actor=hr,
        workers=workers(60),
        location=desk,
        date_from=next_monday,
        date_to=next_monday + dt.timedelta(days=1),
    )
    days = {a.start.date() for a in group.appointments.all()}
    assert days == {next_monday, next_monday + dt.timedelta(days=1)}
    _no_overlaps()


@override_settings(GROUP_BOOKING_MAX_SIZE=3)
def test_group_larger_than_the_maximum_is_refused(desk, employer, hr, next_monday):
    with pytest.raises(ValidationFailed) as exc:
        group_booking_create(
            employer=employer,
            actor=hr,
            workers=workers(4),
            location=desk,
            date_from=next_monday,
            date_to=next_monday,
        )
    assert exc.value.code == "roster_invalid"
    assert exc.value.details["rows"][0]["code"] == "too_many"
    assert GroupBooking.objects.count() == 0


def test_same_worker_twice_is_refused_naming_both_rows(desk, employer, hr, next_monday):
    twice = [worker(1), worker(2), worker(1, row=4)]
    with pytest.raises(ValidationFailed) as exc:
        group_booking_create(
            employer=employer,
            actor=hr,
            workers=twice,
            location=desk,
            date_from=next_monday,
            date_to=next_monday,
        )
    (error,) = exc.value.details["rows"]
    assert (error["row"], error["code"]) == (4, "duplicate_worker") and "row 2" in error["message"]
    assert GroupBooking.objects.count() == 0


def test_held_places_occupy_capacity_and_expire(desk, employer, hr, next_monday):
    group = group_booking_create(
        employer=employer,
        actor=hr,
        workers=workers(2),
        location=desk,
        date_from=next_monday,
        date_to=next_monday,
    )
    other = group_booking_create(
        employer=employer,
        actor=hr,
        workers=workers(2, last_name="Other"),
        location=desk,
        date_from=next_monday,
        date_to=next_monday,
    )
    # The held plan occupies 9:00 on both registration counters; the next group starts later.
    assert other.appointments.order_by("start").first().start > f.aware(next_monday, 9)
    assert group_booking_holds_expire(now=timezone.now()) == 0
    later = timezone.now() + dt.timedelta(minutes=30)
    assert group_booking_holds_expire(now=later) == 2
    group.refresh_from_db()
    assert group.status == GroupBookingStatus.EXPIRED
    assert set(group.appointments.values_list("status", flat=True)) == {"cancelled"}
    assert set(
        Leg.objects.filter(appointment__group_booking=group).values_list("state", flat=True)
    ) == {"cancelled"}
    # Released: a new group gets 9:00 again.
    third = group_booking_create(
        employer=employer,
        actor=hr,
        workers=workers(1, last_name="Third"),
        location=desk,
        date_from=next_monday,
        date_to=next_monday,
    )
    assert third.appointments.get().start == f.aware(next_monday, 9)


def test_confirm_books_and_mails_once(
    desk, employer, hr, next_monday, django_capture_on_commit_callbacks
):
    group = group_booking_create(
        employer=employer,
        actor=hr,
        workers=[worker(1, email="w1@example.org"), worker(2)],
        location=desk,
        date_from=next_monday,
        date_to=next_monday,
    )
    with django_capture_on_commit_callbacks(execute=True):
        group_booking_confirm(group_booking=group, actor=hr)
    group.refresh_from_db()
    assert group.status == GroupBookingStatus.CONFIRMED
    assert set(group.appointments.values_list("status", flat=True)) == {"booked"}
    assert len(mail.outbox) == 2  # employer + the one worker with an e-mail
    with django_capture_on_commit_callbacks(execute=True):
        group_booking_confirm(group_booking=group, actor=hr)  # no-op
    assert len(mail.outbox) == 2


def test_confirm_after_expiry_is_refused_and_releases(desk, employer, hr, next_monday):
    group = group_booking_create(
        employer=employer,
        actor=hr,
        workers=workers(2),
        location=desk,
        date_from=next_monday,
        date_to=next_monday,
    )
    GroupBooking.objects.filter(pk=group.pk).update(
        hold_expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with pytest.raises(Conflict) as exc:
        group_booking_confirm(group_booking=group, actor=hr)
    assert exc.value.code == "hold_expired"
    # The refusal rolled back with the transaction; the sweep releases the places.
    assert group_booking_holds_expire() == 1


def test_bus_visit_of_another_employer_is_not_found(reference, employer, hr, next_monday):
    bus = f.location(kind="bus", counters={"Bus 1": ["brp", "rni", "zvw"]})
    visit = f.bus_visit(bus=bus, date=next_monday, employer=f.employer())
    with pytest.raises(NotFound):
        group_booking_create(
            employer=employer,
            actor=hr,
            workers=workers(1),
            bus_visit=visit,
        )


def test_bus_visit_at_own_site(reference, employer, hr, next_monday):
    bus = f.location(kind="bus", counters={"Bus 1": ["brp", "rni"], "Bus 2": ["zvw"]})
    visit = f.bus_visit(bus=bus, date=next_monday, employer=employer)
    group = group_booking_create(employer=employer, actor=hr, workers=workers(3), bus_visit=visit)
    for a in group.appointments.all():
        assert a.bus_visit == visit
        assert a.start >= f.aware(next_monday, 10)
        assert a.end <= f.aware(next_monday, 15)


def test_region_picks_a_desk_in_the_region(reference, employer, hr, next_monday):
    desk = f.location(cbs_code="GM0758")  # Breda, West-Brabant
    group = group_booking_create(
        employer=employer,
        actor=hr,
        workers=workers(2),
        region=desk.region,
        date_from=next_monday,
        date_to=next_monday,
    )
    assert group.location == desk
    assert group.region == desk.region


def test_cancel_whole_group_frees_places_and_is_audited(
    desk, employer, hr, next_monday, django_capture_on_commit_callbacks
):
    group = group_booking_create(
        employer=employer,
        actor=hr,
        workers=[worker(1, email="w@example.org")],
        location=desk,
        date_from=next_monday,
        date_to=next_monday,
        confirm=True,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        group_booking_cancel(group_booking=group, actor=hr, reason="season cancelled")
    group.refresh_from_db()
    assert group.status == GroupBookingStatus.CANCELLED
    appt = group.appointments.get()
    assert appt.status == AppointmentStatus.CANCELLED
    assert appt.sequence == 1
    assert {m.to[0] for m in mail.outbox} == {"w@example.org", employer.contact_email}
    entry = AuditLogEntry.objects.get(action="group_booking.cancel")
    assert entry.reason == "season cancelled"


def test_cancel_replace_and_add_one_worker(desk, employer, hr, next_monday):
    group = group_booking_create(
        employer=employer,
        actor=hr,
        workers=workers(3),
        location=desk,
        date_from=next_monday,
        date_to=next_monday,
        confirm=True,
    )
    first, second, third = group.appointments.order_by("start", "pk")
    cancelled = group_booking_worker_cancel(
        group_booking=group, booking_code=first.booking_code, actor=hr
    )
    assert cancelled.status == AppointmentStatus.CANCELLED
    replaced_start = second.start
    new = group_booking_worker_replace(
        group_booking=group,
        booking_code=second.booking_code,
        worker=worker(9, first_name="Replacement"),
        actor=hr,
    )
    second.refresh_from_db()
    assert second.status == AppointmentStatus.CANCELLED
    assert new.client.first_name == "Replacement"
    assert new.status == AppointmentStatus.BOOKED
    assert new.start <= replaced_start
    added = group_booking_worker_add(group_booking=group, worker=worker(10), actor=hr)
    assert added.group_booking == group
    assert group.appointments.filter(status="booked").count() == 3
    _no_overlaps()
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert {
        "group_booking.worker_cancel",
        "group_booking.worker_replace",
        "group_booking.worker_add",
    } <= actions


def test_replace_that_does_not_fit_changes_nothing(reference, employer, hr, next_monday):
    desk = f.location(counters={"Balie 1": ["brp", "rni"], "Balie 2": ["zvw"]})
    group = group_booking_create(
        employer=employer,
        actor=hr,
        workers=workers(1),
        location=desk,
        date_from=next_monday,
        date_to=next_monday,
        confirm=True,
    )
    old = group.appointments.get()
    with pytest.raises(ValidationFailed):
        group_booking_worker_replace(
            group_booking=group,
            booking_code=old.booking_code,
            worker=worker(5, nationality="MA"),
            actor=hr,  # needs an IND counter
        )
    old.refresh_from_db()
    assert old.status == AppointmentStatus.BOOKED
    assert group.appointments.count() == 1


def test_adding_a_duplicate_worker_is_refused(desk, employer, hr, next_monday):
    group = group_booking_create(
        employer=employer,
        actor=hr,
        workers=workers(1),
        location=desk,
        date_from=next_monday,
        date_to=next_monday,
    )
    with pytest.raises(ValidationFailed) as exc:
        group_booking_worker_add(group_booking=group, worker=worker(1), actor=hr)
    assert exc.value.details["rows"][0]["code"] == "duplicate_worker"


def test_a_worker_booked_again_keeps_one_client_record(desk, employer, hr, next_monday):
    first = group_booking_create(
        employer=employer,
        actor=hr,
        workers=workers(2),
        location=desk,
        date_from=next_monday,
        date_to=next_monday,
        confirm=True,
    )
    group_booking_cancel(group_booking=first, actor=hr)
    again = worker(1, email="new@example.org")
    second = group_booking_create(
        employer=employer,
        actor=hr,
        workers=[again],
        location=desk,
        date_from=next_monday,
        date_to=next_monday,
    )
    assert Client.objects.filter(employer=employer).count() == 2
    client = second.appointments.get().client
    assert client.email == "new@example.org"
    assert client.appointments.count() == 2
    # Another employer's worker with the same names is a different client.
    other = f.employer()
    group_booking_create(
        employer=other,
        actor=f.user(Role.EMPLOYER, employer=other),
        workers=[worker(1)],
        location=desk,
        date_from=next_monday,
        date_to=next_monday,
    )
    assert Client.objects.count() == 3
