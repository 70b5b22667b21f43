"""Statistics of the report point and the advice log, with small-count suppression."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from advice.models import AdviceTopic, Report
from advice.services.advice_log import advice_entry_record
from advice.services.reports import report_status_change
from core.stats import Period, StatsScope, stats_tables
from core.suppression import is_hidden
from scheduling.models import Municipality
from tests.advice.helpers import a_report

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
Q1 = Period(dt.date(2025, 1, 1), dt.date(2025, 3, 31))


def table(key, scope=None):
    return stats_tables(period=Q1, scope=scope or StatsScope(), only=key)[0]


@pytest.fixture
def reports(reference):
    tilburg = Municipality.objects.get(cbs_code="GM0855")
    breda = Municipality.objects.get(cbs_code="GM0758")
    made = []
    for day in range(1, 8):  # 7 housing reports in January, Tilburg
        made.append(a_report(now=dt.datetime(2025, 1, day, 10, tzinfo=AMS), municipality=tilburg))
    for day in range(1, 3):  # 2 work reports in February, Breda
        made.append(
            a_report(
                now=dt.datetime(2025, 2, day, 10, tzinfo=AMS), municipality=breda, category="work"
            )
        )
    first = made[0].report
    report_status_change(
        report=first, status="in_review", actor=None, now=first.created_at + dt.timedelta(days=2)
    )
    report_status_change(
        report=first,
        status="closed",
        outcome="resolved",
        actor=None,
        now=first.created_at + dt.timedelta(days=10),
    )
    return made


@override_settings(STATS_SUPPRESS_BELOW=1)
def test_report_figures_unsuppressed(reports):
    by_month = table("reports_by_month_category")
    rows = {row[0]: row for row in by_month.rows}
    assert rows["2025-01"][1] == 7 and rows["2025-02"][2] == 2 and rows["2025-03"][-1] == 0
    assert by_month.footer[-1] == 9
    by_place = {row[0]: row[1] for row in table("reports_by_municipality").rows}
    assert by_place == {"Breda": 2, "Tilburg": 7}
    times = {row[0]: row for row in table("report_handling_times").rows}
    assert times["Housing"][1:] == [7, 2.0, 10.0]
    # A municipality sees the reports about its own territory only.
    breda = Municipality.objects.get(cbs_code="GM0758")
    scoped = table("reports_by_municipality", StatsScope(municipality_id=breda.pk))
    assert [row[:2] for row in scoped.rows] == [["Breda", 2]]


def test_small_counts_are_suppressed(reports):
    by_place = {row[0]: row[1] for row in table("reports_by_municipality").rows}
    assert str(by_place["Breda"]) == "<5"  # 2 < 5
    assert str(by_place["Tilburg"]) == "x"  # else the total would give Breda's 2 away
    times = {row[0]: row for row in table("report_handling_times").rows}
    assert is_hidden(times["Work"][1])
    # No table names an employer or landlord, and none shows a reporter.
    for published in stats_tables(period=Q1, scope=StatsScope()):
        flat = str(published.rows) + str(published.columns)
        assert "Example Housing" not in flat and "Olena" not in flat
    assert Report.objects.count() == 9


@override_settings(STATS_SUPPRESS_BELOW=1)
def test_advice_topics_and_languages_per_month(reference):
    housing = AdviceTopic.objects.get(code="housing")
    taxes = AdviceTopic.objects.get(code="taxes-allowances")
    for topic, language, day in [(housing, "pl", 5), (housing, "uk", 6), (taxes, "pl", 40)]:
        advice_entry_record(
            topic=topic,
            language=language,
            actor=None,
            now=dt.datetime(2025, 1, 1, 12, tzinfo=AMS) + dt.timedelta(days=day),
        )
    topics = {row[0]: row for row in table("advice_by_month_topic").rows}
    assert topics["2025-01"][1] == 2 and topics["2025-02"][4] == 1
    languages = table("advice_by_month_language")
    codes = [c.key for c in languages.columns]
    january = {row[0]: row for row in languages.rows}["2025-01"]
    assert january[codes.index("language_pl")] == 1 and january[codes.index("language_uk")] == 1
