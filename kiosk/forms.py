"""Forms of the reception console (validation only; the services hold the rules)."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from scheduling.models import Municipality, ServiceType


class WalkInForm(forms.Form):
    services = forms.ModelMultipleChoiceField(
        label=_("Services"),
        queryset=ServiceType.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(label=_("Language of the client"), choices=settings.LANGUAGES)
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    birth_date = forms.DateField(
        label=_("Birth date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    nationality = forms.CharField(
        label=_("Nationality (ISO code, e.g. PL)"), max_length=2, required=False
    )
    residence = forms.ModelChoiceField(
        label=_("Municipality of residence"), queryset=Municipality.objects.all(), required=False
    )

    # Passed on to walk_in_issue, which refuses a paid walk-in without it (price_not_confirmed).
    price_confirmed = forms.BooleanField(
        label=_("The client was told the price of the paid services and agrees to pay it."),
        required=False,
    )

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = (
            services if services is not None else ServiceType.objects.none()
        )

    def clean(self):
        data = super().clean()
        personal = ["first_name", "last_name", "birth_date", "nationality", "residence"]
        given = [f for f in personal if data.get(f)]
        if given and len(given) != len(personal):
            raise forms.ValidationError(
                _(
                    "Enter all of name, birth date, nationality and residence, or none of them "
                    "(anonymous walk-in)."
                )
            )
        birth = data.get("birth_date")
        if birth and birth > timezone.localdate():
            self.add_error("birth_date", _("The birth date is in the future."))
        return data

    @property
    def is_anonymous(self) -> bool:
        return not self.cleaned_data.get("first_name")
