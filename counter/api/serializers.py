"""Explicit input and output serializers of the counter API (no business rules here)."""

import datetime as dt

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import DateParamField
from counter.constants import (
    InsuranceResult,
    NotDeliveredReason,
    Outcome,
    ReferralTo,
    RegistrationKind,
)
from counter.models import (
    FeeLine,
    FundedService,
    Invoice,
    InvoiceLine,
    ServiceRecord,
    VisitClosure,
)
from counter.selectors.issuer import invoice_payment
from scheduling.models import Municipality, ServiceType


class RecordCreateIn(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    reason_code = serializers.ChoiceField(
        choices=NotDeliveredReason.choices,
        required=False,
        allow_blank=True,
        help_text="Why a service was not delivered; required with outcome not_completed "
        "(a free-text reason alone counts as other).",
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)
    registration_date = DateParamField(required=False)
    residence_municipality = serializers.SlugRelatedField(
        slug_field="cbs_code", queryset=Municipality.objects.all(), required=False
    )
    bsn = serializers.CharField(required=False, allow_blank=True, max_length=12, write_only=True)
    bsn_issued = serializers.BooleanField(required=False, allow_null=True, default=None)
    lawful_residence_proof = serializers.CharField(required=False, allow_blank=True, max_length=100)
    insurance_result = serializers.ChoiceField(
        choices=InsuranceResult.choices, required=False, allow_blank=True
    )
    insurance_obligation_start = DateParamField(required=False)
    a1_exemption = serializers.BooleanField(required=False, allow_null=True, default=None)
    referral_made = serializers.BooleanField(required=False, allow_null=True, default=None)
    referral_to = serializers.ChoiceField(
        choices=ReferralTo.choices, required=False, allow_blank=True
    )


class RecordOut(serializers.ModelSerializer):
    residence_municipality = serializers.SlugRelatedField(slug_field="cbs_code", read_only=True)
    performing_municipality = serializers.SlugRelatedField(slug_field="cbs_code", read_only=True)
    bsn_stored = serializers.SerializerMethodField()
    # "" when not applicable: the schema's enums allow it (read-only model fields lose blank).
    registration_kind = serializers.ChoiceField(
        choices=RegistrationKind.choices, allow_blank=True, read_only=True
    )
    reason_code = serializers.ChoiceField(
        choices=NotDeliveredReason.choices, allow_blank=True, read_only=True
    )
    insurance_result = serializers.ChoiceField(
        choices=InsuranceResult.choices, allow_blank=True, read_only=True
    )
    referral_to = serializers.ChoiceField(
        choices=ReferralTo.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = ServiceRecord
        fields = [
            "id",
            "leg",
            "outcome",
            "reason_code",
            "reason",
            "registration_kind",
            "registration_date",
            "residence_municipality",
            "performing_municipality",
            "bsn_issued",
            "bsn_stored",
            "lawful_residence_proof",
            "insurance_result",
            "insurance_obligation_start",
            "insurance_deadline",
            "a1_exemption",
            "referral_made",
            "referral_to",
            "recorded_at",
            "voided_at",
            "void_reason",
        ]
        read_only_fields = fields

    def get_bsn_stored(self, obj) -> bool:
        return bool(obj.bsn)


class ReasonIn(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class BsnOut(serializers.Serializer):
    bsn = serializers.CharField()


class FeeAddIn(serializers.Serializer):
    service = serializers.SlugRelatedField(slug_field="code", queryset=ServiceType.objects.all())


class FeeLineOut(serializers.ModelSerializer):
    service = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = FeeLine
        fields = [
            "id",
            "appointment",
            "service",
            "tariff",
            "amount",
            "payer_employer",
            "payer_client",
            "credit_of",
            "reason",
            "invoice",
            "created_at",
        ]
        read_only_fields = fields


class FundedServiceOut(serializers.Serializer):
    """An extra service paid by the government parties (financing variants b and c): no fee
    line is written for the employer; ``funded_service`` is the record the claims trace to."""

    id = serializers.IntegerField(allow_null=True, read_only=True, help_text="Always null.")
    appointment = serializers.IntegerField(read_only=True)
    funded_service = serializers.IntegerField(read_only=True)


class FundedServiceDetailOut(serializers.ModelSerializer):
    """An extra service the government parties pay, as recorded (``amount`` is claimed from
    them; 0.00 under the state-per-newcomer variant). A voided one keeps its amount."""

    service = serializers.SlugRelatedField(slug_field="code", read_only=True)
    variant = serializers.CharField(source="financing.variant", read_only=True)

    class Meta:
        model = FundedService
        fields = [
            "id",
            "appointment",
            "service",
            "variant",
            "amount",
            "service_date",
            "created_at",
            "voided_at",
            "void_reason",
        ]
        read_only_fields = fields


class VisitClosureOut(serializers.ModelSerializer):
    class Meta:
        model = VisitClosure
        fields = ["appointment", "closed_at"]
        read_only_fields = fields


class InvoiceLineOut(serializers.ModelSerializer):
    service = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    # Empty on a line for another item than a visit (an activity place): see description.
    worker = serializers.CharField(source="client", read_only=True, allow_null=True)

    class Meta:
        model = InvoiceLine
        fields = [
            "position",
            "worker",
            "service",
            "description",
            "po_reference",
            "quantity",
            "amount",
        ]
        read_only_fields = fields


class InvoiceIssuerOut(serializers.Serializer):
    """Who issued the invoice and where it is paid (as printed on it)."""

    name = serializers.CharField(default="")
    address = serializers.CharField(default="")
    kvk_number = serializers.CharField(default="")
    vat_number = serializers.CharField(default="")
    iban = serializers.CharField(default="")
    bic = serializers.CharField(default="")
    payment_term_days = serializers.IntegerField()


class InvoiceOut(serializers.ModelSerializer):
    employer = serializers.CharField(source="employer.name", read_only=True)
    issuer = serializers.SerializerMethodField()
    due_date = serializers.SerializerMethodField()
    payment_reference = serializers.CharField(source="number", read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "employer",
            "period_start",
            "period_end",
            "issued_at",
            "total",
            "issuer",
            "due_date",
            "payment_reference",
        ]
        read_only_fields = fields

    def _payment(self, obj) -> dict:
        cache = self.context.setdefault("invoice_payment", {})
        if obj.pk not in cache:
            cache[obj.pk] = invoice_payment(obj)
        return cache[obj.pk]

    @extend_schema_field(InvoiceIssuerOut)
    def get_issuer(self, obj) -> dict:
        return InvoiceIssuerOut(self._payment(obj)).data

    def get_due_date(self, obj) -> dt.date:
        return self._payment(obj)["due_date"]


class InvoiceDetailOut(InvoiceOut):
    lines = InvoiceLineOut(many=True, read_only=True)

    class Meta(InvoiceOut.Meta):
        fields = [*InvoiceOut.Meta.fields, "lines"]
        read_only_fields = fields
