"""A visit's fee line and an other item's fee line share one abstract base (amount, credit,
reason, who and when, the immutability rule and the sign constraint); folding them into it
changed nothing in the database."""

import pytest
from django.core.management import call_command

from counter.models import FeeLine, ItemFeeLine
from counter.models.fees import FeeLineBase

SHARED = ("amount", "credit_of", "reason", "created_at", "created_by")


@pytest.mark.parametrize("model", [FeeLine, ItemFeeLine])
def test_both_fee_lines_take_the_shared_fields_from_one_base(model):
    assert issubclass(model, FeeLineBase) and FeeLineBase._meta.abstract
    for name in SHARED[:1] + SHARED[2:]:  # credit_of: compared below
        field, base = model._meta.get_field(name), FeeLineBase._meta.get_field(name)
        assert field.deconstruct()[1:] == base.deconstruct()[1:]
    # "self" in the base points each credit at a line of its own kind.
    assert model._meta.get_field("credit_of").related_model is model
    assert model.mutable_fields == frozenset({"invoice"})
    assert model._meta.ordering == ["created_at", "pk"]
    assert f"{model._meta.model_name}_charge_positive_credit_negative" in {
        c.name for c in model._meta.constraints
    }


@pytest.mark.django_db
def test_the_base_needs_no_migration():
    call_command("makemigrations", "counter", "--check", "--dry-run", verbosity=0)
