import datetime as dt
import time

from django import forms
from django.utils.translation import gettext_lazy as _

from counter.constants import InsuranceResult, NotDeliveredReason, Outcome, ReferralTo
from scheduling.constants import ServiceKind
from scheduling.models import ServiceType

# A date field shows the browser's date picker and also accepts the Dutch d-m-Y the tables show.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]


class DatePickerInput(forms.DateInput):
    """``<input type="date">``; a typed d-m-Y comes back as the yyyy-mm-dd the picker shows."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"type": "date", **(attrs or {})}, format="%Y-%m-%d")

    def format_value(self, value):
        if isinstance(value, str):
            for fmt in DATE_INPUT_FORMATS:
                try:
                    return dt.date(*time.strptime(value.strip(), fmt)[:3]).isoformat()
                except ValueError:
                    continue
        return super().format_value(value)


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label, input_formats=DATE_INPUT_FORMATS, widget=DatePickerInput(), **kwargs
    )


class RecordForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    reason_code = forms.ChoiceField(
        label=_("Not delivered because"),
        required=False,
        choices=[("", "—"), *NotDeliveredReason.choices],
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)
    registration_date = date_field(_("Registration date"), required=False)
    bsn = forms.CharField(
        label=_("BSN (when issued)"),
        required=False,
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    bsn_issued = forms.BooleanField(label=_("BSN issued"), required=False)
    lawful_residence_proof = forms.CharField(
        label=_("Proof of lawful residence (IND document)"), required=False, max_length=100
    )
    insurance_result = forms.ChoiceField(
        label=_("Intake result"), required=False, choices=[("", "—"), *InsuranceResult.choices]
    )
    insurance_obligation_start = date_field(_("Start of work or registration"), required=False)
    a1_exemption = forms.BooleanField(label=_("A1 certificate"), required=False)
    referral_to = forms.ChoiceField(
        label=_("Referred to"), required=False, choices=[("", "—"), *ReferralTo.choices]
    )

    # A refusal's code -> the field it is about (errors are shown at the field).
    FIELD_BY_CODE = {
        "invalid_outcome": "outcome",
        "reason_required": "reason",
        "invalid_reason_code": "reason_code",
        "registration_in_future": "registration_date",
        "invalid_bsn": "bsn",
        "bsn_not_completed": "bsn",
        "bsn_not_applicable": "bsn",
        "lawful_residence_required": "lawful_residence_proof",
        "insurance_result_required": "insurance_result",
        "invalid_insurance_result": "insurance_result",
        "a1_conflict": "a1_exemption",
        "referral_required": "referral_to",
        "invalid_referral": "referral_to",
    }

    def service_kwargs(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if v not in (None, "")}
        data["a1_exemption"] = self.cleaned_data["a1_exemption"] or None
        data["bsn_issued"] = self.cleaned_data["bsn_issued"] or None
        return data

    def add_refusal(self, exc) -> None:
        """Put a service's refusal at its field (the message itself when the field is shown)."""
        field = self.FIELD_BY_CODE.get(str(exc.code))
        if field in self.fields:
            self.add_error(field, str(exc.message))
        else:
            self.add_error(None, str(exc.message))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class FeeAddForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Extra service"), queryset=ServiceType.objects.filter(kind=ServiceKind.EXTRA)
    )


class TariffForm(forms.Form):
    service = forms.ModelChoiceField(
        label=_("Extra service"), queryset=ServiceType.objects.filter(kind=ServiceKind.EXTRA)
    )
    amount = forms.DecimalField(label=_("Amount (EUR)"), max_digits=12, decimal_places=2)
    valid_from = date_field(_("Valid from"))
    valid_to = date_field(_("Valid until"), required=False)
    supersede = forms.BooleanField(
        label=_("End the current open tariff the day before"), required=False
    )


class InvoiceRunForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12)
