from decimal import Decimal

import pytest

from core.money import assert_money, round_money


def test_round_money_rounds_half_up_to_cents():
    assert round_money(Decimal("0.125")) == Decimal("0.13")
    assert round_money(Decimal("2.675")) == Decimal("2.68")  # a float would give 2.67
    assert round_money(Decimal("-0.125")) == Decimal("-0.13")


def test_money_refuses_floats_and_fractions_of_cents():
    with pytest.raises(TypeError):
        round_money(0.1)
    with pytest.raises(TypeError):
        assert_money(50.0)
    with pytest.raises(ValueError):
        assert_money(Decimal("50.005"))
    assert assert_money(Decimal("50.00")) == Decimal("50.00")


def test_money_field_is_two_places_and_migrates_as_a_decimal_field():
    from core.money import MoneyField

    field = MoneyField("amount")
    assert (field.max_digits, field.decimal_places) == (12, 2)
    _name, path, _args, kwargs = field.deconstruct()
    assert path == "django.db.models.DecimalField"
    assert (kwargs["max_digits"], kwargs["decimal_places"]) == (12, 2)
