"""Statistics: settlement totals per municipality per year (SettlementConfig).

Money between governments, as on the issued statements: not suppressed (no count of
persons is shown). A municipality sees its own row only.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from core.stats import AMOUNT, LABEL, Column, Period, StatsScope, StatTable
from settlement.models import SettlementLine


def settlement_totals(*, period: Period, scope: StatsScope) -> StatTable:
    lines = SettlementLine.objects.filter(registration_date__range=(period.start, period.end))
    totals = defaultdict(lambda: [Decimal("0.00"), Decimal("0.00")])
    names = {}
    for side, index in (("payee", 0), ("payer", 1)):
        for row in (
            lines.annotate(year=ExtractYear("registration_date"))
            .values("year", f"{side}_id", f"{side}__name")
            .annotate(amount=Sum("amount"))
            .order_by()
        ):
            names[row[f"{side}_id"]] = row[f"{side}__name"]
            totals[row["year"], row[f"{side}_id"]][index] += row["amount"]
    rows = [
        [str(year), names[municipality], receivable, payable, receivable - payable]
        for (year, municipality), (receivable, payable) in sorted(
            totals.items(), key=lambda item: (item[0][0], names[item[0][1]])
        )
        if scope.everything or municipality == scope.municipality_id
    ]
    return StatTable(
        title=_("Settlement totals per municipality per year"),
        columns=[
            Column("year", _("Year"), LABEL),
            Column("municipality", _("Municipality"), LABEL),
            Column("receivable_eur", _("Receivable (EUR)"), AMOUNT),
            Column("payable_eur", _("Payable (EUR)"), AMOUNT),
            Column("net_eur", _("Net (EUR)"), AMOUNT),
        ],
        rows=rows,
        column_totals=False,
    )
