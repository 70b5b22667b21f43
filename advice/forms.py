"""Forms of the advice app (input shape only; the rules are in the services)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from advice.constants import CLIENT_LANGUAGES, ReportCategory, ReportOutcome, ReportStatus
from advice.models import AdviceTopic, HandlingOrganisation, PartnerOrganisation


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class AdviceEntryForm(forms.Form):
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=AdviceTopic.objects.filter(is_active=True), empty_label=None
    )
    language = forms.ChoiceField(label=_("Language used"))
    referral = forms.ModelChoiceField(
        label=_("Referred to"),
        queryset=PartnerOrganisation.objects.filter(is_active=True),
        required=False,
        empty_label=_("No referral"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from django.utils.translation import get_language_info

        self.fields["language"].choices = [
            (code, get_language_info(code)["name_local"]) for code in CLIENT_LANGUAGES
        ] + [("other", _("Other"))]


class ReportForm(forms.Form):
    category = forms.ChoiceField(
        label=_("What is it about?"), choices=ReportCategory.choices, widget=forms.RadioSelect
    )
    municipality = forms.ModelChoiceField(
        label=_("Municipality"), queryset=None, required=False, empty_label="—"
    )
    address = forms.CharField(label=_("Address or place"), max_length=200, required=False)
    concerned_party = forms.CharField(
        label=_("Employer or landlord concerned (optional)"), max_length=200, required=False
    )
    description = forms.CharField(
        label=_("What happened?"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    attachments = MultipleFileField(
        label=_("Photos or documents (optional: JPEG, PNG or PDF)"), required=False
    )
    reporter_name = forms.CharField(label=_("Your name (optional)"), max_length=150, required=False)
    reporter_contact = forms.CharField(
        label=_("Your phone number or e-mail (optional)"), max_length=200, required=False
    )
    notify_status = forms.BooleanField(
        label=_("E-mail me when the status of my report changes (to the e-mail address above)"),
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from scheduling.models import Municipality

        self.fields["municipality"].queryset = Municipality.objects.order_by("name")


class KioskReportForm(ReportForm):
    """The report form at a kiosk: no attachments (a kiosk has no files to send)."""

    attachments = None


class FollowUpForm(forms.Form):
    receipt_number = forms.CharField(label=_("Receipt number"), max_length=20)
    secret = forms.CharField(
        label=_("Secret code"), max_length=64, widget=forms.PasswordInput(render_value=False)
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ReportStatus.choices)
    outcome = forms.ChoiceField(
        label=_("Outcome (to close)"), choices=[("", "—"), *ReportOutcome.choices], required=False
    )
    due_date = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class AssignForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Handling organisation"),
        queryset=HandlingOrganisation.objects.filter(is_active=True),
        empty_label=None,
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
