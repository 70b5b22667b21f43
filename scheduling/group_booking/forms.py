"""Forms of the employer portal: where to book, and the workers typed in. A typed worker is
validated by the roster's row form (``RosterRowForm``), like a file row or an API worker; the
group-booking services decide whether the workers fit."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scheduling.constants import LocationKind
from scheduling.group_booking.roster import RosterRowForm
from scheduling.models import BusVisit, Location, Region


class GroupBookingTargetForm(forms.Form):
    TARGETS = [
        ("location", _("A desk")),
        ("region", _("Any desk in a region")),
        ("bus", _("The bus at our site")),
    ]

    target = forms.ChoiceField(label=_("Where"), choices=TARGETS, initial="location")
    location = forms.ModelChoiceField(
        label=_("Desk"),
        queryset=Location.objects.filter(kind=LocationKind.DESK, is_active=True),
        required=False,
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False
    )
    bus_visit = forms.ModelChoiceField(
        label=_("Bus visit"), queryset=BusVisit.objects.none(), required=False
    )
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    po_reference = forms.CharField(
        label=_("Purchase-order reference"), max_length=100, required=False
    )
    roster = forms.FileField(
        label=_("Roster file (.csv or .xlsx)"),
        required=False,
        help_text=_("For many workers. Leave empty to type a few workers below."),
    )

    def __init__(self, *args, employer=None, **kwargs):
        super().__init__(*args, **kwargs)
        if employer is not None:
            self.fields["bus_visit"].queryset = BusVisit.objects.filter(
                employer=employer, date__gte=timezone.localdate()
            ).select_related("location")

    def clean(self):
        data = super().clean()
        wanted = {"location": "location", "region": "region", "bus": "bus_visit"}[
            data.get("target", "location")
        ]
        if not data.get(wanted):
            self.add_error(wanted, _("Choose one."))
        return data

    def target_kwargs(self) -> dict:
        data = self.cleaned_data
        kind = data["target"]
        return {
            "location": data["location"] if kind == "location" else None,
            "region": data["region"] if kind == "region" else None,
            "bus_visit": data["bus_visit"] if kind == "bus" else None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "po_reference": data.get("po_reference") or "",
        }


class WorkerForm(RosterRowForm):
    """One worker typed into the portal: the roster's row form without the columns the
    portal leaves at their defaults (phone and the yes/no facts)."""

    phone = None
    interpreter_needed = None
    temporary_protection = None
    works_under_dutch_social_security = None


WorkerFormSet = forms.formset_factory(WorkerForm, extra=5, max_num=20)
