import pytest

from core.exceptions import Conflict, NotFound, ValidationFailed
from core.models import AuditLogEntry
from kiosk.constants import TicketPriority, TicketState
from kiosk.models import QueueTicket
from kiosk.services.calls import waiting_queue_for_counter
from kiosk.services.tickets import (
    group_for_reference,
    group_members_for_check_in,
    kiosk_check_in,
    kiosk_group_check_in,
    late_arrival_admit,
    late_arrival_no_show,
    late_arrival_to_walk_in,
    walk_in_issue,
)
from scheduling.constants import AppointmentSource, AppointmentStatus, GroupBookingStatus
from scheduling.models import Appointment, GroupBooking, ServiceType
from scheduling.tokens import ticket_token_make
from tests import factories
from tests.kiosk.conftest import visit

pytestmark = pytest.mark.django_db


def test_scan_gives_a_number_and_repeated_scan_is_a_no_op(desk, at):
    appt = visit(desk, at(10))
    token = ticket_token_make(appt)
    first = kiosk_check_in(location=desk, token=token, now=at(9, 50))
    assert first.created and first.ticket.code == "A001"
    assert first.ticket.state == TicketState.WAITING
    assert first.ticket.priority == TicketPriority.BOOKED
    appt.refresh_from_db()
    assert appt.status == AppointmentStatus.CHECKED_IN
    audit_count = AuditLogEntry.objects.count()
    again = kiosk_check_in(location=desk, token=token, now=at(9, 55))
    assert not again.created and again.ticket.pk == first.ticket.pk
    # Typing the booking code after scanning also finds the same number.
    by_code = kiosk_check_in(location=desk, booking_code=appt.booking_code.lower(), now=at(9, 56))
    assert by_code.ticket.pk == first.ticket.pk
    assert QueueTicket.objects.count() == 1
    assert AuditLogEntry.objects.count() == audit_count


def test_numbers_per_prefix_are_gapless(desk, at):
    codes = []
    for minute, services in [(0, ["brp"]), (5, ["zvw"]), (10, ["brp", "zvw"]), (15, ["ind"])]:
        appt = visit(desk, at(10, minute), services)
        codes.append(
            kiosk_check_in(location=desk, token=ticket_token_make(appt), now=at(9, 45)).ticket.code
        )
    assert codes == ["A001", "B001", "A002", "C001"]


def test_too_early_is_told_when_to_come_back(desk, at):
    appt = visit(desk, at(11))
    with pytest.raises(ValidationFailed) as err:
        kiosk_check_in(location=desk, token=ticket_token_make(appt), now=at(9, 30))
    assert err.value.code == "too_early"
    assert "10:00" in str(err.value.message)
    appt.refresh_from_db()
    assert appt.status == AppointmentStatus.BOOKED
    assert not QueueTicket.objects.exists()
    # At the window edge it works.
    assert kiosk_check_in(location=desk, token=ticket_token_make(appt), now=at(10)).created


def test_a_late_arrival_is_held_for_the_reception_never_made_a_no_show(desk, at):
    """Finding 1: the kiosk used to mark a late booking no-show and make it a walk-in. Now it
    gives a number held for the reception, and the booking stays booked."""
    appt = visit(desk, at(10), ["brp", "zvw"])
    result = kiosk_check_in(location=desk, token=ticket_token_make(appt), now=at(10, 20))
    assert result.created and result.late
    ticket = result.ticket
    assert ticket.state == TicketState.LATE and ticket.appointment_id == appt.pk
    appt.refresh_from_db()
    assert appt.status == AppointmentStatus.BOOKED
    assert not Appointment.objects.filter(source=AppointmentSource.WALK_IN).exists()
    assert AuditLogEntry.objects.filter(action="queue_ticket.late_held").count() == 1
    # Nobody calls a held number.
    counter = desk.counters.filter(services__code="brp").first()
    assert not waiting_queue_for_counter(counter, now=at(10, 21)).exists()
    # Scanning again shows the same number and changes nothing.
    again = kiosk_check_in(location=desk, booking_code=appt.booking_code, now=at(10, 25))
    assert not again.created and again.late and again.ticket.pk == ticket.pk


def test_a_late_arrival_without_walk_in_places_is_held_too(desk, at):
    appt = visit(desk, at(10), ["ind"])  # no walk-in policy for ind
    result = kiosk_check_in(location=desk, token=ticket_token_make(appt), now=at(10, 30))
    assert result.late and result.ticket.state == TicketState.LATE
    appt.refresh_from_db()
    assert appt.status == AppointmentStatus.BOOKED


def test_reception_admits_a_late_arrival_behind_the_people_on_time(desk, at):
    late_visit = visit(desk, at(10), ["brp"])
    held = kiosk_check_in(location=desk, token=ticket_token_make(late_visit), now=at(10, 20)).ticket
    on_time = visit(desk, at(10, 30), ["brp"])
    on_time_ticket = kiosk_check_in(
        location=desk, token=ticket_token_make(on_time), now=at(10, 22)
    ).ticket
    admitted = late_arrival_admit(ticket=held, actor=None, now=at(10, 23))
    assert admitted.state == TicketState.WAITING and admitted.code == held.code
    late_visit.refresh_from_db()
    assert late_visit.status == AppointmentStatus.CHECKED_IN
    counter = desk.counters.filter(services__code="brp").first()
    queue = list(waiting_queue_for_counter(counter, now=at(10, 25)))
    assert [t.pk for t in queue] == [on_time_ticket.pk, held.pk]
    assert [t.late for t in queue] == [False, True]
    assert AuditLogEntry.objects.filter(action="queue_ticket.late_admitted").count() == 1
    # A decision is taken once.
    with pytest.raises(Conflict) as err:
        late_arrival_no_show(ticket=held, actor=None, now=at(10, 24))
    assert err.value.code == "not_late"


def test_reception_turns_a_late_arrival_into_a_walk_in(desk, at):
    appt = visit(desk, at(10), ["brp", "zvw"])
    held = kiosk_check_in(location=desk, token=ticket_token_make(appt), now=at(10, 20)).ticket
    ticket = late_arrival_to_walk_in(ticket=held, actor=None, now=at(10, 21))
    assert ticket.pk == held.pk and ticket.code == held.code
    assert ticket.state == TicketState.WAITING and ticket.priority == TicketPriority.WALK_IN
    walk_in = ticket.appointment
    assert walk_in.source == AppointmentSource.WALK_IN and walk_in.client_id == appt.client_id
    assert [leg.service.code for leg in walk_in.legs.order_by("position")] == ["brp", "zvw"]
    appt.refresh_from_db()
    assert appt.status == AppointmentStatus.NO_SHOW
    assert ticket.booked_appointment_id == appt.pk
    assert AuditLogEntry.objects.filter(action="queue_ticket.late_to_walk_in").count() == 1
    again = kiosk_check_in(location=desk, token=ticket_token_make(appt), now=at(10, 25))
    assert not again.created and again.ticket.pk == ticket.pk


def test_a_late_arrival_becomes_a_walk_in_only_within_the_walk_in_places(desk, at):
    appt = visit(desk, at(10), ["ind"])  # no walk-in policy for ind
    held = kiosk_check_in(location=desk, token=ticket_token_make(appt), now=at(10, 20)).ticket
    with pytest.raises(ValidationFailed) as err:
        late_arrival_to_walk_in(ticket=held, actor=None, now=at(10, 21))
    assert err.value.code == "walk_in_not_offered"
    held.refresh_from_db()
    appt.refresh_from_db()
    assert held.state == TicketState.LATE and appt.status == AppointmentStatus.BOOKED


def test_reception_marks_a_late_arrival_no_show(desk, at):
    appt = visit(desk, at(10), ["brp"])
    held = kiosk_check_in(location=desk, token=ticket_token_make(appt), now=at(10, 20)).ticket
    ticket = late_arrival_no_show(ticket=held, actor=None, now=at(10, 21))
    assert ticket.state == TicketState.NO_SHOW
    appt.refresh_from_db()
    assert appt.status == AppointmentStatus.NO_SHOW
    assert AuditLogEntry.objects.filter(action="queue_ticket.late_no_show").count() == 1
    with pytest.raises(Conflict) as err:
        kiosk_check_in(location=desk, token=ticket_token_make(appt), now=at(10, 25))
    assert err.value.code == "ticket_no_show"


@pytest.mark.parametrize(
    "case,code",
    [
        ("garbage", "code_required"),
        ("tampered", "ticket_bad_signature"),
        ("unknown_code", "ticket_unknown"),
        ("cancelled", "ticket_cancelled"),
        ("superseded", "ticket_superseded"),
        ("other_location", "wrong_location"),
        ("other_day", "wrong_day"),
    ],
)
def test_bad_scans_give_clear_errors_and_change_nothing(desk, at, case, code):
    appt = visit(desk, at(10))
    token = ticket_token_make(appt)
    kwargs = {"token": token}
    if case == "garbage":
        kwargs = {"token": "%%%"}
    elif case == "tampered":
        kwargs = {"token": token[:-3] + "xyz"}
    elif case == "unknown_code":
        kwargs = {"booking_code": "ZZZZZZZZ"}
    elif case == "cancelled":
        appt.status = AppointmentStatus.CANCELLED
        appt.save()
    elif case == "superseded":
        appt.token_version = 2
        appt.save()
    elif case == "other_location":
        other = factories.location()
        appt = visit(other, at(10))
        kwargs = {"token": ticket_token_make(appt)}
    elif case == "other_day":
        appt = visit(desk, at(10) + __import__("datetime").timedelta(days=1))
        kwargs = {"token": ticket_token_make(appt)}
    with pytest.raises((ValidationFailed, Conflict, NotFound)) as err:
        kiosk_check_in(location=desk, now=at(9, 55), **kwargs)
    assert err.value.code == code
    assert str(err.value.message)
    assert not QueueTicket.objects.exists()
    assert not AuditLogEntry.objects.filter(action__startswith="appointment.check").exists()


def test_walk_in_caps_are_computed_per_service(desk, at):
    brp = ServiceType.objects.get(code="brp")
    codes = [
        walk_in_issue(location=desk, services=[brp], actor=None, now=at(10, i)).code
        for i in range(3)
    ]
    assert codes == ["A001", "A002", "A003"]
    with pytest.raises(Conflict) as err:
        walk_in_issue(location=desk, services=[brp], actor=None, now=at(10, 5))
    assert err.value.code == "walk_in_cap_reached"
    with pytest.raises(ValidationFailed) as err:
        walk_in_issue(
            location=desk, services=[ServiceType.objects.get(code="ind")], actor=None, now=at(10, 5)
        )
    assert err.value.code == "walk_in_not_offered"
    assert QueueTicket.objects.count() == 3
    # The next day the cap starts again.
    next_day = at(10) + __import__("datetime").timedelta(days=1)
    assert walk_in_issue(location=desk, services=[brp], actor=None, now=next_day).code == "A001"


def test_kiosk_walk_ins_only_when_enabled(desk, at):
    zvw = ServiceType.objects.get(code="zvw")
    with pytest.raises(Conflict) as err:
        walk_in_issue(location=desk, services=[zvw], actor=None, via_kiosk=True, now=at(10))
    assert err.value.code == "kiosk_walk_ins_disabled"
    desk.kiosk_settings.kiosk_walk_ins = True
    desk.kiosk_settings.save()
    ticket = walk_in_issue(location=desk, services=[zvw], actor=None, via_kiosk=True, now=at(10))
    assert ticket.code == "B001"
    assert ticket.appointment.client.last_name == "Anonymous"


def _group(desk, employer, day):
    return GroupBooking.objects.create(
        employer=employer,
        status=GroupBookingStatus.CONFIRMED,
        location=desk,
        date_from=day,
        date_to=day,
    )


def test_group_coordinator_checks_in_who_is_present(desk, at):
    employer = factories.employer()
    group = _group(desk, employer, at(10).date())
    members = [
        visit(
            desk,
            at(10, 20 * i),
            group_booking=group,
            cl=factories.client(first_name=f"W{i}", employer=employer),
        )
        for i in range(3)
    ]
    other_employer = visit(desk, at(10))
    # Another group of the same employer today is not listed (finding 1: one code showed
    # all the employer's visits of the day).
    other_group = visit(desk, at(11), group_booking=_group(desk, employer, at(10).date()))
    listed = group_members_for_check_in(
        group=group_for_reference(group.reference.lower()), location=desk, now=at(9, 45)
    )
    assert [m.pk for m in listed] == [m.pk for m in members]
    lines = kiosk_group_check_in(
        location=desk,
        reference=group.reference,
        present_ids=[members[0].pk, members[2].pk, other_employer.pk, other_group.pk],
        now=at(9, 45),
    )
    assert [line.appointment.pk for line in lines] == [members[0].pk, members[2].pk]
    assert all(line.result and line.result.created for line in lines)
    statuses = {a.pk: a.status for a in Appointment.objects.all()}
    assert statuses[members[0].pk] == AppointmentStatus.CHECKED_IN
    assert statuses[members[1].pk] == AppointmentStatus.BOOKED  # absent
    assert statuses[members[2].pk] == AppointmentStatus.CHECKED_IN
    assert statuses[other_employer.pk] == AppointmentStatus.BOOKED
    assert statuses[other_group.pk] == AppointmentStatus.BOOKED
    # Checking in again for the same people is a no-op.
    again = kiosk_group_check_in(
        location=desk, reference=group.reference, present_ids=[members[0].pk], now=at(9, 50)
    )
    assert not again[0].result.created
    assert QueueTicket.objects.count() == 2


def test_group_check_in_needs_the_group_reference_not_a_workers_code(desk, at):
    employer = factories.employer()
    group = _group(desk, employer, at(10).date())
    member = visit(desk, at(10), group_booking=group)
    for code in (member.booking_code, ticket_token_make(member), "ZZZZZZZZ"):
        with pytest.raises(NotFound) as err:
            kiosk_group_check_in(
                location=desk, reference=code, present_ids=[member.pk], now=at(9, 45)
            )
        assert err.value.code == "group_unknown"
    group.status = GroupBookingStatus.CANCELLED
    group.save()
    with pytest.raises(NotFound):
        group_for_reference(group.reference)
    assert not QueueTicket.objects.exists()


def test_group_check_in_of_a_group_with_nobody_here_today(desk, at):
    group = _group(desk, factories.employer(), at(10).date())
    with pytest.raises(ValidationFailed) as err:
        kiosk_group_check_in(location=desk, reference=group.reference, present_ids=[1], now=at(9))
    assert err.value.code == "not_a_group"
