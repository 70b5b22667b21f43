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
