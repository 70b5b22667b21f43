"""Group bookings: an employer books N workers at once, each into his own combined visit.

Flow: ``group_booking_create`` plans every worker (package rule -> chains staggered across
parallel counters) and writes the plan as HELD appointments that occupy capacity until
``hold_expires_at``; ``group_booking_confirm`` turns them into bookings and sends the
confirmations; ``group_booking_holds_expire`` (a periodic task) releases forgotten holds.
All or nothing: when one worker does not fit, nothing is written and the error names the
worker (roster row), the leg and the rule. ``employer_feed_token_regenerate`` revokes the
employer's calendar feed address and issues a new one.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log, audit_log_many
from core.errors import CoreError
from core.exceptions import Conflict, NotFound, ValidationFailed
from scheduling.availability_cache import availability_changed
from scheduling.constants import (
    ACTIVE_APPOINTMENT_STATUSES,
    AppointmentStatus,
    GroupBookingStatus,
    LegState,
)
from scheduling.errors import SchedulingError
from scheduling.group_booking import engine
from scheduling.group_booking.fair_share import fair_share_check
from scheduling.group_booking.roster import (
    RosterWorker,
    RowError,
    roster_fail,
    roster_workers_check,
)
from scheduling.locking import locations_lock
from scheduling.models import (
    Appointment,
    BusVisit,
    Client,
    Employer,
    GroupBooking,
    Leg,
    Location,
    Region,
)
from scheduling.models.people import new_feed_token
from scheduling.services.booking import (
    appointment_cancel,
    appointment_reschedule,
    capacity_freed,
)
from scheduling.services.codes import insert_with_fresh_codes
from scheduling.services.notifications import (
    appointment_change_notify,
    group_booking_confirmed_notify,
)


def _validate_target(*, employer, location, region, bus_visit, date_from, date_to):
    chosen = [x for x in (location, region, bus_visit) if x is not None]
    if len(chosen) != 1:
        raise ValidationFailed(
            _("Choose exactly one of: a desk, a region or a bus visit."),
            code=SchedulingError.TARGET_REQUIRED,
        )
    if bus_visit is not None:
        if bus_visit.employer_id != employer.pk:
            # Another employer's site: answer as if it did not exist.
            raise NotFound(_("Bus visit not found."), code=SchedulingError.BUS_VISIT_NOT_FOUND)
        if bus_visit.date < timezone.localdate():
            raise ValidationFailed(
                _("The date range lies in the past."), code=SchedulingError.DATE_IN_PAST
            )
        return bus_visit.date, bus_visit.date
    if date_from is None or date_to is None:
        raise ValidationFailed(_("Give a date range."), code=SchedulingError.DATES_REQUIRED)
    if date_from > date_to:
        raise ValidationFailed(
            _("The start date lies after the end date."), code=CoreError.RANGE_INVALID
        )
    if date_from < timezone.localdate():
        raise ValidationFailed(
            _("The date range lies in the past."), code=SchedulingError.DATE_IN_PAST
        )
    if (date_to - date_from).days > 62:
        raise ValidationFailed(
            _("Choose a date range of at most two months."), code=CoreError.RANGE_TOO_LONG
        )
    return date_from, date_to


def _plan(*, workers, employer, locations, bus_visit, date_from, date_to, actor, override=""):
    """Try each candidate location in turn; the first that takes every worker within the
    employer's fair share wins. Returns the location, the clients, the chains and the weeks
    a coordinator's ``override`` (a reason) books beyond the fair share."""
    first_error = None
    for loc in locations:
        clients = [w.as_client(employer=employer) for w in workers]
        try:
            packages = engine.packages_for(
                keyed_clients=[(w.row, c) for w, c in zip(workers, clients, strict=True)],
                location=loc,
                bus_visit=bus_visit,
            )
            requests = [
                engine.PlanRequest(key=w.row, client=c, services=p)
                for w, c, p in zip(workers, clients, packages, strict=True)
            ]
            chains = engine.plan(
                requests=requests,
                location=loc,
                bus_visit=bus_visit,
                date_from=date_from,
                date_to=date_to,
            )
            beyond = fair_share_check(
                employer=employer, chains=chains, actor=actor, override_reason=override
            )
        except ValidationFailed as exc:
            first_error = first_error or exc
            continue
        return loc, {w.row: c for w, c in zip(workers, clients, strict=True)}, chains, beyond
    raise first_error


def _candidate_locations(*, location, region, bus_visit) -> list[Location]:
    if bus_visit is not None:
        return [bus_visit.location]
    if location is not None:
        return [location]
    found = engine.locations_for_region(region)
    if not found:
        raise ValidationFailed(
            _("This region has no desk."), code=SchedulingError.REGION_WITHOUT_DESK
        )
    return found


CLIENT_FACT_FIELDS = [
    "nationality",
    "language",
    "interpreter_needed",
    "expected_stay_months",
    "temporary_protection",
    "works_under_dutch_social_security",
    "self_employed",
    "municipality_of_residence",
    "email",
    "phone",
]


def _clients_save(clients: list[Client], *, employer: Employer) -> None:
    """Save the roster's workers. A worker the employer booked before (same names and birth
    date) keeps his one client record, updated with the roster's facts: no duplicates of
    personal data."""
    births = {c.birth_date for c in clients}
    existing = {
        (c.first_name.casefold(), c.last_name.casefold(), c.birth_date): c
        for c in Client.objects.filter(employer=employer, birth_date__in=births)
    }
    known, new = [], []
    for client in clients:
        match = existing.get(
            (client.first_name.casefold(), client.last_name.casefold(), client.birth_date)
        )
        if match is not None:
            client.pk = match.pk
            client.created_at = match.created_at
            known.append(client)
        else:
            new.append(client)
    if known:
        Client.objects.bulk_update(known, CLIENT_FACT_FIELDS)
    Client.objects.bulk_create(new)
    if any(c.pk is None for c in new):  # pragma: no cover - backends without RETURNING
        raise RuntimeError("bulk_create did not return primary keys")


def _write(*, chains, clients, actor, group_booking, status):
    _clients_save(list(clients.values()), employer=group_booking.employer)
    return engine.book(
        chains=chains, clients=clients, actor=actor, group_booking=group_booking, status=status
    )


def group_booking_create(
    *,
    employer: Employer,
    actor,
    workers: list[RosterWorker],
    location: Location | None = None,
    region: Region | None = None,
    bus_visit: BusVisit | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    po_reference: str = "",
    confirm: bool = False,
    fair_share_override_reason: str = "",
) -> GroupBooking:
    """Plan and hold (or, with ``confirm``, book at once) one visit per worker. All or nothing.

    The plan stays within the employer's fair share of each desk week (fair_share.py) unless
    a coordinator gives ``fair_share_override_reason`` (audited)."""
    date_from, date_to = _validate_target(
        employer=employer,
        location=location,
        region=region,
        bus_visit=bus_visit,
        date_from=date_from,
        date_to=date_to,
    )
    roster_workers_check(workers)
    locations = _candidate_locations(location=location, region=region, bus_visit=bus_visit)
    with transaction.atomic():
        # Plan under the lock: competing bookers for these places queue here (bounded wait,
        # then Busy) instead of all planning the same free time and failing the re-check.
        locations_lock([loc.pk for loc in locations])
        chosen, clients, chains, beyond = _plan(
            workers=workers,
            employer=employer,
            locations=locations,
            bus_visit=bus_visit,
            date_from=date_from,
            date_to=date_to,
            actor=actor,
            override=fair_share_override_reason,
        )
        now = timezone.now()
        [group] = insert_with_fresh_codes(
            [
                GroupBooking(
                    employer=employer,
                    po_reference=po_reference[:100],
                    status=GroupBookingStatus.CONFIRMED if confirm else GroupBookingStatus.HELD,
                    location=chosen,
                    region=region,
                    bus_visit=bus_visit,
                    date_from=date_from,
                    date_to=date_to,
                    hold_expires_at=None
                    if confirm
                    else now + dt.timedelta(minutes=settings.GROUP_BOOKING_HOLD_MINUTES),
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
            ],
            field="reference",
        )
        appointments = _write(
            chains=chains,
            clients=clients,
            actor=actor,
            group_booking=group,
            status=AppointmentStatus.BOOKED if confirm else AppointmentStatus.HELD,
        )
        audit_log(
            actor=actor,
            action="group_booking.create",
            obj=group,
            workers=len(appointments),
            location=chosen.pk,
            status=group.status,
        )
        _fair_share_overrides_audit(
            group=group, beyond=beyond, actor=actor, reason=fair_share_override_reason
        )
        if confirm:
            group_booking_confirmed_notify(group_booking=group)
    return group


def _locked_group(group: GroupBooking) -> GroupBooking:
    return GroupBooking.objects.select_for_update().get(pk=group.pk)


def _release(appointments_qs, *, now, actor, action: str, reason: str = "") -> list[int]:
    """Cancel these appointments in bulk and free their planned legs (audited per visit).
    Cancelling bumps the ICS sequence and invalidates old ticket tokens."""
    appointments = list(appointments_qs.select_for_update())
    ids = [a.pk for a in appointments]
    if not ids:
        return ids
    Appointment.objects.filter(pk__in=ids).update(
        status=AppointmentStatus.CANCELLED,
        cancelled_at=now,
        updated_at=now,
        sequence=F("sequence") + 1,
        token_version=F("token_version") + 1,
    )
    Leg.objects.filter(appointment_id__in=ids, state=LegState.PLANNED).update(
        state=LegState.CANCELLED
    )
    availability_changed(a.location_id for a in appointments)
    audit_log_many(
        actor=actor,
        action=action,
        reason=reason,
        entries=[(a, {"group_booking": a.group_booking_id}) for a in appointments],
    )
    capacity_freed(location_ids={a.location_id for a in appointments})
    return ids


@transaction.atomic
def group_booking_confirm(*, group_booking: GroupBooking, actor) -> GroupBooking:
    """Turn a held plan into bookings. Confirming twice is a no-op; an expired hold is refused."""
    group = _locked_group(group_booking)
    if group.status == GroupBookingStatus.CONFIRMED:
        return group
    if group.status != GroupBookingStatus.HELD or group.waitlist_hold:
        raise Conflict(
            _("This group booking is %(status)s and can no longer be confirmed.")
            % {"status": group.get_status_display()},
            code=SchedulingError.NOT_CONFIRMABLE,
        )
    now = timezone.now()
    if group.hold_expires_at and group.hold_expires_at <= now:
        _expire(group, now=now)
        raise Conflict(
            _("The hold on this plan has expired; the places were released. Please plan again."),
            code=SchedulingError.HOLD_EXPIRED,
        )
    group.appointments.filter(status=AppointmentStatus.HELD).update(
        status=AppointmentStatus.BOOKED, updated_at=now
    )
    group.status = GroupBookingStatus.CONFIRMED
    group.hold_expires_at = None
    group.save(update_fields=["status", "hold_expires_at", "updated_at"])
    audit_log(actor=actor, action="group_booking.confirm", obj=group)
    group_booking_confirmed_notify(group_booking=group)
    return group


def _expire(group: GroupBooking, *, now) -> None:
    ids = _release(
        group.appointments.filter(status=AppointmentStatus.HELD),
        now=now,
        actor=None,
        action="appointment.hold_expire",
    )
    group.status = GroupBookingStatus.EXPIRED
    group.save(update_fields=["status", "updated_at"])
    audit_log(actor=None, action="group_booking.expire", obj=group, released=len(ids))


def group_booking_holds_expire(*, now: dt.datetime | None = None) -> int:
    """Release every hold past its expiry. Safe to run often and concurrently."""
    now = now or timezone.now()
    count = 0
    due = GroupBooking.objects.filter(status=GroupBookingStatus.HELD, hold_expires_at__lte=now)
    for pk, location_id in due.values_list("pk", "location_id"):
        with transaction.atomic():
            locations_lock([location_id] if location_id else [])
            group = GroupBooking.objects.select_for_update().get(pk=pk)
            if group.status != GroupBookingStatus.HELD or group.hold_expires_at > now:
                continue
            _expire(group, now=now)
            count += 1
    return count


@transaction.atomic
def group_booking_cancel(*, group_booking: GroupBooking, actor, reason: str = "") -> GroupBooking:
    """Cancel the whole group: every open visit is cancelled and its places freed."""
    # The place first (the order every writer takes): an offer round of the waitlist sees a
    # stable picture of the desk while it holds the lock.
    locations_lock([group_booking.location_id] if group_booking.location_id else [])
    group = _locked_group(group_booking)
    if group.status in (GroupBookingStatus.CANCELLED, GroupBookingStatus.EXPIRED):
        return group
    was_confirmed = group.status == GroupBookingStatus.CONFIRMED
    now = timezone.now()
    open_qs = group.appointments.filter(
        status__in=(AppointmentStatus.HELD, AppointmentStatus.BOOKED)
    )
    started = group.appointments.filter(
        status__in=(AppointmentStatus.CHECKED_IN, AppointmentStatus.IN_PROGRESS)
    ).exists()
    if started:
        raise Conflict(
            _("Some workers are already at the desk; cancel the others one by one."),
            code=SchedulingError.GROUP_IN_PROGRESS,
        )
    ids = _release(open_qs, now=now, actor=actor, action="appointment.cancel", reason=reason)
    group.status = GroupBookingStatus.CANCELLED
    group.hold_expires_at = None
    group.save(update_fields=["status", "hold_expires_at", "updated_at"])
    audit_log(
        actor=actor, action="group_booking.cancel", obj=group, reason=reason, cancelled=len(ids)
    )
    if was_confirmed:
        for appointment_id in ids:
            appointment_change_notify(appointment_id=appointment_id, kind="cancelled")
    return group


def _member(group: GroupBooking, booking_code: str) -> Appointment:
    appointment = group.appointments.filter(booking_code=booking_code).first()
    if appointment is None:
        raise NotFound(
            _("This worker is not in this group booking."), code=SchedulingError.WORKER_NOT_FOUND
        )
    return appointment


def _require_open(group: GroupBooking) -> None:
    if group.status not in (GroupBookingStatus.HELD, GroupBookingStatus.CONFIRMED):
        raise Conflict(
            _("This group booking is %(status)s.") % {"status": group.get_status_display()},
            code=SchedulingError.GROUP_CLOSED,
        )
    if group.status == GroupBookingStatus.HELD and group.hold_expires_at <= timezone.now():
        raise Conflict(_("The hold on this plan has expired."), code=SchedulingError.HOLD_EXPIRED)


@transaction.atomic
def group_booking_worker_cancel(
    *, group_booking: GroupBooking, booking_code: str, actor, reason: str = ""
) -> Appointment:
    group = _locked_group(group_booking)
    _require_open(group)
    appointment = _member(group, booking_code)
    if appointment.status == AppointmentStatus.CANCELLED:
        return appointment
    if appointment.status not in (AppointmentStatus.HELD, AppointmentStatus.BOOKED):
        raise Conflict(
            _("This visit has started or ended and cannot be cancelled."),
            code=SchedulingError.NOT_CANCELLABLE,
        )
    appointment = appointment_cancel(appointment=appointment, actor=actor, reason=reason)
    audit_log(
        actor=actor,
        action="group_booking.worker_cancel",
        obj=group,
        reason=reason,
        appointment=appointment.pk,
    )
    appointment.refresh_from_db()
    return appointment


def _add(
    group: GroupBooking, worker: RosterWorker, *, actor, exclude=(), override: str = ""
) -> Appointment:
    taken = {
        (c.first_name.casefold(), c.last_name.casefold(), c.birth_date)
        for c in Client.objects.filter(
            appointments__group_booking=group,
            appointments__status__in=ACTIVE_APPOINTMENT_STATUSES,
        ).exclude(appointments__pk__in=list(exclude))
    }
    if worker.identity in taken:
        raise roster_fail(
            [
                RowError(
                    worker.row,
                    "first_name",
                    "duplicate_worker",
                    _("This worker is already in this group booking."),
                )
            ]
        )
    active = group.appointments.filter(status__in=ACTIVE_APPOINTMENT_STATUSES).count()
    if active + 1 > settings.GROUP_BOOKING_MAX_SIZE:
        raise ValidationFailed(
            _("A group booking holds at most %(max)d workers.")
            % {"max": settings.GROUP_BOOKING_MAX_SIZE},
            code=SchedulingError.TOO_MANY,
        )
    date_from = max(group.date_from, timezone.localdate())
    locations_lock([group.location_id])
    _loc, clients, chains, beyond = _plan(
        workers=[worker],
        employer=group.employer,
        locations=[group.location],
        bus_visit=group.bus_visit,
        date_from=date_from,
        date_to=group.date_to,
        actor=actor,
        override=override,
    )
    status = (
        AppointmentStatus.HELD
        if group.status == GroupBookingStatus.HELD
        else AppointmentStatus.BOOKED
    )
    (appointment,) = _write(
        chains=chains, clients=clients, actor=actor, group_booking=group, status=status
    )
    _fair_share_overrides_audit(group=group, beyond=beyond, actor=actor, reason=override)
    return appointment


def _fair_share_overrides_audit(*, group: GroupBooking, beyond, actor, reason: str) -> None:
    """One audit entry per desk week a coordinator's reason books beyond the fair share."""
    for week in beyond:
        audit_log(
            actor=actor,
            action="group_booking.fair_share_override",
            obj=group,
            reason=reason.strip()[:500],
            week=week.week_label,
            booked_minutes=week.booked_minutes,
            capacity_minutes=week.capacity_minutes,
            limit_percent=week.limit_percent,
        )


@transaction.atomic
def group_booking_worker_add(
    *,
    group_booking: GroupBooking,
    worker: RosterWorker,
    actor,
    fair_share_override_reason: str = "",
) -> Appointment:
    """Add one worker to an existing group, at the group's desk within its date range; beyond
    the employer's fair share only with a coordinator's ``fair_share_override_reason``
    (audited)."""
    group = _locked_group(group_booking)
    _require_open(group)
    appointment = _add(group, worker, actor=actor, override=fair_share_override_reason)
    audit_log(actor=actor, action="group_booking.worker_add", obj=group, appointment=appointment.pk)
    if group.status == GroupBookingStatus.CONFIRMED:
        group_booking_confirmed_notify(group_booking=group)
    return appointment


@transaction.atomic
def group_booking_worker_replace(
    *, group_booking: GroupBooking, booking_code: str, worker: RosterWorker, actor
) -> Appointment:
    """Give one worker's place to another: the old visit is cancelled and the new worker is
    planned (usually into the freed time). All or nothing: if he does not fit, nothing changes."""
    group = _locked_group(group_booking)
    _require_open(group)
    old = _member(group, booking_code)
    if old.status not in (AppointmentStatus.HELD, AppointmentStatus.BOOKED):
        raise Conflict(
            _("This visit has started or ended and cannot be replaced."),
            code=SchedulingError.NOT_REPLACEABLE,
        )
    appointment_cancel(appointment=old, actor=actor, reason="replaced")
    appointment = _add(group, worker, actor=actor, exclude=(old.pk,))
    audit_log(
        actor=actor,
        action="group_booking.worker_replace",
        obj=group,
        replaced=old.pk,
        appointment=appointment.pk,
    )
    if group.status == GroupBookingStatus.CONFIRMED:
        group_booking_confirmed_notify(group_booking=group)
    return appointment


@transaction.atomic
def group_booking_worker_reschedule(
    *, group_booking: GroupBooking, booking_code: str, start: dt.datetime, actor
) -> Appointment:
    """Move one worker's visit (same services, same place) to another start. The engine
    re-checks the chain under its lock; the worker and the employer get a notice."""
    group = _locked_group(group_booking)
    _require_open(group)
    appointment = _member(group, booking_code)
    moved = appointment_reschedule(appointment=appointment, start=start, actor=actor)
    audit_log(
        actor=actor,
        action="group_booking.worker_reschedule",
        obj=group,
        appointment=moved.pk,
        start=moved.start.isoformat(),
    )
    return moved


@transaction.atomic
def employer_feed_token_regenerate(*, employer: Employer, actor) -> Employer:
    """Revoke the old calendar feed URL and issue a new one."""
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    employer.calendar_feed_token = new_feed_token()
    employer.save(update_fields=["calendar_feed_token"])
    audit_log(actor=actor, action="employer.feed_token_regenerate", obj=employer)
    return employer
