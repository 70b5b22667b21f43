"""Statistics tables from the counter's records (registered in CounterConfig.statistics_tables).

A registration is a completed, not voided BRP/RNI service record; its month is its
registration date. A municipality sees the registrations of its residents and those its
desk performed.

Documents-missing rate: of the legs served (finished, done or not done) in a month, the
share whose valid record says "not completed: documents missing"; the leg's month is its
finish. A municipality sees the legs at locations in the municipality.
"""

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from core.stats import (
    AMOUNT,
    COUNT,
    LABEL,
    SHARE,
    Column,
    Period,
    StatsScope,
    StatTable,
    count_per_month,
    monthly_share_table,
    share,
)
from counter.constants import NotDeliveredReason, Outcome, RegistrationKind
from counter.models import FeeLine, ServiceRecord
from scheduling.constants import EU_EEA_CH, LegState
from scheduling.models import Leg, Location, Region, ServiceType


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


def legs_served(period: Period, scope: StatsScope):
    """Legs finished in the period (done or not done): the denominator."""
    legs = Leg.objects.filter(
        state__in=(LegState.DONE, LegState.NOT_DONE),
        finished_at__gte=period.moments[0],
        finished_at__lt=period.moments[1],
    )
    if not scope.everything:
        legs = legs.filter(appointment__location__municipality_id=scope.municipality_id)
    return legs


def documents_missing_records(period: Period, scope: StatsScope):
    """Valid records of legs served in the period that failed for missing documents (one
    per leg: one valid record per leg). Counted apart from the legs: a scan of the records
    that keeps a few rows, instead of a subquery per leg served."""
    records = ServiceRecord.objects.filter(
        voided_at__isnull=True,
        outcome=Outcome.NOT_COMPLETED,
        reason_code=NotDeliveredReason.DOCUMENTS_MISSING,
        leg__state__in=(LegState.DONE, LegState.NOT_DONE),
        leg__finished_at__gte=period.moments[0],
        leg__finished_at__lt=period.moments[1],
    )
    if not scope.everything:
        records = records.filter(leg__appointment__location__municipality_id=scope.municipality_id)
    return records


def _documents_missing_columns(*labels: Column) -> list[Column]:
    return [
        *labels,
        Column("served", _("Legs served"), COUNT),
        Column("documents_missing", _("Not delivered: documents missing"), COUNT),
        Column("documents_missing_pct", _("Documents-missing rate (%)"), SHARE),
    ]


def documents_missing_by_month(*, period: Period, scope: StatsScope) -> StatTable:
    """Per month: legs served, those not delivered for missing documents, and their share.
    Documents missing is part of served (not a partition): no row total; the column totals
    are published, so a hidden month gets a complement in its column."""
    served = count_per_month(legs_served(period, scope), field="finished_at", period=period)
    missing = count_per_month(
        documents_missing_records(period, scope), field="leg__finished_at", period=period
    )
    rows = []
    for month, _first, _last in period.months():
        m, n = missing.get((month,), 0), served.get((month,), 0)
        rows.append([month, n, m, share(m, n)])
    return StatTable(
        title=_("Documents-missing rate per month"),
        columns=_documents_missing_columns(Column("month", _("Month"), LABEL)),
        rows=rows,
        note=_(
            "Share of the legs served (finished) that could not be delivered because "
            "documents were missing, as recorded at the counter."
        ),
    )


def documents_missing_by_location_service(*, period: Period, scope: StatsScope) -> StatTable:
    """Per location and service over the period: legs served, documents missing, share."""
    served = {
        (r["appointment__location_id"], r["service_id"]): r["n"]
        for r in legs_served(period, scope)
        .values("appointment__location_id", "service_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    missing = {
        (r["leg__appointment__location_id"], r["leg__service_id"]): r["n"]
        for r in documents_missing_records(period, scope)
        .values("leg__appointment__location_id", "leg__service_id")
        .annotate(n=Count("pk"))
        .order_by()
    }
    locations = dict(
        Location.objects.filter(pk__in={k[0] for k in served}).values_list("pk", "name")
    )
    services = dict(
        ServiceType.objects.filter(pk__in={k[1] for k in served}).values_list("pk", "name")
    )
    rows = []
    for key in sorted(served, key=lambda k: (locations[k[0]], services[k[1]], k)):
        n, m = served[key], missing.get(key, 0)
        rows.append([locations[key[0]], services[key[1]], n, m, share(m, n)])
    return StatTable(
        title=_("Documents-missing rate per location and service"),
        columns=_documents_missing_columns(
            Column("location", _("Location"), LABEL), Column("service", _("Service"), LABEL)
        ),
        rows=rows,
    )
