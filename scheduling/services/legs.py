"""State changes of a visit and its legs: the shared facts kiosk and counter build on.

kiosk moves a visit through the building (check in, start a leg at a counter, finish it);
counter records what a finished leg delivered. Neither imports the other: both call these.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.errors import CoreError
from core.exceptions import Conflict, ValidationFailed
from core.hooks import hooks_call
from scheduling.availability_cache import availability_changed
from scheduling.constants import OCCUPYING_LEG_STATES, AppointmentStatus, LegState
from scheduling.errors import SchedulingError
from scheduling.locking import locations_lock
from scheduling.models import Appointment, Counter, Leg

OPEN_VISIT_STATUSES = (
    AppointmentStatus.BOOKED,
    AppointmentStatus.CHECKED_IN,
    AppointmentStatus.IN_PROGRESS,
)


def _locked_appointment(appointment_id: int) -> Appointment:
    return Appointment.objects.select_for_update().get(pk=appointment_id)


@transaction.atomic
def appointment_check_in(*, appointment: Appointment, actor) -> Appointment:
    """Mark a booked visit as arrived. Idempotent: checking in twice is a no-op."""
    appointment = _locked_appointment(appointment.pk)
    if appointment.status in (AppointmentStatus.CHECKED_IN, AppointmentStatus.IN_PROGRESS):
        return appointment
    if appointment.status != AppointmentStatus.BOOKED:
        raise Conflict(
            _("This visit cannot be checked in (status: %(status)s).")
            % {"status": appointment.get_status_display()},
            code=SchedulingError.NOT_CHECKABLE,
        )
    appointment.status = AppointmentStatus.CHECKED_IN
    appointment.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, action="appointment.check_in", obj=appointment)
    return appointment


def leg_current(appointment: Appointment) -> Leg | None:
    """The first leg of the visit that is still to be done (planned or in progress)."""
    return (
        appointment.legs.filter(state__in=(LegState.PLANNED, LegState.IN_PROGRESS))
        .order_by("position")
        .first()
    )


@transaction.atomic
def leg_start(*, leg: Leg, counter: Counter, actor, now: dt.datetime | None = None) -> Leg:
    """A counter starts serving a leg (the person was called and came to the counter)."""
    now = now or timezone.now()
    leg = Leg.objects.select_for_update().select_related("appointment").get(pk=leg.pk)
    if leg.state == LegState.IN_PROGRESS and leg.served_counter_id == counter.pk:
        return leg
    if leg.state != LegState.PLANNED:
        raise Conflict(
            _("This leg is not waiting to be served."), code=SchedulingError.LEG_NOT_PLANNED
        )
    if leg.appointment.status not in OPEN_VISIT_STATUSES:
        raise Conflict(_("This visit is not open."), code=SchedulingError.VISIT_NOT_OPEN)
    if not counter.services.filter(pk=leg.service_id).exists():
        raise ValidationFailed(
            _("Counter %(counter)s cannot perform %(service)s.")
            % {"counter": counter.name, "service": leg.service.localized_name()},
            code=SchedulingError.COUNTER_CANNOT_SERVE,
        )
    leg.state = LegState.IN_PROGRESS
    leg.served_counter = counter
    leg.started_at = now
    leg.save(update_fields=["state", "served_counter", "started_at"])
    appointment = leg.appointment
    if appointment.status != AppointmentStatus.IN_PROGRESS:
        appointment.status = AppointmentStatus.IN_PROGRESS
        appointment.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, action="leg.start", obj=leg, counter=counter.pk)
    return leg


@transaction.atomic
def leg_finish(*, leg: Leg, actor, completed: bool = True, now: dt.datetime | None = None) -> Leg:
    """Finish a leg in progress. The visit is completed when no leg is left to do.

    ``settings.LEG_HOOKS["finish_guard"]`` may refuse (counter: a leg whose service needs a
    record is finished only once its record exists); ``LEG_HOOKS["finished"]`` follows the
    change in the apps above (kiosk: the queue ticket moves on), in this transaction.

    That locks the leg's queue number after the leg and the visit: a caller that does not hold
    the number yet takes it first (``scheduling.locking.leg_numbers_lock``, the lock order
    there), as counter's record does; the console's finish holds it already.
    """
    now = now or timezone.now()
    leg = Leg.objects.select_for_update().select_related("appointment", "service").get(pk=leg.pk)
    target = LegState.DONE if completed else LegState.NOT_DONE
    if leg.state == target:
        return leg
    if leg.state != LegState.IN_PROGRESS:
        raise Conflict(
            _("This leg was never called, so it cannot be finished."),
            code=SchedulingError.LEG_NOT_STARTED,
        )
    hooks_call("LEG_HOOKS", "finish_guard", leg=leg, completed=completed, actor=actor)
    leg.state = target
    leg.finished_at = now
    leg.save(update_fields=["state", "finished_at"])
    audit_log(actor=actor, action="leg.finish", obj=leg, state=target)
    appointment = _locked_appointment(leg.appointment_id)
    if leg_current(appointment) is None:
        appointment.status = AppointmentStatus.COMPLETED
        appointment.save(update_fields=["status", "updated_at"])
        audit_log(actor=actor, action="appointment.complete", obj=appointment)
    hooks_call("LEG_HOOKS", "finished", leg=leg, actor=actor, now=now)
    return leg


@transaction.atomic
def leg_reopen(*, leg: Leg, actor, reason: str) -> Leg:
    """Undo: put a started or finished leg back to planned (audited, reason required).
    ``LEG_HOOKS["reopen_guard"]`` may refuse (counter: a leg with a valid record)."""
    if not reason:
        raise ValidationFailed(_("Give a reason to undo."), code=CoreError.REASON_REQUIRED)
    leg = Leg.objects.select_for_update().select_related("appointment").get(pk=leg.pk)
    if leg.state not in (LegState.IN_PROGRESS, LegState.DONE, LegState.NOT_DONE):
        raise Conflict(
            _("Only a started or finished leg can be undone."), code=SchedulingError.LEG_NOT_STARTED
        )
    hooks_call("LEG_HOOKS", "reopen_guard", leg=leg, actor=actor)
    previous = leg.state
    leg.state = LegState.PLANNED
    leg.served_counter = None
    leg.started_at = None
    leg.finished_at = None
    leg.save(update_fields=["state", "served_counter", "started_at", "finished_at"])
    appointment = _locked_appointment(leg.appointment_id)
    if appointment.status == AppointmentStatus.COMPLETED:
        appointment.status = AppointmentStatus.IN_PROGRESS
        appointment.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, action="leg.reopen", obj=leg, reason=reason, previous=previous)
    return leg


@transaction.atomic
def appointment_mark_no_show(*, appointment: Appointment, actor) -> Appointment:
    appointment = _locked_appointment(appointment.pk)
    if appointment.status == AppointmentStatus.NO_SHOW:
        return appointment
    if appointment.status not in OPEN_VISIT_STATUSES:
        raise Conflict(_("This visit is not open."), code=SchedulingError.VISIT_NOT_OPEN)
    appointment.status = AppointmentStatus.NO_SHOW
    appointment.save(update_fields=["status", "updated_at"])
    appointment.legs.filter(state=LegState.PLANNED).update(state=LegState.CANCELLED)
    availability_changed([appointment.location_id])
    audit_log(actor=actor, action="appointment.no_show", obj=appointment)
    return appointment


@transaction.atomic
def appointment_no_show_revert(*, appointment: Appointment, actor, reason: str) -> Appointment:
    """Undo a no-show (the person turned up after all): legs cancelled by the no-show are
    planned again and the visit is open again. Audited, reason required.

    The legs take their counter time again, so this runs under the location's lock like
    every write that changes counter time (taken first, before the visit's row); counter
    time booked by someone else since the no-show is refused (``slot_taken``), nothing
    changes."""
    if not reason:
        raise ValidationFailed(_("Give a reason to undo."), code=CoreError.REASON_REQUIRED)
    location_id = Appointment.objects.values_list("location_id", flat=True).get(pk=appointment.pk)
    locations_lock([location_id])
    appointment = _locked_appointment(appointment.pk)
    if appointment.status != AppointmentStatus.NO_SHOW:
        raise Conflict(
            _("This visit is not marked as a no-show."), code=SchedulingError.NOT_NO_SHOW
        )
    for leg in appointment.legs.filter(state=LegState.CANCELLED, start__isnull=False):
        taken = (
            Leg.objects.filter(
                counter_id=leg.counter_id,
                state__in=OCCUPYING_LEG_STATES,
                start__lt=leg.end,
                end__gt=leg.start,
            )
            .exclude(appointment=appointment)
            .exists()
        )
        if taken:
            raise Conflict(
                _("This visit's counter time has been booked since the no-show."),
                code=SchedulingError.SLOT_TAKEN,
            )
    started = appointment.legs.filter(
        state__in=(LegState.IN_PROGRESS, LegState.DONE, LegState.NOT_DONE)
    ).exists()
    appointment.status = AppointmentStatus.IN_PROGRESS if started else AppointmentStatus.CHECKED_IN
    appointment.save(update_fields=["status", "updated_at"])
    appointment.legs.filter(state=LegState.CANCELLED).update(state=LegState.PLANNED)
    availability_changed([appointment.location_id])
    audit_log(actor=actor, action="appointment.no_show_revert", obj=appointment, reason=reason)
    return appointment
