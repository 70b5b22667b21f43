"""Forms of the settlement pages (input only; the services hold the rules)."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from settlement.selectors.cost_split import DEFAULT_SHARES


class PaymentForm(forms.Form):
    amount = forms.DecimalField(label=_("Amount (EUR)"), max_digits=12, decimal_places=2)
    received_on = forms.DateField(
        label=_("Received on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reference = forms.CharField(label=_("Payment reference"), max_length=100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()


class CostSplitForm(forms.Form):
    year = forms.IntegerField(label=_("Population year"), min_value=1900, max_value=2100)
    state_percent = forms.DecimalField(
        label=_("State share (%)"), max_digits=5, decimal_places=2, initial=DEFAULT_SHARES["state"]
    )
    province_percent = forms.DecimalField(
        label=_("Province share (%)"),
        max_digits=5,
        decimal_places=2,
        initial=DEFAULT_SHARES["province"],
    )
    municipalities_percent = forms.DecimalField(
        label=_("Municipalities' share (%)"),
        max_digits=5,
        decimal_places=2,
        initial=DEFAULT_SHARES["municipalities"],
    )

    def __init__(self, *args, desks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.desks = list(desks)
        for desk in self.desks:
            self.fields[f"desk_{desk.pk}"] = forms.DecimalField(
                label=_("Yearly cost of %(desk)s (EUR)") % {"desk": desk.name},
                max_digits=12,
                decimal_places=2,
                min_value=Decimal("0"),
                initial=Decimal("250000.00"),
            )

    def desk_costs(self):
        return [(d.name, self.cleaned_data[f"desk_{d.pk}"]) for d in self.desks]

    def shares(self):
        return {
            "state": self.cleaned_data["state_percent"],
            "province": self.cleaned_data["province_percent"],
            "municipalities": self.cleaned_data["municipalities_percent"],
        }
