"""Settlement API serializers: explicit input and output shapes (no rules here)."""

from decimal import Decimal

from rest_framework import serializers

from core.api.fields import DateParamField
from settlement.models import SettlementLine, SettlementPayment, Statement
from settlement.selectors.statements import balance_of


class StatementOut(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.cbs_code")
    municipality_name = serializers.CharField(source="municipality.name")
    period = serializers.CharField(source="period.label")
    payment_status = serializers.SerializerMethodField()
    paid = serializers.SerializerMethodField()
    open_amount = serializers.SerializerMethodField()

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
