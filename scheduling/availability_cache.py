"""A short-lived shared cache of availability's schedule load, per location and day.

The availability API reads the same location and days again and again (planners, employers
paging through weeks). ``schedule_places_cached`` keeps each (location, day)'s places (the
opening windows and every counter's free time, built by ``schedule_load``) in the shared cache
for ``AVAILABILITY_CACHE_S`` seconds under a per-location version; only the (location, day)s
not found are loaded from the database, in one ``schedule_load``.

Invalidation: ``availability_changed`` gives the locations a new version when the transaction
that changed their counter time commits. It is called by ``locations_lock`` (every write that
places legs: booking, group booking, rescheduling), by the services that free or give back
counter time (cancel, no-show and its undo, group cancel and hold expiry) and, through
signals, by every change of a location, counter, opening hours, closure or bus visit. The new
version is set after commit, so a search that read the database before the commit stored its
picture under the old version, which nobody reads again.

What it never does: make a booking accept a taken slot. Booking loads the schedule from the
database under the location lock (``chains_plan``, ``place_chain_at``), never from here. The
worst a stale entry can do (the cache unreachable when a version was to be set, or a change
made with a raw UPDATE) is offer a slot for at most ``AVAILABILITY_CACHE_S`` seconds that the
booking then refuses with a 409.

Off (``AVAILABILITY_CACHE_S=0``, the default without ``REDIS_URL``): with the database as
cache a hit costs a query, as the load does. Any cache error falls back to the database.
"""

import datetime as dt
import logging
import secrets
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)
PREFIX = "avail:1"
VERSION_TIMEOUT_S = 24 * 3600


def cache_enabled() -> bool:
    return settings.AVAILABILITY_CACHE_S > 0


def _version_key(location_id: int) -> str:
    return f"{PREFIX}:ver:{location_id}"


def _places_key(location_id: int, version, day: dt.date) -> str:
    return f"{PREFIX}:{location_id}:{version}:{day.isoformat()}"


def _days(date_from: dt.date, date_to: dt.date) -> list[dt.date]:
    return [date_from + dt.timedelta(days=n) for n in range((date_to - date_from).days + 1)]


def availability_changed(location_ids: Iterable[int]) -> None:
    """Inside the transaction that changes counter time at these locations: their cached
    days are dropped when it commits (at once outside a transaction)."""
    if not cache_enabled():
        return
    ids = sorted({int(pk) for pk in location_ids if pk is not None})
    if ids:
        transaction.on_commit(lambda: _versions_bump(ids))


def _versions_bump(location_ids: list[int]) -> None:
    # A value never used before (not a counter: an evicted counter would start again at a
    # version whose entries may still be there).
    version = secrets.token_hex(8)
    try:
        cache.set_many(
            {_version_key(pk): version for pk in location_ids}, timeout=VERSION_TIMEOUT_S
        )
    except Exception as exc:  # the cache is an optimisation: never fail the write
        logger.warning(
            "availability cache not invalidated (%s); its entries expire within %s s",
            type(exc).__name__,
            settings.AVAILABILITY_CACHE_S,
        )


def schedule_places_cached(
    *,
    location_ids: list[int],
    date_from: dt.date,
    date_to: dt.date,
    load: Callable[[list[int], dt.date, dt.date], list],
) -> list:
    """The places of these locations and days: cached ones, and ``load(ids, from, to)`` (a
    list of places with ``.location.pk`` and ``.day``) for the rest, which are then cached."""
    days = _days(date_from, date_to)
    try:
        versions = cache.get_many([_version_key(pk) for pk in location_ids])
        keys = {
            (pk, day): _places_key(pk, versions.get(_version_key(pk), 0), day)
            for pk in location_ids
            for day in days
        }
        found = cache.get_many(list(keys.values()))
    except Exception as exc:
        logger.warning("availability cache unavailable (%s)", type(exc).__name__)
        return load(location_ids, date_from, date_to)
    missing = [pair for pair, key in keys.items() if key not in found]
    if missing:
        miss_ids = sorted({pk for pk, _day in missing})
        lo, hi = min(day for _pk, day in missing), max(day for _pk, day in missing)
        loaded: dict[tuple[int, dt.date], list] = {
            (pk, day): [] for pk in miss_ids for day in _days(lo, hi)
        }
        for place in load(miss_ids, lo, hi):
            loaded[(place.location.pk, place.day)].append(place)
        fresh = {keys[pair]: places for pair, places in loaded.items() if pair in keys}
        found.update(fresh)
        try:
            cache.set_many(fresh, timeout=settings.AVAILABILITY_CACHE_S)
        except Exception as exc:
            logger.warning("availability cache not written (%s)", type(exc).__name__)
    return [place for key in keys.values() for place in found[key]]


def _config_changed(sender, instance, **kwargs) -> None:
    """Signal receiver: a location, counter, opening hours, closure or bus visit changed (or
    a counter's services, a bus visit's counters): that location's cached days go."""
    location_id = instance.pk if sender._meta.label == "scheduling.Location" else None
    location_id = getattr(instance, "location_id", location_id)
    if location_id is not None:
        availability_changed([location_id])


def availability_cache_connect() -> None:
    """Connect ``_config_changed`` (scheduling's AppConfig.ready)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save

    from scheduling.models import BusVisit, Closure, Counter, Location, OpeningHours

    for model in (Location, Counter, OpeningHours, Closure, BusVisit):
        post_save.connect(_config_changed, sender=model, dispatch_uid=f"avail-save-{model}")
        post_delete.connect(_config_changed, sender=model, dispatch_uid=f"avail-del-{model}")
    for through in (Counter.services.through, BusVisit.counters.through):
        m2m_changed.connect(_config_changed, sender=through, dispatch_uid=f"avail-m2m-{through}")
