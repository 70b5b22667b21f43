"""Admin for settlements: everything read-only; tariffs and agreements are added through the
services (so overlap and retroactivity rules hold), never changed or deleted."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ServiceAddAdmin, ServiceAddForm
from settlement.models import (
    MunicipalityPaymentDetails,
    SettlementAgreement,
    SettlementLine,
    SettlementPayment,
    SettlementPeriod,
    SettlementTariff,
    Statement,
    StatementDelivery,
)
from settlement.services.config import settlement_agreement_create, settlement_tariff_create


class TariffForm(ServiceAddForm):
    class Meta:
        model = SettlementTariff
        fields = ["amount", "valid_from", "valid_to"]

    def create(self, data: dict) -> SettlementTariff:
        return settlement_tariff_create(
            amount=data["amount"],
            valid_from=data["valid_from"],
            valid_to=data.get("valid_to"),
            actor=self.actor,
        )


@admin.register(SettlementTariff)
class SettlementTariffAdmin(ServiceAddAdmin):
    form = TariffForm
    list_display = ["amount", "valid_from", "valid_to", "created_at"]


class AgreementForm(ServiceAddForm):
    class Meta:
        model = SettlementAgreement
        fields = [
            "name",
            "region",
            "model",
            "payee",
            "participants",
            "amount_per_inhabitant",
            "valid_from",
            "valid_to",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payee"].required = False
        self.fields["participants"].required = False
        self.fields["participants"].help_text = "Empty: every municipality of the region."

    def create(self, data: dict) -> SettlementAgreement:
        return settlement_agreement_create(
            name=data["name"],
            region=data["region"],
            model=data["model"],
            payee=data.get("payee"),
            participants=list(data["participants"]) or None,
            amount_per_inhabitant=data["amount_per_inhabitant"],
            valid_from=data["valid_from"],
            valid_to=data.get("valid_to"),
            actor=self.actor,
        )


@admin.register(SettlementAgreement)
class SettlementAgreementAdmin(ServiceAddAdmin):
    form = AgreementForm
    list_display = ["name", "region", "model", "payee", "valid_from", "valid_to"]
    filter_horizontal = ["participants"]


@admin.register(SettlementPeriod)
class SettlementPeriodAdmin(ReadOnlyAdmin):
    list_display = ["label", "start", "end", "issued_at"]


@admin.register(SettlementLine)
class SettlementLineAdmin(ReadOnlyAdmin):
    list_display = ["reference", "kind", "payer", "payee", "amount", "registration_date", "period"]
    list_filter = ["kind", "period"]
    search_fields = ["reference"]
    exclude = ["record"]


@admin.register(Statement)
class StatementAdmin(ReadOnlyAdmin):
    list_display = ["number", "municipality", "period", "net_total", "issue_date"]
    list_filter = ["period"]


@admin.register(SettlementPayment)
class SettlementPaymentAdmin(ReadOnlyAdmin):
    list_display = ["statement", "amount", "received_on", "reference"]


@admin.register(StatementDelivery)
class StatementDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["statement", "sent_to", "sent_at"]


@admin.register(MunicipalityPaymentDetails)
class MunicipalityPaymentDetailsAdmin(admin.ModelAdmin):
    """Name, address, IBAN and payment term of a municipality on settlement documents; the
    IBAN is checked (python-stdnum) and stored compact."""

    list_display = ["municipality", "legal_name", "iban", "payment_term_days", "issues_statements"]
    list_filter = ["issues_statements"]
    search_fields = ["municipality__name", "municipality__cbs_code", "legal_name"]
    fields = [
        "municipality",
        "legal_name",
        "address",
        "kvk_number",
        "vat_number",
        "iban",
        "bic",
        "payment_term_days",
        "issues_statements",
    ]

    def has_delete_permission(self, request, obj=None):
        return False
