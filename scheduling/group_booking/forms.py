"""Forms of the employer portal. They collect input; the roster validator and the
group-booking services decide what is valid."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scheduling.constants import LocationKind
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


class WorkerForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    birth_date = forms.CharField(
        label=_("Birth date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    nationality = forms.CharField(
        label=_("Nationality (ISO, e.g. PL)"), max_length=2, required=False
    )
    expected_stay_months = forms.CharField(label=_("Stay (months)"), max_length=3, required=False)
    municipality_of_residence = forms.CharField(
        label=_("Municipality of residence"), max_length=100, required=False
    )
    language = forms.CharField(label=_("Language"), max_length=7, required=False)
    email = forms.CharField(label=_("E-mail"), max_length=254, required=False)

    def is_blank(self) -> bool:
        return not any((self.cleaned_data or {}).get(k) for k in self.fields)


WorkerFormSet = forms.formset_factory(WorkerForm, extra=5, max_num=20)
