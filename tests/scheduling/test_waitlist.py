"""The waitlist (issue 16): joining, offers in joining order, holds, expiry, accept/decline.

The desk has one BRP counter open 9:00-10:00 with a 20-minute grid: three visits a day. The tests wait
for one day (``next_monday``) that is full, free places by cancelling, and run the offer
round (the task the cancellation queues after commit) by hand unless they test the trigger.
"""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from core.exceptions import Conflict, NotFound, ValidationFailed
from core.models import AuditLogEntry
from core.roles import Role
from scheduling.constants import (
    AppointmentStatus,
    GroupBookingStatus,
    WaitlistStatus,
)
from scheduling.models import Appointment, GroupBooking, WaitlistEntry
from scheduling.services.booking import appointment_book, appointment_cancel
from scheduling.waitlist.selectors import waitlist_entry_for_offer, waitlist_entry_for_user
from scheduling.waitlist.services import (
    waitlist_join,
    waitlist_offer_accept,
    waitlist_offer_decline,
    waitlist_offers_make,
    waitlist_run,
    waitlist_withdraw,
)
from scheduling.waitlist.tokens import offer_token
from tests import factories as f
from tests.factories import aware
from tests.scheduling.group_helpers import english, worker  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def employers(reference):
    return [f.employer() for _n in range(3)]


def join(employer, waitlist_desk, day, *, size=1, **overrides):
    values = dict(
        employer=employer,
        actor=None,
        location=waitlist_desk,
        date_from=day,
        date_to=day,
        group_size=size,
        services=[f.service("brp")],
    )
    values.update(overrides)
    return waitlist_join(**values)


def brp_only(n=1):
    return worker(n, works_under_dutch_social_security=False)


def actions(entry) -> list[str]:
    return list(
        AuditLogEntry.objects.filter(
            object_type="scheduling.waitlistentry", object_id=str(entry.pk)
        )
        .order_by("pk")
        .values_list("action", flat=True)
    )


# --- joining ----------------------------------------------------------------------------------


def test_join_puts_the_group_in_line_and_audits(employers, waitlist_desk, next_monday):
    entry = join(employers[0], waitlist_desk, next_monday, size=4)
    assert entry.status == WaitlistStatus.WAITING
    assert [s.code for s in entry.services.all()] == ["brp"]
    assert actions(entry) == ["waitlist.join"]


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"date_from_days": 1, "date_to_days": 0}, "range_invalid"),
        ({"date_from_days": -1, "date_to_days": 0}, "date_in_past"),
        ({"date_from_days": 0, "date_to_days": 12 * 7 + 1}, "range_too_long"),
        ({"size": 0}, "too_many"),
        ({"size": 201}, "too_many"),
        ({"services": []}, "empty_package"),
        ({"services": ["zvw"]}, "service_not_offered"),
        ({"services": ["brp", "rni"]}, "brp_and_rni"),
        ({"location": None}, "target_required"),
    ],
)
def test_join_refuses_what_cannot_be(employers, waitlist_desk, change, code):
    today = timezone.localdate()
    kwargs = {
        "date_from": today + dt.timedelta(days=change.get("date_from_days", 1)),
        "date_to": today + dt.timedelta(days=change.get("date_to_days", 2)),
        "size": change.get("size", 1),
    }
    if "services" in change:
        kwargs["services"] = [f.service(c) for c in change["services"]]
    if "location" in change:
        kwargs["location"] = None
    day = kwargs.pop("date_from")
    with pytest.raises(ValidationFailed) as err:
        join(employers[0], waitlist_desk, day, **kwargs)
    assert err.value.code == code
    assert not WaitlistEntry.objects.exists()


def test_join_refuses_a_range_far_in_the_future(employers, waitlist_desk):
    day = timezone.localdate() + dt.timedelta(weeks=30)
    with pytest.raises(ValidationFailed) as err:
        join(employers[0], waitlist_desk, day)
    assert err.value.code == "range_too_long"


def test_join_is_limited_per_employer(employers, waitlist_desk, next_monday, settings):
    settings.WAITLIST_MAX_OPEN_ENTRIES = 2
    join(employers[0], waitlist_desk, next_monday)
    join(employers[0], waitlist_desk, next_monday)
    with pytest.raises(Conflict) as err:
        join(employers[0], waitlist_desk, next_monday)
    assert err.value.code == "waitlist_limit"
    join(employers[1], waitlist_desk, next_monday)  # another employer is not counted


# --- offers -----------------------------------------------------------------------------------


def test_offers_go_in_joining_order(employers, waitlist_desk, next_monday, full_day):
    first = join(employers[0], waitlist_desk, next_monday)
    second = join(employers[1], waitlist_desk, next_monday)
    assert waitlist_offers_make() == 0  # nothing free yet

    appointment_cancel(appointment=full_day[2], actor=None)
    assert waitlist_offers_make(location_ids=[waitlist_desk.pk]) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == WaitlistStatus.OFFERED
    assert second.status == WaitlistStatus.WAITING
    assert first.offer_group.waitlist_hold
    held = first.offer_group.appointments.get()
    assert held.status == AppointmentStatus.HELD
    assert held.start == aware(next_monday, 9, 40)
    assert actions(first) == ["waitlist.join", "waitlist.offer"]

    appointment_cancel(appointment=full_day[0], actor=None)
    assert waitlist_offers_make(location_ids=[waitlist_desk.pk]) == 1
    second.refresh_from_db()
    assert second.status == WaitlistStatus.OFFERED
    assert second.offer_group.appointments.get().start == aware(next_monday, 9)


def test_a_group_too_big_stays_first_and_a_smaller_one_gets_what_fits(
    employers, waitlist_desk, next_monday, full_day
):
    big = join(employers[0], waitlist_desk, next_monday, size=2)
    small = join(employers[1], waitlist_desk, next_monday, size=1)
    appointment_cancel(appointment=full_day[1], actor=None)
    waitlist_offers_make()
    big.refresh_from_db()
    small.refresh_from_db()
    assert (big.status, small.status) == (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


def test_the_round_locks_and_commits_one_entry_at_a_time(
    employers, waitlist_desk, next_monday, full_day, monkeypatch
):
    """A booking at the desk waits for one entry's offer, not for the whole round: each entry
    is locked, offered and committed in its own transaction (one lock per transaction)."""
    from django.db import transaction

    from scheduling.waitlist import services

    first = join(employers[0], waitlist_desk, next_monday)
    second = join(employers[1], waitlist_desk, next_monday)
    appointment_cancel(appointment=full_day[0], actor=None)
    appointment_cancel(appointment=full_day[1], actor=None)
    real_lock, calls = services.locations_lock, []

    def lock(ids):
        # What is committed so far: the offers made before this transaction.
        offered = list(
            WaitlistEntry.objects.filter(status=WaitlistStatus.OFFERED).values_list("pk", flat=True)
        )
        calls.append((sorted(ids), offered, len(transaction.get_connection().savepoint_ids)))
        return real_lock(ids)

    monkeypatch.setattr(services, "locations_lock", lock)
    assert waitlist_offers_make(location_ids=[waitlist_desk.pk]) == 2
    assert [(ids, offered) for ids, offered, _depth in calls] == [
        ([waitlist_desk.pk], []),
        ([waitlist_desk.pk], [first.pk]),
    ]
    assert calls[0][2] == calls[1][2]  # two transactions side by side, not one inside another
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (WaitlistStatus.OFFERED, WaitlistStatus.OFFERED)


def test_room_freed_between_two_offers_of_a_round_goes_to_the_first_in_line(
    employers, waitlist_desk, next_monday, full_day, monkeypatch
):
    """The round commits per entry, yet keeps the order: the first group (two workers) does
    not fit one free place; a second place frees up before the round reaches the next group
    (one worker), which would fit. The first group is tried again under that lock and takes
    both places; the second keeps waiting."""
    from scheduling.waitlist import services

    big = join(employers[0], waitlist_desk, next_monday, size=2)
    small = join(employers[1], waitlist_desk, next_monday, size=1)
    appointment_cancel(appointment=full_day[1], actor=None)
    real_lock, calls = services.locations_lock, []

    def lock(ids):
        calls.append(sorted(ids))
        if len(calls) == 2:  # between the round's first and second transaction
            appointment_cancel(appointment=full_day[2], actor=None)
        return real_lock(ids)

    monkeypatch.setattr(services, "locations_lock", lock)
    assert waitlist_offers_make(location_ids=[waitlist_desk.pk]) == 1
    big.refresh_from_db()
    small.refresh_from_db()
    assert (big.status, small.status) == (WaitlistStatus.OFFERED, WaitlistStatus.WAITING)
    assert big.offer_group.appointments.filter(status=AppointmentStatus.HELD).count() == 2


def test_a_region_entry_is_offered_at_a_desk_of_the_region(employers, waitlist_desk, next_monday):
    entry = join(employers[0], None, next_monday, location=None, region=waitlist_desk.region)
    assert waitlist_offers_make(location_ids=[waitlist_desk.pk]) == 1
    entry.refresh_from_db()
    assert entry.offer_group.location == waitlist_desk


def test_the_hold_blocks_others_until_it_expires(
    employers, waitlist_desk, next_monday, full_day, settings
):
    settings.WAITLIST_OFFER_HOURS = 2
    entry = join(employers[0], waitlist_desk, next_monday)
    appointment_cancel(appointment=full_day[2], actor=None)
    waitlist_offers_make()
    brp = [f.service("brp")]
    with pytest.raises(Conflict) as err:
        appointment_book(
            client=f.client(),
            location=waitlist_desk,
            start=aware(next_monday, 9, 40),
            services=brp,
            actor=None,
        )
    assert err.value.code == "slot_taken"

    later = timezone.now() + dt.timedelta(hours=2, minutes=1)
    assert waitlist_run(now=later)["expired"] == 1
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.EXPIRED
    assert entry.offer_group.status == GroupBookingStatus.EXPIRED
    assert actions(entry)[-1] == "waitlist.offer_expire"
    booked = appointment_book(
        client=f.client(),
        location=waitlist_desk,
        start=aware(next_monday, 9, 40),
        services=brp,
        actor=None,
    )
    assert booked.status == AppointmentStatus.BOOKED


def test_expiry_offers_the_places_to_the_next_in_line(
    employers, waitlist_desk, next_monday, full_day, settings
):
    settings.WAITLIST_OFFER_HOURS = 1
    first = join(employers[0], waitlist_desk, next_monday)
    second = join(employers[1], waitlist_desk, next_monday)
    appointment_cancel(appointment=full_day[2], actor=None)
    waitlist_offers_make()
    result = waitlist_run(now=timezone.now() + dt.timedelta(hours=1, seconds=1))
    assert result == {"expired": 1, "lapsed": 0, "offered": 1}
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == WaitlistStatus.EXPIRED
    assert second.status == WaitlistStatus.OFFERED
    assert second.offer_group.appointments.get().start == aware(next_monday, 9, 40)


def test_the_cancellation_triggers_the_offer_after_commit(
    employers, waitlist_desk, next_monday, full_day, django_capture_on_commit_callbacks
):
    entry = join(employers[0], waitlist_desk, next_monday)
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=full_day[0], actor=None)
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED
    # ... and the e-mail went out with an opaque link (no name, no id).
    (message,) = [m for m in mail.outbox if entry.reference in m.subject]
    assert offer_token(entry) in message.body
    assert "/portal/waitlist/offer/" in message.body
    assert entry.employer.contact_email in message.to


def test_the_offer_mail_goes_once(employers, waitlist_desk, next_monday, full_day):
    from scheduling.waitlist.services import waitlist_offer_send

    entry = join(employers[0], waitlist_desk, next_monday)
    appointment_cancel(appointment=full_day[0], actor=None)
    waitlist_offers_make()
    entry.refresh_from_db()
    assert waitlist_offer_send(entry_id=entry.pk, version=entry.offer_version) == 1
    assert waitlist_offer_send(entry_id=entry.pk, version=entry.offer_version) == 0


def test_past_entries_lapse(employers, waitlist_desk, next_monday):
    entry = join(employers[0], waitlist_desk, next_monday)
    assert waitlist_run(now=timezone.now() + dt.timedelta(days=30))["lapsed"] == 1
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.LAPSED


# --- accept, decline, withdraw ----------------------------------------------------------------


@pytest.fixture
def offered(employers, waitlist_desk, next_monday, full_day):
    entry = join(employers[0], waitlist_desk, next_monday, size=2)
    appointment_cancel(appointment=full_day[0], actor=None)
    appointment_cancel(appointment=full_day[1], actor=None)
    waitlist_offers_make()
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED
    return entry


def test_accept_books_the_workers_as_a_group_booking(offered, next_monday):
    hr = f.user(Role.EMPLOYER, employer=offered.employer)
    hold = offered.offer_group
    booking = waitlist_offer_accept(
        entry=offered, workers=[brp_only(1), brp_only(2)], actor=hr, po_reference="PO-1"
    )
    assert booking.status == GroupBookingStatus.CONFIRMED
    assert not booking.waitlist_hold
    assert booking.appointments.filter(status=AppointmentStatus.BOOKED).count() == 2
    assert {a.client.first_name for a in booking.appointments.all()} == {"Worker1", "Worker2"}
    hold.refresh_from_db()
    assert hold.status == GroupBookingStatus.CANCELLED
    assert not hold.appointments.exclude(status=AppointmentStatus.CANCELLED).exists()
    offered.refresh_from_db()
    assert offered.status == WaitlistStatus.BOOKED and offered.booking == booking
    assert actions(offered)[-1] == "waitlist.offer_accept"
    with pytest.raises(Conflict) as err:  # once
        waitlist_offer_accept(entry=offered, workers=[brp_only(3)], actor=hr)
    assert err.value.code == "waitlist_not_offered"


def test_fair_share_counts_the_held_places_once_when_the_offer_is_accepted(
    offered, waitlist_desk, next_monday
):
    """Fair share per desk (``Location.fair_share_max_percent``): while the offer is open its
    held placeholders are the employer's counter time (another group of his counts them), but
    accepting releases them in its transaction before the rule is checked, so the workers
    taking the held places are counted once, not on top of their own hold."""
    from scheduling.group_booking.services import group_booking_create
    from scheduling.selectors.capacity import employer_booked_minutes, location_open_minutes

    week = {"date_from": next_monday, "date_to": next_monday + dt.timedelta(days=6)}
    mine = {"employer_id": offered.employer_id, "location": waitlist_desk, **week}
    held = employer_booked_minutes(**mine)
    capacity = location_open_minutes(location=waitlist_desk, **week)
    limit = -(-held * 100 // capacity)  # the hold fits exactly; twice the hold does not
    assert held > 0 and 2 * held * 100 > capacity * limit
    waitlist_desk.fair_share_max_percent = limit
    waitlist_desk.save(update_fields=["fair_share_max_percent"])
    hr = f.user(Role.EMPLOYER, employer=offered.employer)
    with pytest.raises(ValidationFailed) as err:  # another group: the hold counts
        group_booking_create(
            employer=offered.employer,
            actor=hr,
            workers=[brp_only(5)],
            location=waitlist_desk,
            date_from=next_monday,
            date_to=next_monday + dt.timedelta(days=4),
        )
    assert err.value.code == "fair_share_exceeded"
    booking = waitlist_offer_accept(entry=offered, workers=[brp_only(1), brp_only(2)], actor=hr)
    assert booking.status == GroupBookingStatus.CONFIRMED
    assert employer_booked_minutes(**mine) == held


def test_accept_refuses_more_workers_than_held_and_keeps_the_hold(offered):
    with pytest.raises(ValidationFailed) as err:
        waitlist_offer_accept(
            entry=offered, workers=[brp_only(1), brp_only(2), brp_only(3)], actor=None
        )
    assert err.value.code == "too_many"
    offered.refresh_from_db()
    assert offered.status == WaitlistStatus.OFFERED
    assert offered.offer_group.status == GroupBookingStatus.HELD


def test_accept_of_workers_that_do_not_fit_changes_nothing(offered):
    # A worker who needs health insurance too: no counter here does it.
    with pytest.raises(ValidationFailed):
        waitlist_offer_accept(entry=offered, workers=[worker(1)], actor=None)
    offered.refresh_from_db()
    assert offered.status == WaitlistStatus.OFFERED
    assert offered.offer_group.appointments.filter(status=AppointmentStatus.HELD).count() == 2


def test_accept_after_expiry_is_refused(offered, time_machine):
    time_machine.move_to(offered.offer_expires_at + dt.timedelta(seconds=1))
    with pytest.raises(Conflict) as err:
        waitlist_offer_accept(entry=offered, workers=[brp_only(1)], actor=None)
    assert err.value.code == "hold_expired"


def test_decline_releases_the_places_to_the_next(offered, employers, waitlist_desk, next_monday):
    nxt = join(employers[1], waitlist_desk, next_monday, size=2)
    waitlist_offer_decline(entry=offered, actor=None)
    offered.refresh_from_db()
    assert offered.status == WaitlistStatus.DECLINED
    assert offered.offer_group.status == GroupBookingStatus.CANCELLED
    assert actions(offered)[-1] == "waitlist.offer_decline"
    waitlist_offers_make()
    nxt.refresh_from_db()
    assert nxt.status == WaitlistStatus.OFFERED


def test_withdraw_while_waiting_and_while_offered(offered, employers, waitlist_desk, next_monday):
    waiting = join(employers[1], waitlist_desk, next_monday)
    waitlist_withdraw(entry=waiting, actor=None)
    waitlist_withdraw(entry=offered, actor=None)
    waitlist_withdraw(entry=offered, actor=None)  # twice: a no-op
    offered.refresh_from_db()
    waiting.refresh_from_db()
    assert (waiting.status, offered.status) == (WaitlistStatus.WITHDRAWN,) * 2
    assert offered.offer_group.status == GroupBookingStatus.CANCELLED
    assert actions(offered).count("waitlist.withdraw") == 1
    with pytest.raises(Conflict):
        waitlist_offer_decline(entry=offered, actor=None)


def test_the_hold_is_not_the_employers_group_booking(offered):
    hr = f.user(Role.EMPLOYER, employer=offered.employer)
    from scheduling.group_booking.services import group_booking_confirm
    from scheduling.selectors.scope import group_bookings_for_user

    assert not group_bookings_for_user(hr).filter(pk=offered.offer_group_id).exists()
    with pytest.raises(Conflict):
        group_booking_confirm(group_booking=offered.offer_group, actor=hr)


# --- scope ------------------------------------------------------------------------------------


def test_another_employer_finds_neither_entry_nor_offer(offered, employers):
    stranger = f.user(Role.EMPLOYER, employer=employers[1])
    owner = f.user(Role.EMPLOYER, employer=offered.employer)
    token = offer_token(offered)
    assert waitlist_entry_for_offer(owner, token) == offered
    with pytest.raises(NotFound):
        waitlist_entry_for_offer(stranger, token)
    with pytest.raises(NotFound):
        waitlist_entry_for_user(stranger, offered.reference)
    with pytest.raises(NotFound):  # a forged token
        waitlist_entry_for_offer(owner, token[:-2] + "xx")


def test_an_older_offer_link_stops_working(offered):
    owner = f.user(Role.EMPLOYER, employer=offered.employer)
    old = offer_token(offered)
    WaitlistEntry.objects.filter(pk=offered.pk).update(offer_version=offered.offer_version + 1)
    with pytest.raises(NotFound):
        waitlist_entry_for_offer(owner, old)


def test_no_hold_leaks_into_group_bookings_of_other_tables(offered):
    assert GroupBooking.objects.filter(waitlist_hold=True).count() == 1
    assert Appointment.objects.filter(group_booking=offered.offer_group).count() == 2


# --- capacity freed without a cancellation ----------------------------------------------------


def test_a_closure_removed_in_the_admin_offers_the_day(
    employers, waitlist_desk, next_monday, admin_client, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from scheduling.models import Closure

    closure = Closure.objects.create(
        location=waitlist_desk,
        date_from=next_monday,
        date_to=next_monday,
        reason="Works",
        confirmed=True,
    )
    entry = join(employers[0], waitlist_desk, next_monday)
    assert waitlist_offers_make() == 0
    url = reverse("admin:scheduling_closure_delete", args=[closure.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, {"post": "yes"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED


def test_new_opening_hours_are_offered_by_the_periodic_round(reference, employers, next_monday):
    from scheduling.models import OpeningHours

    tuesday = next_monday + dt.timedelta(days=1)
    monday_only = f.location(counters={"A": ["brp"]}, hours=(9, 10), weekdays=range(1))
    entry = join(employers[0], monday_only, tuesday)
    assert waitlist_run()["offered"] == 0
    OpeningHours.objects.create(
        location=monday_only, weekday=1, opens=dt.time(9), closes=dt.time(10)
    )
    assert waitlist_run()["offered"] == 1
    entry.refresh_from_db()
    assert entry.offer_group.appointments.get().start.date() == tuesday


def test_accept_of_a_long_range_books_into_the_held_days(employers, waitlist_desk, next_monday):
    entry = join(
        employers[0],
        waitlist_desk,
        next_monday,
        size=2,
        date_to=next_monday + dt.timedelta(weeks=12),
    )
    waitlist_offers_make()
    entry.refresh_from_db()
    held_days = {a.start.date() for a in entry.offer_group.appointments.all()}
    booking = waitlist_offer_accept(entry=entry, workers=[brp_only(1), brp_only(2)], actor=None)
    assert {a.start.date() for a in booking.appointments.all()} == held_days
    assert (booking.date_to - booking.date_from).days <= 62
