"""Booking, cancelling and rescheduling combined appointments.

Every write runs in one transaction: take the lock helper on the involved locations (sorted),
re-read the counters' free time for the day(s) (``schedule_load``, a fixed number of
queries), re-check that each chain still fits, then insert. On PostgreSQL the exclusion
constraint ``leg_counter_no_overlap`` is the backstop; its violation becomes ``slot_taken``.
A random booking code that is already taken is drawn again (``services/codes.py``).
Nothing is written when any check fails (group bookings are all or nothing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log, audit_log_many
from core.errors import CoreError
from core.exceptions import Conflict, ValidationFailed
from core.tasks import enqueue_on_commit
from scheduling.availability_cache import availability_changed
from scheduling.constants import (
    AppointmentSource,
    AppointmentStatus,
    LegState,
    LocationKind,
    WaitlistStatus,
)
from scheduling.errors import SchedulingError
from scheduling.locking import locations_lock
from scheduling.models import (
    Appointment,
    BusVisit,
    Client,
    GroupBooking,
    Leg,
    Location,
    ServiceType,
)
from scheduling.selectors.availability import (
    AMS,
    Place,
    place_chain_at,
    schedule_load,
)
from scheduling.services.clients import client_create
from scheduling.services.codes import insert_with_fresh_codes
from scheduling.services.notifications import appointment_change_notify
from scheduling.services.package import package_validate

EXCLUSION_CONSTRAINT = "leg_counter_no_overlap"
CANCELLABLE_STATUSES = (
    AppointmentStatus.HELD,
    AppointmentStatus.BOOKED,
    AppointmentStatus.CHECKED_IN,
)
RESCHEDULABLE_STATUSES = (AppointmentStatus.HELD, AppointmentStatus.BOOKED)


@dataclass
class BookingItem:
    """One appointment of a (group) booking."""

    client: Client
    location: Location
    start: dt.datetime
    services: Sequence[ServiceType]
    bus_visit: BusVisit | None = None


def _slot_taken(index: int | None = None) -> Conflict:
    details = {"item": index} if index is not None else {}
    return Conflict(
        _("This time was taken a moment ago. Please choose another time."),
        code=SchedulingError.SLOT_TAKEN,
        details=details,
    )


def _check_item(item: BookingItem, now: dt.datetime, index: int | None) -> dt.date:
    """Checks that need no database: time zone, past, location kind. Returns the local day."""
    details = {"item": index} if index is not None else {}
    if timezone.is_naive(item.start):
        raise ValidationFailed(
            _("The start time needs a time zone."), code=CoreError.NAIVE_DATETIME, details=details
        )
    if item.start < now:
        raise ValidationFailed(
            _("This time lies in the past. Choose a time from now on."),
            code=SchedulingError.PAST_START,
            details=details,
        )
    if not item.location.is_active:
        raise ValidationFailed(
            _("%(location)s does not take bookings.") % {"location": item.location.name},
            code=SchedulingError.LOCATION_INACTIVE,
            details=details,
        )
    day = item.start.astimezone(AMS).date()
    if item.location.kind == LocationKind.BUS:
        if item.bus_visit is None:
            raise ValidationFailed(
                _("Choose the bus visit (site and date) to book the bus."),
                code=SchedulingError.BUS_VISIT_REQUIRED,
                details=details,
            )
        if item.bus_visit.location_id != item.location.pk or item.bus_visit.date != day:
            raise ValidationFailed(
                _("The bus visit does not match the bus and the date."),
                code=SchedulingError.BUS_VISIT_MISMATCH,
                details=details,
            )
    elif item.bus_visit is not None:
        raise ValidationFailed(
            _("A bus visit can only be booked on the bus."),
            code=SchedulingError.BUS_VISIT_MISMATCH,
            details=details,
        )
    return day


def _place_item(
    item: BookingItem, places: dict, closed: set, index: int | None
) -> tuple[Place, list[ServiceType], list]:
    """Validate the package at the place and occupy the chain's counter time there."""
    details = {"item": index} if index is not None else {}
    day = item.start.astimezone(AMS).date()
    key = (item.location.pk, item.bus_visit.pk if item.bus_visit else None, day)
    place = places.get(key)
    if place is None:
        raise ValidationFailed(
            _("%(location)s is closed on %(date)s.")
            % {"location": item.location.name, "date": day.isoformat()},
            code=SchedulingError.LOCATION_CLOSED,
            details=details,
        )
    services = package_validate(
        services=item.services,
        location=item.location,
        client=item.client,
        bus_visit=item.bus_visit,
        capabilities={cid: set(caps) for cid, caps in place.capabilities.items()},
    )
    # The visit order is the given order once validated (registration first, ...).
    legs, _failed = place_chain_at(
        place, services, item.start, interpreter_needed=item.client.interpreter_needed
    )
    if legs is None:
        empty = Place(
            place.location,
            place.bus_visit,
            place.day,
            place.windows,
            place.capabilities,
            {cid: list(place.windows) for cid in place.capabilities},
        )
        fits_when_empty, _failed = place_chain_at(
            empty, services, item.start, interpreter_needed=item.client.interpreter_needed
        )
        if fits_when_empty is not None:
            raise _slot_taken(index)
        raise ValidationFailed(
            _(
                "The visit does not fit at this time: the services cannot follow each other "
                "before closing time. Choose a time offered by the availability search."
            ),
            code=SchedulingError.CHAIN_DOES_NOT_FIT,
            details=details,
        )
    return place, services, legs


def _write(
    *,
    planned: list[tuple[BookingItem, list[ServiceType], list]],
    actor,
    group_booking: GroupBooking | None,
    status: str,
    source: str,
) -> list[Appointment]:
    user = actor if getattr(actor, "is_authenticated", False) else None
    appointments = [
        Appointment(
            client=item.client,
            location=item.location,
            bus_visit=item.bus_visit,
            group_booking=group_booking,
            status=status,
            source=source,
            start=dt.datetime.fromtimestamp(legs[0][2], tz=AMS),
            end=dt.datetime.fromtimestamp(legs[-1][3], tz=AMS),
            created_by=user,
        )
        for item, _services, legs in planned
    ]
    appointments = insert_with_fresh_codes(appointments, field="booking_code")
    Leg.objects.bulk_create(
        [
            Leg(
                appointment=appointment,
                position=position,
                service=service,
                counter_id=counter_id,
                start=dt.datetime.fromtimestamp(lo, tz=AMS),
                end=dt.datetime.fromtimestamp(hi, tz=AMS),
                state=LegState.PLANNED,
            )
            for appointment, (_item, services, legs) in zip(appointments, planned, strict=True)
            for position, (service, (_sid, counter_id, lo, hi)) in enumerate(
                zip(services, legs, strict=True), start=1
            )
        ]
    )
    audit_log_many(
        actor=actor,
        action="appointment.book",
        entries=[
            (
                appointment,
                {
                    "location": appointment.location_id,
                    "bus_visit": appointment.bus_visit_id,
                    "start": appointment.start.isoformat(),
                    "services": [s.code for s in services],
                    "status": status,
                    "group_booking": group_booking.pk if group_booking else None,
                },
            )
            for appointment, (_item, services, _legs) in zip(appointments, planned, strict=True)
        ],
    )
    return appointments


def _book(
    items: Sequence[BookingItem],
    *,
    actor,
    group_booking: GroupBooking | None,
    status: str,
    source: str,
    many: bool,
) -> list[Appointment]:
    if not items:
        raise ValidationFailed(_("Nothing to book."), code=SchedulingError.INVALID_GROUP)
    now = timezone.now()
    days = [_check_item(item, now, i if many else None) for i, item in enumerate(items)]
    location_ids = {item.location.pk for item in items}
    try:
        with transaction.atomic():
            locations_lock(location_ids)
            schedule = schedule_load(
                date_from=min(days), date_to=max(days), locations=sorted(location_ids)
            )
            places = {place.key: place for place in schedule.places}
            planned = []
            for i, item in enumerate(items):
                _place, services, legs = _place_item(
                    item, places, schedule.closed, i if many else None
                )
                planned.append((item, services, legs))
            return _write(
                planned=planned,
                actor=actor,
                group_booking=group_booking,
                status=status,
                source=source,
            )
    except IntegrityError as exc:
        if EXCLUSION_CONSTRAINT in str(exc):
            raise _slot_taken() from exc
        raise


def appointment_book(
    *,
    client: Client,
    location: Location,
    start: dt.datetime,
    services: Sequence[ServiceType],
    actor,
    bus_visit: BusVisit | None = None,
    source: str = AppointmentSource.BOOKED,
) -> Appointment:
    """Book one combined appointment starting at ``start`` (re-checked under the lock)."""
    item = BookingItem(
        client=client, location=location, start=start, services=services, bus_visit=bus_visit
    )
    return _book(
        [item],
        actor=actor,
        group_booking=None,
        status=AppointmentStatus.BOOKED,
        source=source,
        many=False,
    )[0]


@transaction.atomic
def client_appointment_book(
    *,
    client_facts: dict,
    location: Location,
    start: dt.datetime,
    services: Sequence[ServiceType],
    actor,
) -> Appointment:
    """A new client (``client_create`` keyword arguments) booked at ``start``: both or neither."""
    client = client_create(actor=actor, **client_facts)
    return appointment_book(
        client=client, location=location, start=start, services=services, actor=actor
    )


def appointments_book_many(
    *,
    items: Sequence[BookingItem],
    actor,
    group_booking: GroupBooking | None = None,
    status: str = AppointmentStatus.BOOKED,
) -> list[Appointment]:
    """Book many appointments at once, ALL OR NOTHING: one lock acquisition, one availability
    re-check (items are placed in the given order, as ``chains_plan`` did), bulk inserts.
    Errors carry ``details["item"]``, the index of the item that failed."""
    if status not in (AppointmentStatus.HELD, AppointmentStatus.BOOKED):
        raise ValidationFailed(
            _("New appointments are held or booked."), code=SchedulingError.INVALID_STATUS
        )
    return _book(
        list(items),
        actor=actor,
        group_booking=group_booking,
        status=status,
        source=AppointmentSource.BOOKED,
        many=True,
    )


def capacity_freed(*, location_ids) -> None:
    """Counter time at these locations was freed (a cancellation, a released hold): after
    commit, offer it to the waitlist (``scheduling.tasks.waitlist_offers_task``; the periodic
    round catches closures removed and new opening hours). Nothing is queued while nobody
    waits."""
    from scheduling.models import WaitlistEntry

    ids = sorted({int(pk) for pk in location_ids if pk is not None})
    if ids and WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING).exists():
        enqueue_on_commit("scheduling.tasks.waitlist_offers_task", ids)


def appointment_cancel(
    *, appointment: Appointment, actor, reason: str = "", now: dt.datetime | None = None
) -> Appointment:
    """Cancel a visit: its legs free their counter time. Cancelling twice is a no-op."""
    now = now or timezone.now()
    with transaction.atomic():
        # The place before the visit (the order every writer takes): freed time is offered
        # to the waitlist under this lock, so a round never sees it change halfway.
        locations_lock([appointment.location_id])
        appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
        locations_lock([appointment.location_id])  # moved meanwhile: that place too
        if appointment.status == AppointmentStatus.CANCELLED:
            return appointment
        if appointment.status not in CANCELLABLE_STATUSES:
            raise Conflict(
                _("This visit can no longer be cancelled (status: %(status)s).")
                % {"status": appointment.get_status_display()},
                code=SchedulingError.NOT_CANCELLABLE,
            )
        # A held plan was never confirmed: nobody was told about it, so nobody is told now.
        was_booked = appointment.status != AppointmentStatus.HELD
        appointment.legs.exclude(state__in=(LegState.DONE, LegState.NOT_DONE)).update(
            state=LegState.CANCELLED
        )
        availability_changed([appointment.location_id])
        appointment.status = AppointmentStatus.CANCELLED
        appointment.cancelled_at = now
        appointment.sequence += 1
        appointment.token_version += 1
        appointment.save(
            update_fields=["status", "cancelled_at", "sequence", "token_version", "updated_at"]
        )
        audit_log(actor=actor, action="appointment.cancel", obj=appointment, reason=reason)
        capacity_freed(location_ids=[appointment.location_id])
        if was_booked:
            appointment_change_notify(appointment_id=appointment.pk, kind="cancelled")
        return appointment


def appointment_reschedule(
    *,
    appointment: Appointment,
    start: dt.datetime,
    actor,
    location: Location | None = None,
    bus_visit: BusVisit | None = None,
    now: dt.datetime | None = None,
) -> Appointment:
    """Move a booked visit (same services) to a new start, optionally at another location."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            current = Appointment.objects.select_related("client", "location", "bus_visit").get(
                pk=appointment.pk
            )
            target = location or current.location
            if location is None and bus_visit is None:
                bus_visit = current.bus_visit if target.kind == LocationKind.BUS else None
            item_services = [
                leg.service for leg in current.legs.select_related("service").order_by("position")
            ]
            item = BookingItem(
                client=current.client,
                location=target,
                start=start,
                services=item_services,
                bus_visit=bus_visit,
            )
            day = _check_item(item, now, None)
            locations_lock({current.location_id, target.pk})
            current = Appointment.objects.select_for_update().get(pk=appointment.pk)
            if current.status not in RESCHEDULABLE_STATUSES:
                raise Conflict(
                    _("This visit can no longer be moved (status: %(status)s).")
                    % {"status": current.get_status_display()},
                    code=SchedulingError.NOT_RESCHEDULABLE,
                )
            legs = list(current.legs.order_by("position"))
            if any(leg.state != LegState.PLANNED for leg in legs):
                raise Conflict(
                    _("This visit has started and can no longer be moved."),
                    code=SchedulingError.NOT_RESCHEDULABLE,
                )
            schedule = schedule_load(
                date_from=day,
                date_to=day,
                locations=[target.pk],
                exclude_appointment_ids=[current.pk],
            )
            places = {place.key: place for place in schedule.places}
            _place, services, planned = _place_item(item, places, schedule.closed, None)
            by_service = {leg.service_id: leg for leg in legs}
            old_start = current.start
            # Park the old legs outside the overlap rule, then move them (no transient overlap).
            Leg.objects.filter(appointment=current).update(state=LegState.CANCELLED)
            moved = []
            for position, (service, (_sid, counter_id, lo, hi)) in enumerate(
                zip(services, planned, strict=True), start=1
            ):
                leg = by_service[service.pk]
                leg.position = position
                leg.counter_id = counter_id
                leg.start = dt.datetime.fromtimestamp(lo, tz=AMS)
                leg.end = dt.datetime.fromtimestamp(hi, tz=AMS)
                leg.state = LegState.PLANNED
                moved.append(leg)
            # Positions are unique per appointment: shift out of the way first.
            Leg.objects.filter(appointment=current).update(position=F("position") + 1000)
            Leg.objects.bulk_update(moved, ["position", "counter", "start", "end", "state"])
            current.location = target
            current.bus_visit = bus_visit
            current.start = moved[0].start
            current.end = moved[-1].end
            current.sequence += 1
            current.token_version += 1
            current.save(
                update_fields=[
                    "location",
                    "bus_visit",
                    "start",
                    "end",
                    "sequence",
                    "token_version",
                    "updated_at",
                ]
            )
            audit_log(
                actor=actor,
                action="appointment.reschedule",
                obj=current,
                old_start=old_start.isoformat() if old_start else None,
                start=current.start.isoformat(),
                location=target.pk,
            )
            if current.status != AppointmentStatus.HELD:
                appointment_change_notify(appointment_id=current.pk, kind="moved")
            return current
    except IntegrityError as exc:
        if EXCLUSION_CONSTRAINT in str(exc):
            raise _slot_taken() from exc
        raise
