"""Admin for the counter app: every write goes through the services, so the admin enforces
the same rules (no fee on a government service, tariffs never edited once used, fee lines
credited not edited, issued invoices and service records read-only)."""

from django.contrib import admin

from core.admin import ReadOnlyAdmin, ServiceAddAdmin, ServiceAddForm
from counter.models import (
    FeeLine,
    FinancingChoice,
    FundedService,
    Invoice,
    InvoiceIssuer,
    InvoiceLine,
    ServiceRecord,
    Tariff,
    VisitClosure,
)
from counter.models.fees import government_fee_error
from counter.services.fees import fee_line_add, tariff_create
from counter.services.financing import financing_choice_create


class FeeServiceForm(ServiceAddForm):
    """A form that attaches a fee to a service: a government service is refused (it is free,
    Gemeentewet), on the field, before the service refuses it too."""

    def clean_service(self):
        service = self.cleaned_data["service"]
        error = government_fee_error(service)
        if error:
            raise error
        return service


class TariffForm(FeeServiceForm):
    class Meta:
        model = Tariff
        fields = ["service", "amount", "valid_from", "valid_to"]

    def create(self, data: dict) -> Tariff:
        return tariff_create(
            service=data["service"],
            amount=data["amount"],
            valid_from=data["valid_from"],
            valid_to=data.get("valid_to"),
            actor=self.actor,
        )


@admin.register(Tariff)
class TariffAdmin(ServiceAddAdmin):
    form = TariffForm
    list_display = ["service", "amount", "valid_from", "valid_to", "created_at"]
    list_filter = ["service"]

    # Never edited in place (create a new tariff); deleted only while no fee line uses it.
    def has_delete_permission(self, request, obj=None):
        return (
            obj is not None
            and not obj.fee_lines.exists()
            and admin.ModelAdmin.has_delete_permission(self, request, obj)
        )


class FeeLineForm(FeeServiceForm):
    class Meta:
        model = FeeLine
        fields = ["appointment", "service"]

    def create(self, data: dict):
        return fee_line_add(
            appointment=data["appointment"], service=data["service"], actor=self.actor
        )


@admin.register(FeeLine)
class FeeLineAdmin(ServiceAddAdmin):
    form = FeeLineForm
    list_display = ["appointment", "service", "amount", "payer", "invoice", "credit_of"]
    list_filter = ["service"]
    raw_id_fields = ["appointment"]  # never edited or deleted: corrections are credit lines


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    can_delete = False
    fields = ["position", "client", "service", "po_reference", "quantity", "amount"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "employer", "period_start", "total", "issued_at", "emailed_at"]
    list_filter = ["year"]
    inlines = [InvoiceLineInline]

    def has_add_permission(self, request):
        return False  # issued by the monthly run


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ReadOnlyAdmin):
    list_display = [
        "leg",
        "outcome",
        "reason_code",
        "registration_kind",
        "bsn_issued",
        "recorded_at",
        "voided_at",
    ]
    list_filter = ["outcome", "reason_code", "registration_kind"]
    exclude = ["bsn"]  # shown only through the audited reveal on the counter page

    def has_add_permission(self, request):
        return False  # recorded at the counter for a called leg


@admin.register(VisitClosure)
class VisitClosureAdmin(ReadOnlyAdmin):
    list_display = ["appointment", "closed_at", "closed_by"]

    def has_add_permission(self, request):
        return False


@admin.register(InvoiceIssuer)
class InvoiceIssuerAdmin(admin.ModelAdmin):
    """The one issuer row: printed on invoices issued from now on (issued ones keep theirs)."""

    list_display = ["legal_name", "kvk_number", "vat_number", "iban", "payment_term_days"]
    fields = [
        "legal_name",
        "address",
        "kvk_number",
        "vat_number",
        "iban",
        "bic",
        "payment_term_days",
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not InvoiceIssuer.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class FinancingChoiceForm(ServiceAddForm):
    """A new financing choice goes through ``financing_choice_create`` (shares adding up to
    100, population figures present for a population basis, an open choice ended the day
    before, other overlaps refused): its refusal is the form's error."""

    class Meta:
        model = FinancingChoice
        fields = [
            "region",
            "variant",
            "municipal_basis",
            "state_percent",
            "province_percent",
            "municipalities_percent",
            "amount_per_newcomer",
            "valid_from",
            "valid_to",
        ]

    def create(self, data: dict) -> FinancingChoice:
        return financing_choice_create(
            region=data["region"],
            variant=data["variant"],
            municipal_basis=data["municipal_basis"],
            shares=(
                data["state_percent"],
                data["province_percent"],
                data["municipalities_percent"],
            ),
            amount_per_newcomer=data["amount_per_newcomer"],
            valid_from=data["valid_from"],
            valid_to=data.get("valid_to"),
            actor=self.actor,
        )


@admin.register(FinancingChoice)
class FinancingChoiceAdmin(ServiceAddAdmin):
    """Who pays the desk's extra service, per region and effective-dated: added here (through
    the service), never edited or deleted; a change is a new choice from a later date."""

    form = FinancingChoiceForm
    list_display = ["region", "variant", "municipal_basis", "valid_from", "valid_to"]
    list_filter = ["variant", "region"]


@admin.register(FundedService)
class FundedServiceAdmin(ReadOnlyAdmin):
    """Extra services the government parties pay: read-only (voiding goes through
    ``counter.services.financing.funded_service_void``)."""

    list_display = ["appointment", "service", "amount", "service_date", "financing", "voided_at"]
    list_filter = ["service", "financing__variant"]
    raw_id_fields = ["appointment"]
