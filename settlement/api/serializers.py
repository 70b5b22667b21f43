"""Settlement API serializers: explicit input and output shapes (no rules here)."""

from decimal import Decimal
from functools import cached_property

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import DateParamField
from settlement.models import SettlementLine, SettlementPayment, Statement
from settlement.selectors.statements import (
    balance_of,
    payment_advice,
    statement_issuer,
    statement_view,
)


class StatementIssuerOut(serializers.Serializer):
    """The municipality that issues the statements (as printed on them)."""

    name = serializers.CharField(source="legal_name")
    municipality = serializers.CharField(source="municipality.cbs_code")
    address = serializers.CharField()
    kvk_number = serializers.CharField()
    vat_number = serializers.CharField()
    iban = serializers.CharField()
    bic = serializers.CharField()
    payment_term_days = serializers.IntegerField()


class AdviceOut(serializers.Serializer):
    """One transfer of the netting advice that concerns the statement's municipality. Sign as
    on the statement: ``amount`` negative = it pays, positive = it receives."""

    direction = serializers.ChoiceField(choices=["pay", "receive"])
    counterparty = serializers.CharField(source="counterparty.cbs_code")
    counterparty_name = serializers.CharField(source="counterparty.name")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    due_date = serializers.DateField()
    iban = serializers.CharField()
    bic = serializers.CharField()
    account_holder = serializers.CharField()
    payment_reference = serializers.CharField(source="reference")


class StatementOut(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.cbs_code")
    municipality_name = serializers.CharField(source="municipality.name")
    period = serializers.CharField(source="period.label")
    payment_status = serializers.SerializerMethodField()
    paid = serializers.SerializerMethodField()
    open_amount = serializers.SerializerMethodField()
    issuer = serializers.SerializerMethodField()
    payment_advice = serializers.SerializerMethodField()

    class Meta:
        model = Statement
        fields = [
            "id",
            "number",
            "municipality",
            "municipality_name",
            "period",
            "issue_date",
            "receivable_total",
            "payable_total",
            "net_total",
            "line_count",
            "counterparties",
            "content_hash",
            "payment_status",
            "paid",
            "open_amount",
            "issuer",
            "payment_advice",
        ]

    def _balance(self, obj) -> dict:
        paid = getattr(obj, "paid", None)
        return balance_of(obj, paid if paid is not None else Decimal("0.00"))

    def get_payment_status(self, obj) -> str:
        return self._balance(obj)["status"]

    def get_paid(self, obj) -> str:
        return str(self._balance(obj)["paid"])

    def get_open_amount(self, obj) -> str:
        return str(self._balance(obj)["open"])

    @extend_schema_field(StatementIssuerOut(allow_null=True))
    def get_issuer(self, obj) -> dict | None:
        # The same issuer on every statement: read and serialized once per response.
        if "issuer_out" not in self.context:
            issuer = statement_issuer()
            self.context["issuer_out"] = StatementIssuerOut(issuer).data if issuer else None
        return self.context["issuer_out"]

    @cached_property
    def _advice_out(self) -> AdviceOut:
        # One serializer for every advice line of the response: building a serializer copies
        # its fields, which cost more than the line itself.
        return AdviceOut()

    @extend_schema_field(AdviceOut(many=True))
    def get_payment_advice(self, obj) -> list:
        advice = self.context.get("advice", {}).get(obj.pk)
        if advice is None:
            advice = payment_advice(statement_view(obj))
        return [self._advice_out.to_representation(line) for line in advice]


class StatementLineOut(serializers.ModelSerializer):
    """A line of one statement, seen from the statement's municipality (the sign convention of
    every statement output): ``amount`` positive = it receives, negative = it pays."""

    payer = serializers.CharField(source="payer.cbs_code")
    payee = serializers.CharField(source="payee.cbs_code")
    period = serializers.CharField(source="period.label")
    direction = serializers.ChoiceField(choices=["receivable", "payable"])
    counterparty = serializers.SerializerMethodField()
    amount = serializers.DecimalField(
        source="signed_amount", max_digits=14, decimal_places=2, read_only=True
    )

    class Meta:
        model = SettlementLine
        fields = [
            "id",
            "kind",
            "reference",
            "registration_date",
            "registration_kind",
            "payer",
            "payee",
            "direction",
            "counterparty",
            "amount",
            "period",
            "reverses",
        ]

    def get_counterparty(self, obj) -> str:
        return obj.payer.cbs_code if obj.direction == "receivable" else obj.payee.cbs_code


class LineOut(serializers.ModelSerializer):
    payer = serializers.CharField(source="payer.cbs_code")
    payee = serializers.CharField(source="payee.cbs_code")
    period = serializers.CharField(source="period.label")

    class Meta:
        model = SettlementLine
        fields = [
            "id",
            "kind",
            "reference",
            "registration_date",
            "registration_kind",
            "payer",
            "payee",
            "amount",
            "period",
            "reverses",
        ]


class PaymentOut(serializers.ModelSerializer):
    statement_number = serializers.CharField(source="statement.number")

    class Meta:
        model = SettlementPayment
        fields = ["id", "statement", "statement_number", "amount", "received_on", "reference"]


class PaymentIn(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    received_on = DateParamField()
    reference = serializers.CharField(max_length=100)


class PeriodIssueOut(serializers.Serializer):
    period = serializers.CharField()
    statements = serializers.ListField(child=serializers.CharField())
