import pytest

from core.exceptions import Conflict, ValidationFailed
from core.models import AuditLogEntry
from scheduling.constants import AppointmentStatus, LegState
from scheduling.services.legs import (
    appointment_check_in,
    appointment_mark_no_show,
    appointment_no_show_revert,
    leg_current,
    leg_finish,
    leg_reopen,
    leg_start,
)
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def legs_without_record_guard(settings):
    """scheduling alone: counter's guard (LEG_HOOKS "finish_guard") is tested in
    tests/counter/test_records_required.py."""
    settings.LEG_HOOKS = {**settings.LEG_HOOKS, "finish_guard": []}


@pytest.fixture
def visit(reference, next_monday):
    desk = factories.location()
    return factories.appointment(loc=desk, start=factories.aware(next_monday, 10))


def test_visit_moves_through_its_legs(visit):
    appointment_check_in(appointment=visit, actor=None)
    appointment_check_in(appointment=visit, actor=None)  # repeated: no-op
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.CHECKED_IN
    first = leg_current(visit)
    assert first.service.code == "brp"
    counter = first.counter
    leg_start(leg=first, counter=counter, actor=None)
    leg_finish(leg=first, actor=None)
    second = leg_current(visit)
    assert second.service.code == "zvw"
    leg_start(leg=second, counter=second.counter, actor=None)
    leg_finish(leg=second, actor=None, completed=False)
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.COMPLETED
    assert list(visit.legs.values_list("state", flat=True)) == [LegState.DONE, LegState.NOT_DONE]
    actions = set(AuditLogEntry.objects.values_list("action", flat=True))
    assert {"appointment.check_in", "leg.start", "leg.finish", "appointment.complete"} <= actions


def test_wrong_counter_and_unstarted_finish_are_refused(visit):
    first = leg_current(visit)
    zvw_counter = visit.location.counters.get(name="Balie 2")
    with pytest.raises(ValidationFailed) as err:
        leg_start(leg=first, counter=zvw_counter, actor=None)
    assert err.value.code == "counter_cannot_serve"
    with pytest.raises(Conflict) as err:
        leg_finish(leg=first, actor=None)
    assert err.value.code == "leg_not_started"
    first.refresh_from_db()
    assert first.state == LegState.PLANNED


def test_undo_puts_leg_back_and_reopens_visit(visit):
    legs = list(visit.legs.all())
    for leg in legs:
        leg_start(leg=leg, counter=leg.counter, actor=None)
        leg_finish(leg=leg, actor=None)
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.COMPLETED
    with pytest.raises(ValidationFailed):
        leg_reopen(leg=legs[-1], actor=None, reason="")
    leg_reopen(leg=legs[-1], actor=None, reason="pressed finish by mistake")
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.IN_PROGRESS
    assert leg_current(visit) == legs[-1]


def test_no_show_cancels_remaining_legs(visit):
    appointment_mark_no_show(appointment=visit, actor=None)
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.NO_SHOW
    assert set(visit.legs.values_list("state", flat=True)) == {LegState.CANCELLED}
    with pytest.raises(Conflict):
        appointment_check_in(appointment=visit, actor=None)


def test_no_show_undo_takes_the_location_lock_first(visit, monkeypatch):
    """Undoing a no-show gives the legs their counter time back: like every write that
    changes counter time it takes the location's lock (scheduling.locking, on core.locking),
    before the visit's own row."""
    from scheduling.services import legs

    appointment_mark_no_show(appointment=visit, actor=None)
    order = []
    real_lock, real_row = legs.locations_lock, legs._locked_appointment
    monkeypatch.setattr(
        legs, "locations_lock", lambda ids: order.append(("lock", sorted(ids))) or real_lock(ids)
    )
    monkeypatch.setattr(
        legs, "_locked_appointment", lambda pk: order.append(("visit", pk)) or real_row(pk)
    )
    visit = appointment_no_show_revert(appointment=visit, actor=None, reason="came after all")
    assert order == [("lock", [visit.location_id]), ("visit", visit.pk)]
    assert visit.status == AppointmentStatus.CHECKED_IN
    assert set(visit.legs.values_list("state", flat=True)) == {LegState.PLANNED}


def test_no_show_undo_refuses_counter_time_booked_since(visit, next_monday):
    appointment_mark_no_show(appointment=visit, actor=None)
    brp = visit.legs.get(service__code="brp")
    other = factories.appointment(loc=visit.location, start=brp.start, codes=["brp"])
    assert other.legs.get().counter_id == brp.counter_id  # the freed time, taken
    with pytest.raises(Conflict) as err:
        appointment_no_show_revert(appointment=visit, actor=None, reason="came after all")
    assert err.value.code == "slot_taken"
    visit.refresh_from_db()
    assert visit.status == AppointmentStatus.NO_SHOW
    assert set(visit.legs.values_list("state", flat=True)) == {LegState.CANCELLED}
