import datetime as dt

import holidays
import pytest
from django.db import connection

from core.roles import roles_ensure
from scheduling.services.catalog import service_catalog_ensure
from scheduling.services.reference import reference_load


@pytest.fixture
def reference(db):
    """Regions, the 56 municipalities, the default services and the role groups."""
    reference_load()
    service_catalog_ensure()
    roles_ensure()


@pytest.fixture
def next_monday():
    """A Monday well in the future that is not a public holiday."""
    nl_holidays = holidays.NL(years=range(dt.date.today().year, dt.date.today().year + 2))
    day = dt.date.today() + dt.timedelta(days=14)
    while day.weekday() != 0 or day in nl_holidays:
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
