"""The participant list as the employer (or desk staff) types it: one person per line,
``kind; first name; last name; birth date; e-mail`` (kind: worker, partner or child; birth
date and e-mail may be empty). Each row is checked by the roster fields of the group booking
(names without control characters, dates, Django's e-mail validator)."""

import csv
import io

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.constants import ParticipantKind
from activities.errors import ActivitiesError
from activities.services.registration import ParticipantIn
from core.exceptions import ValidationFailed
from scheduling.errors import SchedulingError
from scheduling.group_booking.roster import RosterDateField, RosterEmailField, RosterNameField

MAX_ROWS = 500
_KINDS = {
    "worker": ParticipantKind.WORKER,
    "werknemer": ParticipantKind.WORKER,
    "partner": ParticipantKind.PARTNER,
    "child": ParticipantKind.CHILD,
    "kind": ParticipantKind.CHILD,
}


class ParticipantRowForm(forms.Form):
    kind = forms.CharField()
    first_name = RosterNameField()
    last_name = RosterNameField()
    birth_date = RosterDateField(required=False)
    email = RosterEmailField(required=False)

    def clean_kind(self) -> str:
        kind = _KINDS.get(self.cleaned_data["kind"].strip().casefold())
        if kind is None:
            raise forms.ValidationError(
                _("Use worker, partner or child."), code=ActivitiesError.PARTICIPANT_KIND_INVALID
            )
        return kind


def participants_parse(text: str) -> list[ParticipantIn]:
    """Every row checked; ValidationFailed with all errors (row, field, message) or the list."""
    lines = [line for line in (text or "").splitlines() if line.strip()]
    if len(lines) > MAX_ROWS:
        raise ValidationFailed(
            _("At most %(max)d persons at once.") % {"max": MAX_ROWS},
            code=SchedulingError.ROSTER_INVALID,
        )
    people, errors = [], []
    fields = ["kind", "first_name", "last_name", "birth_date", "email"]
    for number, line in enumerate(lines, start=1):
        delimiter = ";" if ";" in line else ","
        cells = next(csv.reader(io.StringIO(line), delimiter=delimiter))
        form = ParticipantRowForm(dict(zip(fields, [c.strip() for c in cells], strict=False)))
        if not form.is_valid():
            for field, messages in form.errors.items():
                errors += [
                    {"row": number, "field": field, "code": "invalid", "message": str(m)}
                    for m in messages
                ]
            continue
        people.append(ParticipantIn(**form.cleaned_data))
    if errors:
        raise ValidationFailed(
            _("The list has %(count)d error(s); nobody was registered.") % {"count": len(errors)},
            code=SchedulingError.ROSTER_INVALID,
            details={"rows": errors},
        )
    return people


class RegisterForm(forms.Form):
    participants = forms.CharField(
        label=gettext_lazy(
            "Persons (one per line: kind; first name; last name; birth date; e-mail)"
        ),
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    po_reference = forms.CharField(
        label=gettext_lazy("Purchase-order reference"), max_length=100, required=False
    )


class DoorForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Ticket (scan the QR code or type the code)"),
        max_length=200,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )
