"""Waitlist writes: join, withdraw, the offer round, accept, decline, expiry (docs/waitlist.md).

The offer round (``waitlist_offers_make``) runs after a cancellation or a released hold
(``scheduling.services.booking.capacity_freed`` -> ``scheduling.tasks.waitlist_offers_task``)
and periodically (``waitlist_run``: expiry, lapsed entries, closures removed and new opening
hours). In joining order, one transaction per entry, it takes ``locations_lock`` on the
places the entry may use, re-reads it under that lock and holds its places if it now fits
(earlier entries of the round that did not fit are tried again first, under the same lock): a
held group booking of placeholder visits (``GroupBooking.waitlist_hold``) whose
``hold_expires_at`` is the offer's expiry, so the group-booking hold expiry releases it like
any other hold. Two rounds never offer the same places twice: each waits for the lock and
then sees the other's holds as occupied counter time and its entries as offered.

Accepting books the employer's real workers through ``group_booking_create`` (package rule,
fair share, all or nothing) in the same transaction that releases the placeholders: if they do
not fit, nothing changes and the hold stays. Every offer, acceptance, decline, expiry and
withdrawal is audited (``waitlist.*``).
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.errors import CoreError
from core.exceptions import Conflict, DomainError, ValidationFailed
from core.tasks import enqueue_on_commit
from scheduling.constants import (
    OPEN_WAITLIST_STATUSES,
    AppointmentStatus,
    GroupBookingStatus,
    LocationKind,
    WaitlistStatus,
)
from scheduling.errors import SchedulingError
from scheduling.group_booking.engine import locations_for_region
from scheduling.group_booking.roster import RosterWorker
from scheduling.group_booking.services import (
    group_booking_cancel,
    group_booking_create,
    group_booking_holds_expire,
)
from scheduling.locking import locations_lock
from scheduling.models import (
    Client,
    Employer,
    GroupBooking,
    Location,
    Region,
    ServiceType,
    WaitlistEntry,
)
from scheduling.selectors.availability import ChainRequest, chains_plan
from scheduling.services.booking import BookingItem, appointments_book_many
from scheduling.services.codes import insert_with_fresh_codes
from scheduling.services.notifications import notification_send_once
from scheduling.services.package import counter_capabilities, package_validate
from scheduling.waitlist.tokens import offer_token

logger = logging.getLogger(__name__)

# The placeholder visit of a hold: no person, only counter time (walk-in placeholders alike).
HOLD_FIRST_NAME = "Waitlist"
HOLD_LAST_NAME = "Hold"
HOLD_BIRTH_DATE = dt.date(1900, 1, 1)
HOLD_NATIONALITY = "XX"
# group_booking_create's longest date range.
GROUP_BOOKING_MAX_RANGE_DAYS = 62


# --- joining and leaving the line ------------------------------------------------------------


def _candidates(entry: WaitlistEntry) -> list[Location]:
    """The places an entry may be offered, in the order they are tried."""
    if entry.location_id is not None:
        return [entry.location] if entry.location.is_active else []
    return locations_for_region(entry.region)


def _join_check(
    *,
    employer: Employer,
    location: Location | None,
    region: Region | None,
    date_from: dt.date | None,
    date_to: dt.date | None,
    group_size: int | None,
    services: list[ServiceType],
    today: dt.date,
) -> list[ServiceType]:
    if (location is None) == (region is None):
        raise ValidationFailed(
            _("Choose a desk or a region."), code=SchedulingError.TARGET_REQUIRED
        )
    if location is not None and (location.kind != LocationKind.DESK or not location.is_active):
        raise ValidationFailed(
            _("Choose one of the desks."), code=SchedulingError.LOCATION_INACTIVE
        )
    if date_from is None or date_to is None:
        raise ValidationFailed(_("Give a date range."), code=SchedulingError.DATES_REQUIRED)
    if date_from > date_to:
        raise ValidationFailed(
            _("The start date lies after the end date."), code=CoreError.RANGE_INVALID
        )
    if date_from < today:
        raise ValidationFailed(
            _("The date range lies in the past."), code=SchedulingError.DATE_IN_PAST
        )
    weeks = min(settings.WAITLIST_MAX_WEEKS, (settings.AVAILABILITY_MAX_DAYS - 1) // 7)
    if (date_to - date_from).days > weeks * 7 or (date_to - today).days > 2 * weeks * 7:
        raise ValidationFailed(
            _("Wait for a date range of at most %(weeks)d weeks, starting within %(weeks)d weeks.")
            % {"weeks": weeks},
            code=CoreError.RANGE_TOO_LONG,
        )
    if group_size is None or not 1 <= group_size <= settings.GROUP_BOOKING_MAX_SIZE:
        raise ValidationFailed(
            _("A group has between 1 and %(max)d workers.")
            % {"max": settings.GROUP_BOOKING_MAX_SIZE},
            code=SchedulingError.TOO_MANY,
        )
    if location is not None:
        return package_validate(services=services, location=location)
    services = package_validate(services=services)
    desks = locations_for_region(region)
    if not desks:
        raise ValidationFailed(
            _("This region has no desk."), code=SchedulingError.REGION_WITHOUT_DESK
        )
    wanted = {s.pk for s in services}
    offered = [set().union(*counter_capabilities(location=d).values()) for d in desks]
    if not any(wanted <= services_there for services_there in offered):
        raise ValidationFailed(
            _("No desk in %(region)s can do all these services.") % {"region": region.name},
            code=SchedulingError.SERVICE_NOT_OFFERED,
        )
    return services


def waitlist_join(
    *,
    employer: Employer,
    actor,
    location: Location | None = None,
    region: Region | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    group_size: int | None = None,
    services: list[ServiceType],
    now: dt.datetime | None = None,
) -> WaitlistEntry:
    """Put a group in line for a desk (or any desk of a region) within a date range.

    Refused: no target or two, no or an inverted range, a start in the past, a range longer
    than ``WAITLIST_MAX_WEEKS`` (or starting further away than twice that), a group outside
    1..``GROUP_BOOKING_MAX_SIZE``, a package the place cannot do, or more than
    ``WAITLIST_MAX_OPEN_ENTRIES`` open entries."""
    now = now or timezone.now()
    services = _join_check(
        employer=employer,
        location=location,
        region=region,
        date_from=date_from,
        date_to=date_to,
        group_size=group_size,
        services=list(services),
        today=timezone.localdate(now),
    )
    with transaction.atomic():
        Employer.objects.select_for_update().filter(pk=employer.pk).first()
        open_count = WaitlistEntry.objects.filter(
            employer=employer, status__in=OPEN_WAITLIST_STATUSES
        ).count()
        if open_count >= settings.WAITLIST_MAX_OPEN_ENTRIES:
            raise Conflict(
                _("You have %(count)d open waitlist entries, the most allowed.")
                % {"count": open_count},
                code=SchedulingError.WAITLIST_LIMIT,
            )
        [entry] = insert_with_fresh_codes(
            [
                WaitlistEntry(
                    employer=employer,
                    location=location,
                    region=region,
                    date_from=date_from,
                    date_to=date_to,
                    group_size=group_size,
                    joined_at=now,
                    created_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
            ],
            field="reference",
        )
        entry.services.set(services)
        audit_log(
            actor=actor,
            action="waitlist.join",
            obj=entry,
            location=entry.location_id,
            region=entry.region_id,
            group_size=group_size,
            date_from=date_from.isoformat(),
            date_to=date_to.isoformat(),
            services=[s.code for s in services],
        )
        # Room may be free already (another place, or a package that fits where a roster
        # did not): the round decides, after commit.
        enqueue_on_commit(
            "scheduling.tasks.waitlist_offers_task", [c.pk for c in _candidates(entry)]
        )
    return entry


def _hold_release(entry: WaitlistEntry, *, actor, reason: str) -> None:
    group = entry.offer_group
    if group is not None and group.status == GroupBookingStatus.HELD:
        group_booking_cancel(group_booking=group, actor=actor, reason=reason)


def _locked(entry: WaitlistEntry) -> WaitlistEntry:
    """Lock the entry's held place (before the entry, the order the offer round uses), then
    the entry; the returned row is fresh."""
    if entry.offer_group_id:
        locations_lock([GroupBooking.objects.get(pk=entry.offer_group_id).location_id])
    return WaitlistEntry.objects.select_for_update().get(pk=entry.pk)


@transaction.atomic
def waitlist_withdraw(*, entry: WaitlistEntry, actor) -> WaitlistEntry:
    """Leave the line; held places are released (and offered to the next). Twice: a no-op."""
    entry = _locked(entry)
    if entry.status == WaitlistStatus.WITHDRAWN:
        return entry
    if entry.status not in OPEN_WAITLIST_STATUSES:
        raise Conflict(
            _("This waitlist entry is %(status)s.") % {"status": entry.get_status_display()},
            code=SchedulingError.WAITLIST_NOT_OPEN,
        )
    was_offered = entry.status == WaitlistStatus.OFFERED
    _hold_release(entry, actor=actor, reason="waitlist withdrawn")
    entry.status = WaitlistStatus.WITHDRAWN
    entry.closed_at = timezone.now()
    entry.save(update_fields=["status", "closed_at"])
    audit_log(actor=actor, action="waitlist.withdraw", obj=entry, was_offered=was_offered)
    return entry


# --- offers ----------------------------------------------------------------------------------


def _plans(entry: WaitlistEntry, locations: list[Location], *, now: dt.datetime, today: dt.date):
    """(location, chains) for each of ``locations`` where the whole group fits now (each
    worker's visit at its earliest start in the range), in order; computed lazily."""
    services = sorted(entry.services.all(), key=lambda s: (s.sort_order, s.code))
    date_from = max(entry.date_from, today)
    if not services or date_from > entry.date_to:
        return
    for location in locations:
        try:
            chains = chains_plan(
                requests=[ChainRequest(i, services) for i in range(entry.group_size)],
                locations=[location],
                date_from=date_from,
                date_to=entry.date_to,
                now=now,
                together=False,
            )
        except ValidationFailed:
            continue
        yield location, chains


def _fits(entry: WaitlistEntry, locations: list[Location], *, now, today) -> bool:
    return next(_plans(entry, locations, now=now, today=today), None) is not None


def _offer(
    entry: WaitlistEntry, locations: list[Location], *, now: dt.datetime, today: dt.date
) -> bool:
    """Hold the places for ``entry`` at the first of ``locations`` where the whole group fits
    (each worker's visit at its earliest start in the range). Runs under the locations' lock."""
    date_from = max(entry.date_from, today)
    for location, chains in _plans(entry, locations, now=now, today=today):
        expires = now + dt.timedelta(hours=settings.WAITLIST_OFFER_HOURS)
        try:
            with transaction.atomic():
                [hold] = insert_with_fresh_codes(
                    [
                        GroupBooking(
                            employer_id=entry.employer_id,
                            po_reference=f"waitlist {entry.reference}",
                            status=GroupBookingStatus.HELD,
                            location=location,
                            region=entry.region,
                            date_from=date_from,
                            date_to=entry.date_to,
                            hold_expires_at=expires,
                            waitlist_hold=True,
                        )
                    ],
                    field="reference",
                )
                placeholder = Client.objects.create(
                    first_name=HOLD_FIRST_NAME,
                    last_name=HOLD_LAST_NAME,
                    birth_date=HOLD_BIRTH_DATE,
                    nationality=HOLD_NATIONALITY,
                    expected_stay_months=0,
                    municipality_of_residence_id=location.municipality_id,
                )
                appointments_book_many(
                    items=[
                        BookingItem(
                            client=placeholder,
                            location=chain.location,
                            start=chain.start,
                            services=[leg.service for leg in chain.legs],
                        )
                        for chain in chains
                    ],
                    actor=None,
                    group_booking=hold,
                    status=AppointmentStatus.HELD,
                )
        except DomainError as exc:  # pragma: no cover - the plan was made under the lock
            logger.warning("waitlist hold not written: %s", exc.code)
            continue
        entry.status = WaitlistStatus.OFFERED
        entry.offer_group = hold
        entry.offered_at = now
        entry.offer_expires_at = expires
        entry.offer_version += 1
        entry.save(
            update_fields=[
                "status",
                "offer_group",
                "offered_at",
                "offer_expires_at",
                "offer_version",
            ]
        )
        audit_log(
            actor=None,
            action="waitlist.offer",
            obj=entry,
            location=location.pk,
            group_booking=hold.pk,
            places=len(chains),
            version=entry.offer_version,
            expires_at=expires.isoformat(),
        )
        enqueue_on_commit(
            "scheduling.tasks.waitlist_offer_mail_task", entry.pk, entry.offer_version
        )
        return True
    return False


def _regions_of(location_ids) -> set[int]:
    regions = set()
    for region_id, parent_id in Location.objects.filter(pk__in=location_ids).values_list(
        "region_id", "region__parent_id"
    ):
        regions.update(x for x in (region_id, parent_id) if x is not None)
    return regions


def waitlist_offers_make(*, location_ids=None, now: dt.datetime | None = None) -> int:
    """The offer round: hold freed places for the waiting entries, first joined first, that
    now fit (only entries that may use ``location_ids``, when given). Returns offers made.

    An entry that does not fit stays first in line; a later, smaller group that fits is
    offered the room it can use (first come, first served among those who fit).

    One transaction per entry, so a booking waits for one entry's plan, not the whole round:
    lock the entry's places, re-read it, offer, commit. The order still holds: before a
    later entry is offered, the earlier ones that did not fit in this round and may use the
    same places are tried again under the same lock, so room freed meanwhile (between two of
    the round's transactions) goes to them first."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    waitlist_offers_expire(now=now)
    waiting = WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING, date_to__gte=today)
    if location_ids is not None:
        ids = sorted({int(pk) for pk in location_ids})
        waiting = waiting.filter(Q(location_id__in=ids) | Q(region_id__in=_regions_of(ids)))
    entries = list(waiting.select_related("location", "region").order_by("joined_at", "pk"))
    if not entries:
        return 0
    candidates = {entry.pk: _candidates(entry) for entry in entries}
    places = {pk: {loc.pk for loc in locs} for pk, locs in candidates.items()}
    made = 0
    passed: list[int] = []  # entries of this round that did not fit, in joining order
    for entry in entries:
        if not places[entry.pk]:
            continue
        again = [pk for pk in passed if places[pk] & places[entry.pk]]
        with transaction.atomic():
            locations_lock(set().union(*(places[pk] for pk in [*again, entry.pk])))
            # Re-read under the lock: a round that ran meanwhile has offered some.
            fresh = list(
                WaitlistEntry.objects.select_for_update()
                .filter(pk__in=[*again, entry.pk], status=WaitlistStatus.WAITING)
                .order_by("joined_at", "pk")
            )
            current = next((e for e in fresh if e.pk == entry.pk), None)
            earlier = [e for e in fresh if e.pk != entry.pk]
            passed = [pk for pk in passed if pk not in again or pk in {e.pk for e in earlier}]
            if current is None:
                continue
            plan = dict(now=now, today=today)
            if earlier and not _fits(current, candidates[entry.pk], **plan):
                passed.append(entry.pk)
                continue
            # It fits: the earlier ones that did not may, now that room was freed: first.
            for first in earlier:
                if _offer(first, candidates[first.pk], **plan):
                    made += 1
                    passed.remove(first.pk)
            if _offer(current, candidates[entry.pk], **plan):
                made += 1
            else:
                passed.append(entry.pk)
    return made


def waitlist_offers_expire(*, now: dt.datetime | None = None) -> int:
    """Offers past their expiry end (their holds are released by the group-booking hold
    expiry, run first); the entry leaves the line. Returns the number expired."""
    now = now or timezone.now()
    due = list(
        WaitlistEntry.objects.filter(
            status=WaitlistStatus.OFFERED, offer_expires_at__lte=now
        ).values_list("pk", flat=True)
    )
    if not due:
        return 0
    group_booking_holds_expire(now=now)
    count = 0
    for pk in due:
        with transaction.atomic():
            entry = _locked(WaitlistEntry.objects.get(pk=pk))
            if entry.status != WaitlistStatus.OFFERED or entry.offer_expires_at > now:
                continue
            _hold_release(entry, actor=None, reason="waitlist offer expired")
            entry.status = WaitlistStatus.EXPIRED
            entry.closed_at = now
            entry.save(update_fields=["status", "closed_at"])
            audit_log(
                actor=None, action="waitlist.offer_expire", obj=entry, version=entry.offer_version
            )
            count += 1
    return count


def waitlist_lapse(*, now: dt.datetime | None = None) -> int:
    """Waiting entries whose date range has passed leave the line (audited)."""
    today = timezone.localdate(now or timezone.now())
    count = 0
    for entry in WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING, date_to__lt=today):
        with transaction.atomic():
            updated = WaitlistEntry.objects.filter(
                pk=entry.pk, status=WaitlistStatus.WAITING
            ).update(status=WaitlistStatus.LAPSED, closed_at=timezone.now())
            if updated:
                audit_log(actor=None, action="waitlist.lapse", obj=entry)
                count += updated
    return count


def waitlist_run(*, now: dt.datetime | None = None) -> dict:
    """The periodic task: expire offers, drop lapsed entries, offer what is free anywhere
    (cancellations the after-commit trigger missed, closures removed, new opening hours)."""
    now = now or timezone.now()
    expired = waitlist_offers_expire(now=now)
    lapsed = waitlist_lapse(now=now)
    offered = waitlist_offers_make(now=now)
    return {"expired": expired, "lapsed": lapsed, "offered": offered}


def _open_offer(entry: WaitlistEntry, *, now: dt.datetime) -> WaitlistEntry:
    entry = _locked(entry)
    if entry.status != WaitlistStatus.OFFERED:
        raise Conflict(
            _("This offer is no longer open (%(status)s).")
            % {"status": entry.get_status_display()},
            code=SchedulingError.WAITLIST_NOT_OFFERED,
        )
    if entry.offer_expires_at <= now:
        raise Conflict(
            _("The offer has expired; the places went to the next in line."),
            code=SchedulingError.HOLD_EXPIRED,
        )
    return entry


def _held_days(hold: GroupBooking, *, today: dt.date) -> tuple[dt.date, dt.date]:
    """The days of the held visits (the workers are planned into them), from today on and
    within a group booking's longest range."""
    starts = list(
        hold.appointments.filter(status=AppointmentStatus.HELD)
        .order_by("start")
        .values_list("start", flat=True)
    )
    if not starts:
        return max(hold.date_from, today), hold.date_to
    first = max(timezone.localtime(starts[0]).date(), today)
    last = max(timezone.localtime(starts[-1]).date(), first)
    return first, min(last, first + dt.timedelta(days=GROUP_BOOKING_MAX_RANGE_DAYS))


@transaction.atomic
def waitlist_offer_accept(
    *,
    entry: WaitlistEntry,
    workers: list[RosterWorker],
    actor,
    po_reference: str = "",
    now: dt.datetime | None = None,
) -> GroupBooking:
    """Book the real workers (at most the group size) in the offered place and range, as a
    normal, confirmed group booking; the held placeholders are released in the same
    transaction. If the workers do not fit (their packages differ from the one waited for),
    nothing changes and the hold stays until it expires."""
    now = now or timezone.now()
    entry = _open_offer(entry, now=now)
    if not workers:
        raise ValidationFailed(_("Give at least one worker."), code=SchedulingError.ROSTER_INVALID)
    if len(workers) > entry.group_size:
        raise ValidationFailed(
            _("The offer holds places for %(max)d workers; you gave %(count)d.")
            % {"max": entry.group_size, "count": len(workers)},
            code=SchedulingError.TOO_MANY,
        )
    hold = entry.offer_group
    date_from, date_to = _held_days(hold, today=timezone.localdate(now))
    _hold_release(entry, actor=actor, reason="waitlist offer accepted")
    booking = group_booking_create(
        employer=entry.employer,
        actor=actor,
        workers=workers,
        location=hold.location,
        date_from=date_from,
        date_to=date_to,
        po_reference=po_reference,
        confirm=True,
    )
    entry.status = WaitlistStatus.BOOKED
    entry.booking = booking
    entry.closed_at = now
    entry.save(update_fields=["status", "booking", "closed_at"])
    audit_log(
        actor=actor,
        action="waitlist.offer_accept",
        obj=entry,
        group_booking=booking.pk,
        workers=len(workers),
        version=entry.offer_version,
    )
    return booking


@transaction.atomic
def waitlist_offer_decline(*, entry: WaitlistEntry, actor, now=None) -> WaitlistEntry:
    """Turn the offer down: the places go to the next in line; the entry leaves the line."""
    now = now or timezone.now()
    entry = _open_offer(entry, now=now)
    _hold_release(entry, actor=actor, reason="waitlist offer declined")
    entry.status = WaitlistStatus.DECLINED
    entry.closed_at = now
    entry.save(update_fields=["status", "closed_at"])
    audit_log(actor=actor, action="waitlist.offer_decline", obj=entry, version=entry.offer_version)
    return entry


# --- the e-mail ------------------------------------------------------------------------------


def waitlist_offer_send(*, entry_id: int, version: int) -> int:
    """The offer e-mail to the employer's contact, once per offer. Returns e-mails sent."""
    entry = (
        WaitlistEntry.objects.select_related("employer", "offer_group__location")
        .filter(pk=entry_id)
        .first()
    )
    if entry is None or entry.status != WaitlistStatus.OFFERED or entry.offer_version != version:
        return 0
    hold = entry.offer_group
    starts = list(
        hold.appointments.filter(status=AppointmentStatus.HELD)
        .order_by("start")
        .values_list("start", flat=True)
    )
    with translation.override(settings.LANGUAGE_CODE):
        url = reverse("scheduling:portal-waitlist-offer", args=[offer_token(entry)])
        context = {
            "entry": entry,
            "location": hold.location,
            "places": len(starts),
            "first": timezone.localtime(starts[0]) if starts else None,
            "last": timezone.localtime(starts[-1]) if starts else None,
            "expires": timezone.localtime(entry.offer_expires_at),
            "offer_url": f"{settings.SITE_URL}{url}",
        }
        message = EmailMessage(
            subject=_("Places free for your waiting group (%(ref)s)") % {"ref": entry.reference},
            body=render_to_string("scheduling/email/waitlist_offer.txt", context),
            to=[entry.employer.contact_email],
        )
        return int(
            notification_send_once(
                key=f"waitlist-offer:{entry.pk}:{version}",
                kind="waitlist_offer",
                recipient="employer",
                message=message,
            )
        )
