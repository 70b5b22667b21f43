import datetime as dt
import os
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.utils import timezone, translation

from core.calendar import is_working_day
from core.roles import roles_ensure
from scheduling.services.catalog import service_catalog_ensure
from scheduling.services.reference import reference_load
from settlement.services.config import settlement_defaults_ensure

AMS = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def reference(db):
    """Regions, the 56 municipalities, the default services, the role groups and the default
    settlement tariff: what migrate leaves in a fresh database, restored for the tests whose
    database is flushed between tests (live server, transaction=True)."""
    reference_load()
    service_catalog_ensure()
    roles_ensure()
    settlement_defaults_ensure()


@pytest.fixture(autouse=True)
def _test_clock():
    """``BMIP_TEST_CLOCK=HH:MM`` starts every test at that Amsterdam time of today (the clock
    ticks on), so the suite is shown to pass just after and just before midnight
    (``make test-clock``). Without it the tests see the real clock."""
    at = os.environ.get("BMIP_TEST_CLOCK", "")
    if not at:
        yield
        return
    hour, minute = (int(part) for part in at.split(":"))
    start = dt.datetime.combine(timezone.localdate(), dt.time(hour, minute), tzinfo=AMS)
    with time_machine.travel(start, tick=True):
        yield


@pytest.fixture(autouse=True)
def _language_reset():
    """Every test ends in the default language (settings.LANGUAGE_CODE): a test (or a page it
    requested) that activated another one (``translation.activate``) does not leave it
    active for the next test in the thread."""
    yield
    translation.deactivate()


@pytest.fixture
def coordinator_admin_client(client):
    """The test client logged in as a coordinator with Django admin rights (staff, superuser)."""
    from core.roles import Role
    from tests import factories

    user = factories.user(Role.COORDINATOR)
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


@pytest.fixture
def office_hours():
    """Freeze the start of the test at 10:00 today (Amsterdam; the clock ticks on): for tests
    that need "a visit in a few minutes, today" whatever the real time is."""
    with time_machine.travel(
        dt.datetime.combine(timezone.localdate(), dt.time(10), tzinfo=AMS), tick=True
    ) as traveller:
        yield traveller


@pytest.fixture
def working_day_office_hours():
    """Freeze the start of the test at 10:00 on today or, on a weekend or public holiday, the
    next working day (Amsterdam; the clock ticks on): for tests whose data (the demo's visits
    in progress) exists only on a day the desks are open."""
    day = timezone.localdate()
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    with time_machine.travel(dt.datetime.combine(day, dt.time(10), tzinfo=AMS), tick=True) as t:
        yield t


@pytest.fixture
def next_monday():
    """A Monday well in the future that is not a public holiday."""
    day = timezone.localdate() + dt.timedelta(days=14)
    while not (day.weekday() == 0 and is_working_day(day)):
        day += dt.timedelta(days=1)
    return day


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` run only when the database is PostgreSQL."""
    from django.conf import settings

    is_pg = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords and not is_pg:
            item.add_marker(skip)


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"
