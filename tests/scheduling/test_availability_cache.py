"""The availability cache (scheduling.availability_cache): a repeated search reads no
database; a booking, a cancel or a closure drops the location's cached days when it commits;
bookings never read the cache; a broken cache falls back to the database."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.exceptions import Conflict
from scheduling.models import Closure
from scheduling.selectors.availability import availability_search
from scheduling.services.booking import appointment_book, appointment_cancel
from tests import factories
from tests.factories import aware

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def cached(settings):
    settings.AVAILABILITY_CACHE_S = 30
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def desk(reference):
    return factories.location(counters={"Balie 1": ["brp"]})


def starts(desk, day, services=None):
    found = availability_search(
        services=services or [factories.service("brp")],
        locations=[desk],
        date_from=day,
        date_to=day,
    )
    return [s for d in found for s in d.starts]


def book(desk, start):
    return appointment_book(
        client=factories.client(),
        location=desk,
        start=start,
        services=[factories.service("brp")],
        actor=None,
    )


def test_a_repeated_search_reads_the_cache_not_the_database(desk, next_monday):
    brp = [factories.service("brp")]
    first = starts(desk, next_monday, brp)
    with CaptureQueriesContext(connection) as queries:
        again = starts(desk, next_monday, brp)
    assert again == first and aware(next_monday, 10) in first
    assert len(queries) == 0


def test_a_booking_drops_the_cached_day_when_it_commits(
    desk, next_monday, django_capture_on_commit_callbacks
):
    ten = aware(next_monday, 10)
    assert ten in starts(desk, next_monday)  # cached now
    with django_capture_on_commit_callbacks(execute=False) as pending:
        book(desk, ten)
    # Not committed yet (the test's transaction): the cache still holds the old picture, so
    # what removes the slot below is the invalidation, not a cache that was never used.
    assert ten in starts(desk, next_monday)
    for callback in pending:
        callback()
    assert ten not in starts(desk, next_monday)


def test_a_cancel_gives_the_slot_back_at_once(
    desk, next_monday, django_capture_on_commit_callbacks
):
    ten = aware(next_monday, 10)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = book(desk, ten)
    assert ten not in starts(desk, next_monday)
    with django_capture_on_commit_callbacks(execute=True):
        appointment_cancel(appointment=appointment, actor=None)
    assert ten in starts(desk, next_monday)


def test_a_confirmed_closure_drops_the_cached_day(
    desk, next_monday, django_capture_on_commit_callbacks
):
    assert starts(desk, next_monday)
    with django_capture_on_commit_callbacks(execute=True):
        Closure.objects.create(
            location=desk, date_from=next_monday, date_to=next_monday, confirmed=True
        )
    assert starts(desk, next_monday) == []


def test_a_booking_never_reads_a_stale_cache(desk, next_monday):
    """Even with the cache holding a slot that is taken (its version never set: the cache was
    away at commit), the booking re-checks the database under the lock and refuses."""
    ten = aware(next_monday, 10)
    assert ten in starts(desk, next_monday)
    book(desk, ten)  # its on_commit never runs in this test: the cache keeps the old day
    assert ten in starts(desk, next_monday)  # stale, at most AVAILABILITY_CACHE_S seconds
    with pytest.raises(Conflict):
        book(desk, ten)


def test_a_broken_cache_falls_back_to_the_database(desk, next_monday):
    expected = starts(desk, next_monday)
    with mock.patch.object(cache, "get_many", side_effect=ConnectionError("redis away")):
        assert starts(desk, next_monday) == expected


def test_off_without_the_setting(desk, next_monday, settings):
    settings.AVAILABILITY_CACHE_S = 0
    starts(desk, next_monday)
    with CaptureQueriesContext(connection) as queries:
        starts(desk, next_monday)
    assert len(queries) > 0
