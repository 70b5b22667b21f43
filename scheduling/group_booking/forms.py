"""Forms of the employer portal: where to book, and the workers typed in. A typed worker is
validated by the roster's row form (``RosterRowForm``), like a file row or an API worker; the
group-booking services decide whether the workers fit."""

import functools

from django import forms
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from scheduling.forms import WhereFieldsMixin
from scheduling.group_booking.roster import MunicipalityIndex, RosterRowForm
from scheduling.models import BusVisit, Municipality


class GroupBookingTargetForm(WhereFieldsMixin):
    """Where to book (a desk, any desk of a region, or the bus at the employer's site; dates
    for a desk or a region), the purchase-order reference and the roster file."""

    TARGETS = [*WhereFieldsMixin.TARGETS, ("bus", _("The bus at our site"))]
    WHERE_FIELDS = {**WhereFieldsMixin.WHERE_FIELDS, "bus": ("bus_visit",)}
    TARGET_FIELD = {**WhereFieldsMixin.TARGET_FIELD, "bus": "bus_visit"}
    DATES_REQUIRED = False
    field_order = ["target", "location", "region", "bus_visit", "date_from", "date_to"]

    bus_visit = forms.ModelChoiceField(
        label=_("Bus visit"), queryset=BusVisit.objects.none(), required=False
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
    """One worker typed into the portal: the roster's row form with dropdowns for language and
    municipality (the same values a file row may hold) and the package-relevant facts as
    boxes to tick. The phone number is left out (files and the API take it)."""

    phone = None

    FLAGS = (
        "interpreter_needed",
        "temporary_protection",
        "works_under_dutch_social_security",
        "self_employed",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        municipality = self.fields["municipality_of_residence"]
        municipality.widget = forms.Select(
            choices=[("", _("Choose a municipality"))] + municipality.index.choices()
        )
        language = self.fields["language"]
        language.initial = "en"
        language.widget = forms.Select(choices=language_choices())
        for name in self.FLAGS:
            field = self.fields[name]
            field.initial = field.default
            field.widget = forms.CheckboxInput()

    def has_changed(self) -> bool:
        """A row counts as typed when one of its text fields holds something; a language or a
        ticked box alone on an empty row does not make a worker (the row is skipped)."""
        return any(
            str(self[name].value() or "").strip()
            for name in self.fields
            if name not in self.FLAGS and name != "language"
        )


def language_choices() -> list[tuple[str, str]]:
    """The site's languages by their (translated) name, as the staff booking form offers them."""
    named = [(code, f"{name} ({code})") for code, name in settings.LANGUAGES]
    return sorted(named, key=lambda choice: str(choice[1]).casefold())


def worker_add_fields_html() -> str:
    """The fields of the group page's empty "Add a worker" form as HTML. Its dropdowns hold
    every municipality and language, which made most of the page's time when rendered on
    every view: rendered once per language and list of municipalities (one small query tells
    whether that list changed), then reused."""
    municipalities = tuple(Municipality.objects.order_by("pk").values_list("cbs_code", "name"))
    languages = tuple(code for code, _name in settings.LANGUAGES)
    return _worker_add_fields_html(get_language(), languages, municipalities)


@functools.lru_cache(maxsize=16)
def _worker_add_fields_html(language, languages, municipalities) -> str:
    return render_to_string(
        "scheduling/portal/_worker_add_fields.html", {"add_form": WorkerForm(prefix="add")}
    )


def worker_formset_class():
    """Rows are added in the browser (or with "Add rows" without JavaScript) up to
    ``GROUP_BOOKING_MAX_SIZE``; one more is read so that too many gives a clear error."""
    size = settings.GROUP_BOOKING_MAX_SIZE
    return forms.formset_factory(WorkerForm, extra=3, max_num=size, absolute_max=size + 1)


def worker_formset(data=None, *, municipalities=None):
    return worker_formset_class()(
        data, prefix="w", form_kwargs={"municipalities": municipalities or MunicipalityIndex()}
    )


def worker_formset_grow(data, *, add: int = 1):
    """The posted rows plus ``add`` empty ones (the "Add a worker" button without
    JavaScript), at most ``GROUP_BOOKING_MAX_SIZE``; what was typed stays."""
    data = data.copy()
    total = data.get("w-TOTAL_FORMS", "")
    current = int(total) if total.isdigit() else 0
    data["w-TOTAL_FORMS"] = str(min(current + add, settings.GROUP_BOOKING_MAX_SIZE))
    return worker_formset(data)


class WorkerCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: he left the company, or he is ill. Kept in the audit log."),
    )
