"""Forms of the staff booking page (validation of shape only; rules live in services)."""

import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scheduling.constants import LocationKind
from scheduling.models import Location, Municipality, Region, ServiceType


class ClientFactsForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    birth_date = forms.DateField(
        label=_("Birth date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    nationality = forms.RegexField(
        label=_("Nationality (ISO code)"),
        regex=r"^[A-Za-z]{2}$",
        max_length=2,
        help_text=_("Two letters, e.g. PL, RO, UA."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES, initial="en")
    interpreter_needed = forms.BooleanField(label=_("Interpreter needed"), required=False)
    expected_stay_months = forms.IntegerField(
        label=_("Expected stay (months)"), min_value=0, max_value=600
    )
    temporary_protection = forms.BooleanField(
        label=_("Temporary protection (Ukraine)"), required=False
    )
    works_under_dutch_social_security = forms.BooleanField(
        label=_("Works under Dutch social security"), required=False, initial=True
    )
    self_employed = forms.BooleanField(label=_("Self-employed"), required=False)
    municipality_of_residence = forms.ModelChoiceField(
        label=_("Municipality of residence"), queryset=Municipality.objects.order_by("name")
    )
    location = forms.ModelChoiceField(
        label=_("Location"), queryset=Location.objects.filter(is_active=True)
    )
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, locations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if locations is not None:
            self.fields["location"].queryset = locations
        self.fields["date_from"].initial = timezone.localdate() + dt.timedelta(days=1)

    def clean_nationality(self):
        return self.cleaned_data["nationality"].upper()


class PackageForm(forms.Form):
    services = forms.ModelMultipleChoiceField(
        label=_("Services"),
        queryset=ServiceType.objects.filter(is_active=True).order_by("sort_order"),
        widget=forms.CheckboxSelectMultiple,
    )
    start = forms.CharField(widget=forms.HiddenInput, required=False)


class WhereFieldsMixin(forms.Form):
    """Where a group wants its visits, as the employer portal asks it (group booking,
    waitlist): "Where" (``target``: a desk, or any desk of a region; a subclass may offer
    more, e.g. the bus) and the date range. The target decides which place fields count; the
    others are ignored whatever the browser sent (the page hides them with
    static/portal/portal.js), and the chosen place is required.

    A subclass sets ``TARGETS`` (the choices), ``WHERE_FIELDS`` (target -> the fields that
    count for it), ``TARGET_FIELD`` (target -> the place field it requires) and
    ``DATES_REQUIRED``."""

    TARGETS = [("location", _("A desk")), ("region", _("Any desk in a region"))]
    WHERE_FIELDS = {
        "location": ("location", "date_from", "date_to"),
        "region": ("region", "date_from", "date_to"),
    }
    TARGET_FIELD = {"location": "location", "region": "region"}
    DATES_REQUIRED = True

    target = forms.ChoiceField(label=_("Where"), choices=TARGETS, initial="location")
    location = forms.ModelChoiceField(
        label=_("Desk"),
        queryset=Location.objects.filter(kind=LocationKind.DESK, is_active=True),
        required=False,
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), required=False
    )
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = self.TARGETS
        for name in ("date_from", "date_to"):
            self.fields[name].required = self.DATES_REQUIRED

    def clean(self):
        data = super().clean()
        target = data.get("target", "location")
        relevant = self.WHERE_FIELDS.get(target, ())
        for name in dict.fromkeys(n for names in self.WHERE_FIELDS.values() for n in names):
            if name not in relevant:
                self._errors.pop(name, None)
                data[name] = None
        wanted = self.TARGET_FIELD.get(target)
        if wanted and not data.get(wanted) and wanted not in self._errors:
            self.add_error(wanted, _("Choose one."))
        return data
