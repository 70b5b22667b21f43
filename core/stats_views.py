"""The statistics page and its downloads (thin: core.stats does the work).

Coordinators see every figure; municipality users the figures of their own municipality;
anyone else logged in gets 403; anonymous users go to the login page.
"""

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from core.charts import bar_chart_svg
from core.dates import date_param
from core.downloads import file_response
from core.exceptions import ValidationFailed
from core.exports import table_export
from core.roles import is_coordinator, user_municipality
from core.stats import Period, StatsScope, stats_tables

MAX_DAYS = 3 * 366


def stats_scope(user) -> StatsScope:
    if is_coordinator(user):
        return StatsScope()
    municipality = user_municipality(user)
    if municipality is None:
        raise PermissionDenied(_("Statistics are for coordinators and municipalities."))
    return StatsScope(municipality_id=municipality.pk)


def stats_period(params) -> Period:
    today = timezone.localdate()
    start = date_param(params.get("from"), default=dt.date(today.year, 1, 1))
    end = date_param(params.get("to"), default=today)
    if end < start or (end - start).days > MAX_DAYS:
        raise ValidationFailed(_("Choose a period of at most three years, ending after it starts."))
    return Period(start, end)


def _scope_and_period(request):
    scope = stats_scope(request.user)
    try:
        return scope, stats_period(request.GET), ""
    except ValidationFailed as error:
        today = timezone.localdate()
        return scope, Period(dt.date(today.year, 1, 1), today), str(error)


@login_required
def statistics_page(request):
    scope, period, error = _scope_and_period(request)
    tables = stats_tables(period=period, scope=scope)
    for table in tables:
        table.svg = bar_chart_svg(table.chart, title=table.title) if table.chart else ""
    context = {"tables": tables, "period": period, "scope": scope, "error": error}
    return render(request, "core/statistics.html", context, status=400 if error else 200)


@login_required
def statistics_download(request, key: str, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404
    scope, period, error = _scope_and_period(request)
    if error:
        return HttpResponseBadRequest(error)
    tables = stats_tables(period=period, scope=scope, only=key)
    if not tables:
        raise Http404
    filename = f"{key}_{period.start.isoformat()}_{period.end.isoformat()}.{fmt}"
    return file_response(table_export(tables[0].export(), fmt), filename=filename)
