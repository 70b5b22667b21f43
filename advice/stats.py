"""Statistics of the advice app (AdviceConfig.statistics_tables; core.stats publishes them
with small-count suppression, core.suppression).

Reports: per month and category, per municipality, and the time to first response and to
closure per category. Advice: topics and languages per month. Nothing per employer or
landlord is ever published (reporter protection), and no table shows a reporter. A
municipality sees the reports about places in its territory and the advice given at its
desks.
"""

from collections import defaultdict
from statistics import median

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from advice.constants import CLIENT_LANGUAGES, ReportCategory
from advice.models import AdviceEntry, AdviceTopic, Report
from core.stats import COUNT, LABEL, SECONDS, Column, Period, StatsScope, StatTable


def _reports(period: Period, scope: StatsScope):
    start, end = period.moments
    reports = Report.objects.filter(created_at__gte=start, created_at__lt=end)
    if not scope.everything:
        reports = reports.filter(municipality_id=scope.municipality_id)
    return reports


def _advice(period: Period, scope: StatsScope):
    start, end = period.moments
    entries = AdviceEntry.objects.filter(recorded_at__gte=start, recorded_at__lt=end)
    if not scope.everything:
        entries = entries.filter(location__municipality_id=scope.municipality_id)
    return entries


def _months(period: Period) -> list[str]:
    months, day = [], period.start.replace(day=1)
    while day <= period.end:
        months.append(day.strftime("%Y-%m"))
        day = day.replace(year=day.year + day.month // 12, month=day.month % 12 + 1)
    return months


def _by_month(queryset, field: str, date_field: str) -> dict[tuple[str, str], int]:
    return {
        (row["month"].strftime("%Y-%m"), row[field]): row["n"]
        for row in queryset.annotate(month=TruncMonth(date_field))
        .values("month", field)
        .annotate(n=Count("id"))
        .order_by()
    }


def reports_by_month_category(*, period: Period, scope: StatsScope) -> StatTable:
    counts = _by_month(_reports(period, scope), "category", "created_at")
    categories = list(ReportCategory)
    return StatTable(
        title=_("Reports of abuse per month by category"),
        columns=[
            Column("month", _("Month"), LABEL),
            *[Column(f"category_{c.value}", str(c.label), COUNT) for c in categories],
        ],
        rows=[
            [month, *[counts.get((month, c.value), 0) for c in categories]]
            for month in _months(period)
        ],
        row_totals=True,
    )


def reports_by_municipality(*, period: Period, scope: StatsScope) -> StatTable:
    rows = [
        [row["municipality__name"] or _("Address only"), row["n"]]
        for row in _reports(period, scope)
        .values("municipality__name")
        .annotate(n=Count("id"))
        .order_by("municipality__name")
    ]
    return StatTable(
        title=_("Reports of abuse by municipality"),
        columns=[
            Column("municipality", _("Municipality"), LABEL),
            Column("reports", _("Reports"), COUNT),
        ],
        rows=rows,
    )


def _days(values: list[float]):
    return round(median(values) / 86400, 1) if values else None


def report_handling_times(*, period: Period, scope: StatsScope) -> StatTable:
    """Median days from receipt to first response and to closure, per category."""
    received = defaultdict(int)
    response, closure = defaultdict(list), defaultdict(list)
    for category, created, first, closed in _reports(period, scope).values_list(
        "category", "created_at", "first_response_at", "closed_at"
    ):
        received[category] += 1
        if first:
            response[category].append((first - created).total_seconds())
        if closed:
            closure[category].append((closed - created).total_seconds())
    rows = [
        [
            str(category.label),
            received[category.value],
            _days(response[category.value]),
            _days(closure[category.value]),
        ]
        for category in ReportCategory
    ]
    return StatTable(
        title=_("Time to first response and to closure (median days)"),
        columns=[
            Column("category", _("Category"), LABEL),
            Column("reports", _("Reports"), COUNT),
            Column("first_response_days", _("First response (days)"), SECONDS),
            Column("closure_days", _("Closure (days)"), SECONDS),
        ],
        rows=rows,
        column_totals=False,
        note=_("Closure: of the reports received in the period that are closed."),
    )


def advice_by_month_topic(*, period: Period, scope: StatsScope) -> StatTable:
    topics = list(AdviceTopic.objects.order_by("position", "name"))
    counts = _by_month(_advice(period, scope), "topic_id", "recorded_at")
    return StatTable(
        title=_("Advice given per month by topic"),
        columns=[
            Column("month", _("Month"), LABEL),
            *[Column(f"topic_{t.code.replace('-', '_')}", t.name, COUNT) for t in topics],
        ],
        rows=[
            [month, *[counts.get((month, t.pk), 0) for t in topics]] for month in _months(period)
        ],
        row_totals=True,
    )


def advice_by_month_language(*, period: Period, scope: StatsScope) -> StatTable:
    languages = [*CLIENT_LANGUAGES, "other"]
    counts = _by_month(_advice(period, scope), "language", "recorded_at")
    return StatTable(
        title=_("Advice given per month by language used"),
        columns=[
            Column("month", _("Month"), LABEL),
            *[Column(f"language_{code}", code, COUNT) for code in languages],
        ],
        rows=[
            [month, *[counts.get((month, code), 0) for code in languages]]
            for month in _months(period)
        ],
        row_totals=True,
    )
