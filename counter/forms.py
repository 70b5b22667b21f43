from django import forms
from django.utils.translation import gettext_lazy as _

from counter.constants import InsuranceResult, Outcome, ReferralTo
from scheduling.constants import ServiceKind
from scheduling.models import ServiceType


class RecordForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)
    registration_date = forms.DateField(label=_("Registration date"), required=False)
    bsn = forms.CharField(label=_("BSN (when issued)"), required=False, max_length=12)
    bsn_issued = forms.BooleanField(label=_("BSN issued"), required=False)
    lawful_residence_proof = forms.CharField(
        label=_("Proof of lawful residence (IND document)"), required=False, max_length=100
    )
    insurance_result = forms.ChoiceField(
        label=_("Intake result"), required=False, choices=[("", "—"), *InsuranceResult.choices]
    )
    insurance_obligation_start = forms.DateField(
        label=_("Start of work or registration"), required=False
    )
    a1_exemption = forms.BooleanField(label=_("A1 certificate"), required=False)
    referral_to = forms.ChoiceField(
        label=_("Referred to"), required=False, choices=[("", "—"), *ReferralTo.choices]
    )


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
    valid_from = forms.DateField(label=_("Valid from"))
    valid_to = forms.DateField(label=_("Valid until"), required=False)
    supersede = forms.BooleanField(
        label=_("End the current open tariff the day before"), required=False
    )


class InvoiceRunForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    month = forms.IntegerField(label=_("Month"), min_value=1, max_value=12)
