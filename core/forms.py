"""Forms of core's own pages (the API tokens page)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.tokens import NAME_MAX_LENGTH


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_("What uses the token, e.g. “HR system”."),
    )
    expires_on = forms.DateField(
        label=_("Valid until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The token works up to and including this day. Empty: until you revoke it."),
    )
