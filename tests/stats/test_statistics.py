"""Statistics figures against hand-computed data, suppression on the page, and who sees what."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse

from core.roles import Role
from core.stats import Period, StatsScope, stats_tables
from counter.models import FeeLine
from scheduling.constants import AppointmentStatus, LegState, LocationKind
from scheduling.models import GroupBooking
from tests import factories
from tests.html import inline_scripts
from tests.settlement.helpers import registration, void

pytestmark = pytest.mark.django_db

BREDA, OOSTERHOUT, TILBURG = "GM0758", "GM0826", "GM0855"
Q1 = Period(dt.date(2025, 1, 1), dt.date(2025, 3, 31))


def table(key, scope=None, period=Q1):
    tables = stats_tables(period=period, scope=scope or StatsScope(), only=key)
    return tables[0] if tables else None


def text(values):
    return [("" if v is None else str(v)) for v in values]


@pytest.fixture
def data(reference):
    """Breda desk: Jan 6 BRP (Oosterhout), Feb 3 RNI (Breda), Mar 10 BRP (Oosterhout)
    plus one voided; Tilburg desk: Mar 7 BRP (Tilburg)."""
    breda = factories.location(cbs_code=BREDA)
    tilburg = factories.location(cbs_code=TILBURG)
    for n in range(6):
        registration(loc=breda, day=dt.date(2025, 1, 6 + n), residence=OOSTERHOUT)
    for n in range(3):
        registration(loc=breda, day=dt.date(2025, 2, 3 + n), residence=BREDA, kind="rni")
    for n in range(10):
        registration(loc=breda, day=dt.date(2025, 3, 3 + n), residence=OOSTERHOUT)
    voided, _lines = registration(loc=breda, day=dt.date(2025, 3, 20), residence=OOSTERHOUT)
    void(voided)
    for n in range(7):
        registration(loc=tilburg, day=dt.date(2025, 3, 3 + n), residence=TILBURG)
    return breda, tilburg


@override_settings(STATS_SUPPRESS_BELOW=1)
def test_registration_figures_unsuppressed(data):
    by_region = table("registrations_by_month_region")
    regions = [c.label for c in by_region.columns[1:-1]]
    west, midden = regions.index("West-Brabant") + 1, regions.index("Midden-Brabant") + 1
    rows = {row[0]: row for row in by_region.rows}
    assert (rows["2025-01"][west], rows["2025-02"][west], rows["2025-03"][west]) == (6, 3, 10)
    assert rows["2025-03"][midden] == 7
    assert [rows[m][-1] for m in ("2025-01", "2025-02", "2025-03")] == [6, 3, 17]
    assert by_region.footer[-1] == 26  # the voided registration is not counted

    residence = {row[0]: row[1] for row in table("registrations_by_residence").rows}
    assert residence == {"Breda": 3, "Oosterhout": 16, "Tilburg": 7}

    shares = {row[0]: row for row in table("brp_rni_share").rows}
    assert text(shares["2025-02"]) == ["2025-02", "0", "3", "100.0", "3"]
    assert text(shares["2025-03"]) == ["2025-03", "17", "0", "0.0", "17"]

    groups = table("registrations_by_nationality_group")
    assert text(groups.rows[0][1:]) == ["23", "3", "26"]  # all Polish (EU)


def test_small_counts_and_their_complements_are_hidden(data):
    residence = table("registrations_by_residence")
    cells = {row[0]: str(row[1]) for row in residence.rows}
    # Breda 3 < 5 is hidden; the total 26 would reveal it, so the next smallest (Tilburg 7)
    # is hidden too; Oosterhout 16 stays.
    assert cells == {"Breda": "<5", "Oosterhout": "16", "Tilburg": "x"}
    assert residence.footer[1] == 26
    shares = {row[0]: text(row) for row in table("brp_rni_share").rows}
    assert shares["2025-02"][2] == "<5"
    assert shares["2025-02"][3] == "x"  # the share of a hidden count is hidden as well


@override_settings(STATS_SUPPRESS_BELOW=1)
def test_municipality_scope_sees_only_its_own(data):
    scope = StatsScope(municipality_id=factories.municipality(TILBURG).pk)
    residence = {row[0]: row[1] for row in table("registrations_by_residence", scope).rows}
    assert residence == {"Tilburg": 7}
    assert table("no_show_rate_per_employer", scope) is None


@override_settings(STATS_SUPPRESS_BELOW=1)
def test_bus_desk_share_and_no_shows(reference):
    desk = factories.location(cbs_code=BREDA)
    bus = factories.location(cbs_code=BREDA, kind=LocationKind.BUS, counters={"Bus 1": ["brp"]})
    firm = factories.employer(name="Kas B.V.")
    group = GroupBooking.objects.create(
        employer=firm, date_from=dt.date(2025, 1, 1), date_to=dt.date(2025, 1, 31)
    )
    day = dt.date(2025, 1, 13)
    statuses = [AppointmentStatus.COMPLETED] * 3 + [AppointmentStatus.NO_SHOW]
    for hour, status in enumerate(statuses, start=9):
        factories.appointment(
            loc=desk, start=factories.aware(day, hour), status=status, group_booking=group
        )
    factories.appointment(
        loc=bus, start=factories.aware(day, 10), codes=["brp"], status=AppointmentStatus.COMPLETED
    )
    assert text(table("bus_desk_share").rows[0]) == ["2025-01", "3", "1", "25.0", "4"]
    assert text(table("no_show_rate_per_employer").rows[0]) == ["Kas B.V.", "4", "1", "25.0"]


@override_settings(STATS_SUPPRESS_BELOW=1)
def test_service_time_percentiles(reference):
    desk = factories.location(cbs_code=BREDA, name="Breda")
    day = dt.date(2025, 2, 10)
    minutes = [10, 12, 14, 16, 30]
    for i, length in enumerate(minutes):
        appt = factories.appointment(loc=desk, start=factories.aware(day, 9 + i), codes=["brp"])
        started = factories.aware(day, 9 + i)
        appt.legs.update(
            state=LegState.DONE,
            started_at=started,
            finished_at=started + dt.timedelta(minutes=length),
        )
    row = table("waiting_and_service_times").rows[0]
    # Nearest rank over 10, 12, 14, 16, 30: p50 = 3rd = 14, p90 = 5th = 30.
    assert row[0] == "Breda" and row[2] == 5
    assert row[5:7] == [14.0, 30.0]


def test_fees_are_hidden_with_their_small_count(reference):
    assert FeeLine.objects.count() == 0
    assert table("extra_services_fees").rows == []


# --- the page: who sees it ------------------------------------------------------------------


def test_coordinator_sees_page_chart_and_downloads(client, data):
    client.force_login(factories.user(Role.COORDINATOR))
    response = client.get(reverse("core:statistics") + "?from=2025-01-01&to=2025-03-31")
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body and inline_scripts(body) == []
    assert "No-shows per employer" in body
    csv = client.get(
        reverse("core:statistics-download", args=["registrations_by_residence", "csv"])
        + "?from=2025-01-01&to=2025-03-31"
    )
    assert csv.status_code == 200
    lines = b"".join(csv.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0] == "municipality,registrations"
    assert "Breda,<5" in lines and "Tilburg,x" in lines
    xlsx = client.get(reverse("core:statistics-download", args=["brp_rni_share", "xlsx"]))
    assert xlsx.status_code == 200


def test_municipality_user_page_leaves_out_employer_figures(client, data):
    client.force_login(
        factories.user(Role.MUNICIPALITY, municipality=factories.municipality(TILBURG))
    )
    response = client.get(reverse("core:statistics") + "?from=2025-01-01&to=2025-03-31")
    assert response.status_code == 200
    body = response.content.decode()
    assert "No-shows per employer" not in body and "Oosterhout" not in body
    assert (
        client.get(
            reverse("core:statistics-download", args=["no_show_rate_per_employer", "csv"])
        ).status_code
        == 404
    )


def test_employer_gets_403_and_anonymous_goes_to_login(client, reference):
    response = client.get(reverse("core:statistics"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(factories.user(Role.EMPLOYER, employer=factories.employer()))
    assert client.get(reverse("core:statistics")).status_code == 403
    assert (
        client.get(reverse("core:statistics-download", args=["brp_rni_share", "csv"])).status_code
        == 403
    )


def test_bad_period_is_a_clear_400(client, reference):
    client.force_login(factories.user(Role.COORDINATOR))
    response = client.get(reverse("core:statistics") + "?from=2025-03-01&to=2025-01-01")
    assert response.status_code == 400
    assert "at most three years" in response.content.decode()


@override_settings(STATS_SUPPRESS_BELOW=1)
def test_month_is_the_local_month_at_midnight(reference):
    """23:30 on 31 January in Amsterdam is 22:30 UTC (January); 00:30 on 1 February is
    23:30 UTC on 31 January but a February visit."""
    desk = factories.location(cbs_code=BREDA)
    for day, hour, minute in ((dt.date(2025, 1, 31), 23, 30), (dt.date(2025, 2, 1), 0, 30)):
        factories.appointment(
            loc=desk,
            start=factories.aware(day, hour, minute),
            codes=["brp"],
            status=AppointmentStatus.COMPLETED,
        )
    rows = {row[0]: text(row) for row in table("bus_desk_share").rows}
    assert rows["2025-01"] == ["2025-01", "1", "0", "0.0", "1"]
    assert rows["2025-02"] == ["2025-02", "1", "0", "0.0", "1"]
    assert rows["2025-03"] == ["2025-03", "0", "0", "", "0"]


@override_settings(STATS_SUPPRESS_BELOW=1)
def test_waiting_percentiles_per_location(reference):
    from kiosk.models import CallEvent, QueueTicket

    breda = factories.location(cbs_code=BREDA, name="Breda")
    tilburg = factories.location(cbs_code=TILBURG, name="Tilburg")
    day = dt.date(2025, 2, 11)
    waits = {breda: [300, 60, 600, 120, 60, 900, 240, 180, 420, 1200], tilburg: [90]}
    for loc, seconds in waits.items():
        for i, wait in enumerate(seconds):
            appt = factories.appointment(loc=loc, start=factories.aware(day, 9), codes=["brp"])
            leg = appt.legs.get()
            at = factories.aware(day, 9, i)
            ticket = QueueTicket.objects.create(
                location=loc,
                service_date=day,
                prefix="A",
                number=i + 1,
                code=f"A{i + 1:03d}",
                appointment=appt,
                priority=10,
                leg=leg,
                issued_at=at,
                waiting_since=at,
            )
            CallEvent.objects.create(
                ticket=ticket, counter=leg.counter, leg=leg, action="call", at=at, wait_seconds=wait
            )
    rows = {row[0]: row for row in table("waiting_and_service_times").rows}
    # Breda sorted: 60 60 120 180 240 300 420 600 900 1200: p50 = 5th = 4 min, p90 = 9th = 15.
    assert rows["Breda"][3:5] == [4.0, 15.0]
    assert rows["Tilburg"][3:5] == [1.5, 1.5]
