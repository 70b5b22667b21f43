"""Statistics tables from the counter's records (registered in CounterConfig.statistics_tables).

A registration is a completed, not voided BRP/RNI service record; its month is its
registration date. A municipality sees the registrations of its residents and those its
desk performed.
"""

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core.stats import (
    AMOUNT,
    COUNT,
    LABEL,
    Column,
    Period,
    StatsScope,
    StatTable,
    count_per_month,
    monthly_share_table,
)
from counter.constants import Outcome, RegistrationKind
from counter.models import FeeLine, ServiceRecord
from scheduling.constants import EU_EEA_CH
from scheduling.models import Region


def registrations(period: Period, scope: StatsScope):
    records = ServiceRecord.objects.filter(
        voided_at__isnull=True,
        outcome=Outcome.COMPLETED,
        registration_kind__in=RegistrationKind.values,
        registration_date__range=(period.start, period.end),
    )
    if not scope.everything:
        records = records.filter(
            Q(residence_municipality_id=scope.municipality_id)
            | Q(performing_municipality_id=scope.municipality_id)
        )
    return records


def registrations_by_month_region(*, period: Period, scope: StatsScope) -> StatTable:
    regions = list(Region.objects.filter(parent__isnull=True).order_by("name"))
    top_region = Coalesce(
        "performing_municipality__region__parent_id", "performing_municipality__region_id"
    )
    counts = count_per_month(
        registrations(period, scope).annotate(region=top_region),
        field="registration_date",
        period=period,
        by=("region",),
        aware=False,
    )
    rows = []
    for key, _first, _last in period.months():
        rows.append([key, *[counts.get((key, region.pk), 0) for region in regions]])
    return StatTable(
        title=_("Registrations per month by region"),
        columns=[
            Column("month", _("Month"), LABEL),
            *[Column(f"region_{r.pk}", r.name, COUNT) for r in regions],
        ],
        rows=rows,
        row_totals=True,
        note=_("Region of the desk (or bus) that registered."),
    )


def registrations_by_residence(*, period: Period, scope: StatsScope) -> StatTable:
    rows = [
        [row["residence_municipality__name"] or _("Unknown"), row["n"]]
        for row in registrations(period, scope)
        .values("residence_municipality__name")
        .annotate(n=Count("id"))
        .order_by("residence_municipality__name")
    ]
    return StatTable(
        title=_("Registrations by municipality of residence"),
        columns=[
            Column("municipality", _("Municipality"), LABEL),
            Column("registrations", _("Registrations")),
        ],
        rows=rows,
    )


def registrations_by_nationality_group(*, period: Period, scope: StatsScope) -> StatTable:
    groups = {"eu": [0, 0], "other": [0, 0], "unknown": [0, 0]}
    kinds = [RegistrationKind.BRP, RegistrationKind.RNI]
    for row in (
        registrations(period, scope)
        .values("leg__appointment__client__nationality", "registration_kind")
        .annotate(n=Count("id"))
    ):
        nationality = row["leg__appointment__client__nationality"] or ""
        group = "unknown" if not nationality else "eu" if nationality in EU_EEA_CH else "other"
        groups[group][kinds.index(row["registration_kind"])] += row["n"]
    labels = {
        "eu": _("EU/EEA/Switzerland"),
        "other": _("Other nationalities"),
        "unknown": _("Unknown (personal data removed)"),
    }
    return StatTable(
        title=_("Registrations by nationality group"),
        columns=[
            Column("nationality_group", _("Nationality group"), LABEL),
            Column("brp", _("BRP")),
            Column("rni", _("RNI")),
        ],
        rows=[[labels[g], *groups[g]] for g in ("eu", "other", "unknown")],
        row_totals=True,
    )


def services_delivered(*, period: Period, scope: StatsScope) -> StatTable:
    records = ServiceRecord.objects.filter(
        voided_at__isnull=True,
        outcome=Outcome.COMPLETED,
        leg__finished_at__gte=period.moments[0],
        leg__finished_at__lt=period.moments[1],
    )
    if not scope.everything:
        records = records.filter(leg__appointment__location__municipality_id=scope.municipality_id)
    rows = [
        [row["leg__service__name"], row["n"]]
        for row in records.values("leg__service__name", "leg__service__sort_order")
        .annotate(n=Count("id"))
        .order_by("leg__service__sort_order", "leg__service__name")
    ]
    return StatTable(
        title=_("Services delivered"),
        columns=[Column("service", _("Service"), LABEL), Column("delivered", _("Delivered"))],
        rows=rows,
    )


def brp_rni_share(*, period: Period, scope: StatsScope) -> StatTable:
    counts = count_per_month(
        registrations(period, scope),
        field="registration_date",
        period=period,
        by=("registration_kind",),
        aware=False,
    )
    return monthly_share_table(
        title=_("BRP and RNI registrations"),
        counts=counts,
        period=period,
        pair=(("brp", "brp", _("BRP")), ("rni", "rni", _("RNI"))),
        share_column=("rni_share_pct", _("RNI share (%)")),
    )


def extra_services_fees(*, period: Period, scope: StatsScope) -> StatTable:
    lines = FeeLine.objects.filter(
        created_at__gte=period.moments[0], created_at__lt=period.moments[1]
    )
    if not scope.everything:
        lines = lines.filter(appointment__location__municipality_id=scope.municipality_id)
    rows = [
        [row["service__name"], row["taken"] - row["credited"], row["amount"]]
        for row in lines.values("service__name")
        .annotate(
            taken=Count("id", filter=Q(credit_of__isnull=True)),
            credited=Count("id", filter=Q(credit_of__isnull=False)),
            amount=Sum("amount"),
        )
        .order_by("service__name")
    ]
    return StatTable(
        title=_("Extra services taken and fees"),
        columns=[
            Column("service", _("Service"), LABEL),
            Column("taken", _("Taken (net of credits)")),
            Column("fees_eur", _("Fees (EUR)"), AMOUNT, derived=True),
        ],
        rows=rows,
    )
