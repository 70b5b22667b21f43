"""Money helpers: Decimal, two places, EUR, rounded half up in one place."""

from decimal import ROUND_HALF_UP, Decimal

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
