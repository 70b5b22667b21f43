"""Admin for the counter app: every write goes through the services, so the admin enforces
the same rules (no fee on a government service, tariffs never edited once used, fee lines
credited not edited, issued invoices and service records read-only)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect

from core.admin import ReadOnlyAdmin
from core.exceptions import DomainError
from counter.models import (
    FeeLine,
    Invoice,
    InvoiceIssuer,
    InvoiceLine,
    ServiceRecord,
    Tariff,
    VisitClosure,
)
from counter.models.fees import government_fee_error
from counter.services.fees import fee_line_add, tariff_create


class TariffForm(forms.ModelForm):
    class Meta:
        model = Tariff
        fields = ["service", "amount", "valid_from", "valid_to"]

    def clean_service(self):
        service = self.cleaned_data["service"]
        error = government_fee_error(service)
        if error:
            raise error
        return service


@admin.register(Tariff)
class TariffAdmin(admin.ModelAdmin):
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

    def save_model(self, request, obj, form, change):
        try:
            created = tariff_create(
                service=obj.service,
                amount=obj.amount,
                valid_from=obj.valid_from,
                valid_to=obj.valid_to,
                actor=request.user,
            )
        except DomainError as exc:
            raise ValidationError(str(exc.message)) from exc
        obj.pk = created.pk

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


class FeeLineForm(forms.ModelForm):
    class Meta:
        model = FeeLine
        fields = ["appointment", "service"]

    def clean_service(self):
        service = self.cleaned_data["service"]
        error = government_fee_error(service)
        if error:
            raise error
        return service


@admin.register(FeeLine)
class FeeLineAdmin(admin.ModelAdmin):
    form = FeeLineForm
    list_display = ["appointment", "service", "amount", "payer", "invoice", "credit_of"]
    list_filter = ["service"]
    raw_id_fields = ["appointment"]

    def has_change_permission(self, request, obj=None):
        return False  # corrections are credit lines (counter pages / API)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        try:
            line = fee_line_add(
                appointment=obj.appointment, service=obj.service, actor=request.user
            )
        except DomainError as exc:
            raise ValidationError(str(exc.message)) from exc
        obj.pk = line.pk

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except ValidationError as exc:
            self.message_user(request, "; ".join(exc.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


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
