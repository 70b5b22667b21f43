"""The documents-missing rate against hand-computed data, with suppression, scope and the
downloads (counter.selectors.stats)."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse

from core.roles import Role
from core.stats import Period, StatsScope, stats_tables
from counter.constants import NotDeliveredReason, Outcome
from counter.models import ServiceRecord
from scheduling.constants import AppointmentStatus, LegState
from tests import factories

pytestmark = pytest.mark.django_db

BREDA, TILBURG = "GM0758", "GM0855"
Q1 = Period(dt.date(2025, 1, 1), dt.date(2025, 3, 31))


def table(key, scope=None):
    (published,) = stats_tables(period=Q1, scope=scope or StatsScope(), only=key)
    return published


def text(values):
    return [("" if v is None else str(v)) for v in values]


def served(loc, day, code, *, outcome=None, reason_code="", voided=False, hour=10):
    """One finished leg at ``loc`` on ``day``; with ``outcome`` its record."""
    appt = factories.appointment(
        loc=loc, start=factories.aware(day, hour), codes=[code], status=AppointmentStatus.COMPLETED
    )
    leg = appt.legs.get()
    not_done = outcome == Outcome.NOT_COMPLETED
    leg.state = LegState.NOT_DONE if not_done else LegState.DONE
    leg.started_at = factories.aware(day, hour)
    leg.finished_at = factories.aware(day, hour, 20)
    leg.save(update_fields=["state", "started_at", "finished_at"])
    if outcome:
        ServiceRecord.objects.create(leg=leg, outcome=outcome, reason_code=reason_code, reason="")
    if voided:
        ServiceRecord.objects.filter(leg=leg).update(voided_at=leg.finished_at, void_reason="x")
    return leg


@pytest.fixture
def data(reference):
    """Breda desk, BRP legs: Jan 12 served (6 documents missing), Feb 8 (2 missing),
    Mar 5 (0 missing: one client absent, one documents-missing record voided).
    Tilburg desk, health-insurance legs: Mar 7 served, none missing.
    Not counted: a leg still planned, a cancelled visit's leg, a leg finished in April."""
    breda = factories.location(cbs_code=BREDA, name="Breda")
    tilburg = factories.location(cbs_code=TILBURG, name="Tilburg")
    missing = {
        "outcome": Outcome.NOT_COMPLETED,
        "reason_code": NotDeliveredReason.DOCUMENTS_MISSING,
    }
    for n in range(12):
        served(breda, dt.date(2025, 1, 6 + n), "brp", **(missing if n < 6 else {}))
    for n in range(8):
        served(breda, dt.date(2025, 2, 3 + n), "brp", **(missing if n < 2 else {}))
    served(breda, dt.date(2025, 3, 3), "brp", **missing, voided=True)
    served(
        breda,
        dt.date(2025, 3, 4),
        "brp",
        outcome=Outcome.NOT_COMPLETED,
        reason_code=NotDeliveredReason.CLIENT_ABSENT,
    )
    for n in range(3):
        served(breda, dt.date(2025, 3, 5 + n), "brp", outcome=Outcome.COMPLETED)
    for n in range(7):
        served(tilburg, dt.date(2025, 3, 10 + n), "zvw")
    factories.appointment(loc=breda, start=factories.aware(dt.date(2025, 3, 20), 10), codes=["brp"])
    factories.appointment(
        loc=breda,
        start=factories.aware(dt.date(2025, 3, 21), 10),
        codes=["brp"],
        status=AppointmentStatus.CANCELLED,
    )
    served(breda, dt.date(2025, 4, 1), "brp", **missing)
    return breda, tilburg


@override_settings(STATS_SUPPRESS_BELOW=1)
def test_documents_missing_rate_per_month_unsuppressed(data):
    published = table("documents_missing_by_month")
    assert [c.key for c in published.columns] == [
        "month",
        "served",
        "documents_missing",
        "documents_missing_pct",
    ]
    assert [text(row) for row in published.rows] == [
        ["2025-01", "12", "6", "50.0"],
        ["2025-02", "8", "2", "25.0"],
        ["2025-03", "12", "0", "0.0"],
    ]
    assert text(published.footer[:3]) == ["Total", "32", "8"]


@override_settings(STATS_SUPPRESS_BELOW=1)
def test_documents_missing_rate_per_location_and_service_unsuppressed(data):
    published = table("documents_missing_by_location_service")
    brp, zvw = factories.service("brp").name, factories.service("zvw").name
    assert [text(row) for row in published.rows] == [
        ["Breda", brp, "25", "8", "32.0"],
        ["Tilburg", zvw, "7", "0", "0.0"],
    ]
    assert text(published.footer[2:4]) == ["32", "8"]


def test_documents_missing_small_counts_and_complement_hidden(data):
    rows = {row[0]: text(row) for row in table("documents_missing_by_month").rows}
    # February's 2 missing is "<5" and its rate hidden; the column total 8 would give it
    # away, so the smallest other positive count of that column (January's 6) is "x", and
    # January's rate with it. Legs served (12, 8, 12) stay.
    assert rows["2025-02"] == ["2025-02", "8", "<5", "x"]
    assert rows["2025-01"] == ["2025-01", "12", "x", "x"]
    assert rows["2025-03"] == ["2025-03", "12", "0", "0.0"]


def test_documents_missing_municipality_scope(data):
    _breda, tilburg = data
    scope = StatsScope(municipality_id=tilburg.municipality_id)
    rows = table("documents_missing_by_location_service", scope).rows
    assert [text(row) for row in rows] == [
        ["Tilburg", factories.service("zvw").name, "7", "0", "0.0"]
    ]
    months = table("documents_missing_by_month", scope).rows
    assert [text(row)[1:3] for row in months] == [["0", "0"], ["0", "0"], ["7", "0"]]


def test_documents_missing_downloads(client, data):
    client.force_login(factories.user(Role.COORDINATOR))
    query = "?from=2025-01-01&to=2025-03-31"
    csv = client.get(
        reverse("core:statistics-download", args=["documents_missing_by_month", "csv"]) + query
    )
    assert csv.status_code == 200
    lines = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[:4] == [
        "month",
        "served",
        "documents_missing",
        "documents_missing_pct",
    ]
    assert "2025-02,8,<5,x" in lines
    xlsx = client.get(
        reverse("core:statistics-download", args=["documents_missing_by_month", "xlsx"]) + query
    )
    assert xlsx.status_code == 200 and b"".join(xlsx.streaming_content)[:2] == b"PK"
    page = client.get(reverse("core:statistics") + query, HTTP_ACCEPT_LANGUAGE="nl")
    assert "Aandeel documenten ontbreken per maand" in page.content.decode()
