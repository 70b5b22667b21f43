"""Cost split report (business plan example): the physical desks' yearly cost divided between
state, province and municipalities, the municipal share pro rata by CBS population.

All amounts are Decimal; ``allocate`` is the one rounding helper: parts are rounded down to
the cent and the remaining cents go, one each, to the parts with the largest remainders
(ties by key order), so the parts always sum exactly to the total.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from core.exceptions import ValidationFailed
from core.money import allocate as money_allocate
from core.money import assert_money
from scheduling.models import Municipality
from settlement.errors import SettlementError
from settlement.selectors.population import missing_population_error, population_for

DEFAULT_SHARES = {
    "state": Decimal("50"),
    "province": Decimal("25"),
    "municipalities": Decimal("25"),
}


def allocate(total: Decimal, weights: list[tuple[str, Decimal | int]]) -> dict[str, Decimal]:
    """Split ``total`` over keyed ``weights`` (``core.money.allocate``, largest remainder)."""
    parts = money_allocate(total, [w for _k, w in weights])
    return {key: part for (key, _w), part in zip(weights, parts, strict=True)}


@dataclass
class CostSplit:
    year: int
    desk_costs: list[tuple[str, Decimal]]
    shares: dict[str, Decimal]
    total: Decimal = Decimal("0.00")
    parts: dict[str, Decimal] = field(default_factory=dict)
    municipalities: list[dict] = field(default_factory=list)


def cost_split_compute(
    *, year: int, desk_costs: list[tuple[str, Decimal]], shares: dict[str, Decimal] | None = None
) -> CostSplit:
    shares = shares or DEFAULT_SHARES
    for _name, cost in desk_costs:
        assert_money(cost)
        if cost < 0:
            raise ValidationFailed(
                _("A desk cost cannot be negative."), code=SettlementError.COST_NEGATIVE
            )
    if sum(shares.values(), Decimal(0)) != 100 or any(v < 0 for v in shares.values()):
        raise ValidationFailed(
            _("The shares of state, province and municipalities must add up to 100%."),
            code=SettlementError.SHARES_NOT_100,
        )
    total = sum((c for _n, c in desk_costs), Decimal("0.00"))
    result = CostSplit(year=year, desk_costs=desk_costs, shares=shares, total=total)
    result.parts = allocate(total, list(shares.items()))
    municipalities = list(Municipality.objects.order_by("cbs_code"))
    population = population_for([m.pk for m in municipalities], year)
    missing = [m for m in municipalities if m.pk not in population]
    if missing:
        raise missing_population_error(missing, year)
    split = allocate(
        result.parts["municipalities"], [(m.cbs_code, population[m.pk]) for m in municipalities]
    )
    inhabitants = sum(population.values())
    result.municipalities = [
        {
            "municipality": m,
            "population": population[m.pk],
            "share_percent": (Decimal(population[m.pk]) * 100 / inhabitants).quantize(
                Decimal("0.001")
            ),
            "amount": split[m.cbs_code],
        }
        for m in municipalities
    ]
    return result
