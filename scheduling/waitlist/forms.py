"""Forms of the waitlist pages: joining the line, and the workers named when accepting."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scheduling.forms import WhereFieldsMixin
from scheduling.models import ServiceType


class WaitlistJoinForm(WhereFieldsMixin):
    """Where and when the group waits (a desk or any desk of a region, dates required, as in
    a group booking), how many workers and the package each needs."""

    group_size = forms.IntegerField(label=_("Number of workers"), min_value=1)
    services = forms.ModelMultipleChoiceField(
        label=_("Services each worker needs"),
        queryset=ServiceType.objects.filter(is_active=True).order_by("sort_order", "code"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The package of the group's visits, as in a group booking."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group_size"].max_value = settings.GROUP_BOOKING_MAX_SIZE
        self.fields["group_size"].widget.attrs["max"] = settings.GROUP_BOOKING_MAX_SIZE
        self.fields["date_from"].widget.attrs["min"] = timezone.localdate().isoformat()
        self.fields["services"].label_from_instance = lambda s: s.localized_name()

    def join_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "location": data.get("location"),
            "region": data.get("region"),
            "date_from": data["date_from"],
            "date_to": data["date_to"],
            "group_size": data["group_size"],
            "services": list(data["services"]),
        }


class OfferAcceptForm(forms.Form):
    po_reference = forms.CharField(
        label=_("Purchase-order reference"), max_length=100, required=False
    )
    roster = forms.FileField(
        label=_("Roster file (.csv or .xlsx)"),
        required=False,
        help_text=_("For many workers. Leave empty to type the workers below."),
    )
