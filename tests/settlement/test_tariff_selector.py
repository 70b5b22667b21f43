"""``tariff_for`` is a read: it returns the tariff in force or refuses, and never writes (the
default tariff comes from the migration and ``settlement_defaults_ensure``)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext

from core.exceptions import Conflict
from settlement.errors import SettlementError
from settlement.models import SettlementTariff
from settlement.selectors.tariffs import tariff_for
from settlement.services.config import settlement_defaults_ensure

pytestmark = pytest.mark.django_db


def test_the_migration_leaves_the_default_tariff():
    tariff = tariff_for(dt.date(2025, 3, 1))
    assert tariff.amount == Decimal("100.00") and tariff.valid_from == dt.date(2019, 1, 1)


def test_reading_the_tariff_is_one_query_and_writes_nothing():
    with CaptureQueriesContext(connection) as queries:
        tariff_for(dt.date(2025, 3, 1))
    assert len(queries) == 1
    assert queries[0]["sql"].lstrip().upper().startswith("SELECT")


def test_no_tariff_configured_is_refused_without_creating_one():
    QuerySet.delete(SettlementTariff.objects.all())  # past the guard: a fresh database
    with CaptureQueriesContext(connection) as queries, pytest.raises(Conflict) as exc:
        tariff_for(dt.date(2025, 3, 1))
    assert exc.value.code == SettlementError.TARIFF_MISSING
    assert "2025-03-01" in exc.value.message
    assert not SettlementTariff.objects.exists()
    assert all(q["sql"].lstrip().upper().startswith("SELECT") for q in queries)
    # The write path that does create the default: the seeder's service.
    settlement_defaults_ensure()
    assert tariff_for(dt.date(2025, 3, 1)).amount == Decimal("100.00")
