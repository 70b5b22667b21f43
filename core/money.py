"""Money helpers: Decimal, two places, EUR, rounded half up in one place."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models

CENT = Decimal("0.01")


def round_money(value: Decimal) -> Decimal:
    if not isinstance(value, Decimal):
        raise TypeError(f"Money must be Decimal, got {type(value).__name__}.")
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def assert_money(value) -> Decimal:
    """Refuse floats and unrounded amounts at a service's entry."""
    if not isinstance(value, Decimal):
        raise TypeError(f"Money must be Decimal, got {type(value).__name__}.")
    if value != round_money(value):
        raise ValueError(f"Money has at most two decimal places, got {value}.")
    return value


class MoneyField(models.DecimalField):
    """EUR amount: Decimal with two places (12 digits). The one field for money.

    It deconstructs as a plain ``DecimalField``, so migrations see no difference from the
    columns written before it existed.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


def allocate(total: Decimal, weights) -> list[Decimal]:
    """Split ``total`` over ``weights`` to the cent, largest remainder first.

    Every part is first rounded down to the cent; the cents left over go one each to the
    parts with the largest remainders, ties to the earliest weight (deterministic). The parts
    always sum exactly to ``total``. Zero weights get 0.00 (unless every weight is zero, which
    is refused: there is nobody to pay). A negative total is split as its mirror image.
    """
    assert_money(total)
    weights = [Decimal(w) for w in weights]
    if not weights or any(w < 0 for w in weights):
        raise ValueError("Weights must be zero or positive, and at least one.")
    weight_sum = sum(weights, Decimal(0))
    if weight_sum == 0:
        raise ValueError("Weights must sum to more than zero.")
    if total < 0:
        return [-part for part in allocate(-total, weights)]
    cents = int(total / CENT)
    exact = [cents * w / weight_sum for w in weights]
    floors = [int(e) for e in exact]  # e >= 0: int() truncates down
    left = cents - sum(floors)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += 1
    return [Decimal(n) * CENT for n in floors]
