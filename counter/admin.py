"""Admin for the counter app: every write goes through the services, so the admin enforces
the same rules (no fee on a government service, tariffs never edited once used, fee lines
credited not edited, issued invoices and service records read-only)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from core.admin import ReadOnlyAdmin, ServiceAddAdmin
from core.exceptions import DomainError
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


class FeeServiceForm(forms.ModelForm):
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


@admin.register(Tariff)
class TariffAdmin(ServiceAddAdmin):
    form = TariffForm
    list_display = ["service", "amount", "valid_from", "valid_to", "created_at"]
    list_filter = ["service"]

    def has_change_permission(self, request, obj=None):
        return False  # never edited in place: create a new tariff

    def has_delete_permission(self, request, obj=None):
        return (
            obj is not None
            and not obj.fee_lines.exists()
            and super().has_delete_permission(request, obj)
        )

    def service_create(self, request, obj):
        return tariff_create(
            service=obj.service,
            amount=obj.amount,
            valid_from=obj.valid_from,
            valid_to=obj.valid_to,
            actor=request.user,
        )


class FeeLineForm(FeeServiceForm):
    class Meta:
        model = FeeLine
        fields = ["appointment", "service"]


@admin.register(FeeLine)
class FeeLineAdmin(ServiceAddAdmin):
    form = FeeLineForm
    list_display = ["appointment", "service", "amount", "payer", "invoice", "credit_of"]
    list_filter = ["service"]
    raw_id_fields = ["appointment"]

    def has_change_permission(self, request, obj=None):
        return False  # corrections are credit lines (counter pages / API)

    def has_delete_permission(self, request, obj=None):
        return False

    def service_create(self, request, obj):
        return fee_line_add(appointment=obj.appointment, service=obj.service, actor=request.user)


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


class FinancingChoiceForm(forms.ModelForm):
    """A new financing choice goes through ``financing_choice_create`` in ``clean()`` (shares
    adding up to 100, population figures present for a population basis, an open choice
    ended the day before, other overlaps refused): its refusal is the form's error."""

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

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.created = financing_choice_create(
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
        except DomainError as exc:
            raise ValidationError(f"{exc.message} [{exc.code}]") from exc
        return data

    def _post_clean(self):
        pass  # the service has validated and written the row


@admin.register(FinancingChoice)
class FinancingChoiceAdmin(ReadOnlyAdmin):
    """Who pays the desk's extra service, per region and effective-dated: added here (through
    the service), never edited or deleted; a change is a new choice from a later date."""

    form = FinancingChoiceForm
    list_display = ["region", "variant", "municipal_basis", "valid_from", "valid_to"]
    list_filter = ["variant", "region"]

    def has_add_permission(self, request):
        return request.user.has_perm("counter.add_financingchoice")

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.actor = request.user
        return form

    def save_model(self, request, obj, form, change):
        # The admin's log entry and message name the row the service created.
        obj.__dict__.update({k: v for k, v in form.created.__dict__.items() if k != "_state"})
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        pass


@admin.register(FundedService)
class FundedServiceAdmin(ReadOnlyAdmin):
    """Extra services the government parties pay: read-only (voiding goes through
    ``counter.services.financing.funded_service_void``)."""

    list_display = ["appointment", "service", "amount", "service_date", "financing", "voided_at"]
    list_filter = ["service", "financing__variant"]
    raw_id_fields = ["appointment"]
