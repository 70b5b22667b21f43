"""Creating a client (the migrant) for a booking: minimal data, no BSN."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.exceptions import ValidationFailed
from scheduling.errors import SchedulingError
from scheduling.models import Client, Employer, Municipality


def client_create(
    *,
    actor,
    first_name: str,
    last_name: str,
    birth_date: dt.date,
    nationality: str,
    expected_stay_months: int,
    municipality_of_residence: Municipality,
    language: str = "en",
    interpreter_needed: bool = False,
    temporary_protection: bool = False,
    works_under_dutch_social_security: bool = True,
    self_employed: bool = False,
    employer: Employer | None = None,
    email: str = "",
    phone: str = "",
) -> Client:
    nationality = nationality.strip().upper()
    if len(nationality) != 2 or not nationality.isalpha():
        raise ValidationFailed(
            _("Use the two-letter ISO country code for the nationality, e.g. PL."),
            code=SchedulingError.INVALID_NATIONALITY,
        )
    if birth_date >= timezone.localdate():
        raise ValidationFailed(
            _("The birth date must lie in the past."), code=SchedulingError.INVALID_BIRTH_DATE
        )
    client = Client.objects.create(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        birth_date=birth_date,
        nationality=nationality,
        language=language,
        interpreter_needed=interpreter_needed,
        expected_stay_months=expected_stay_months,
        temporary_protection=temporary_protection,
        works_under_dutch_social_security=works_under_dutch_social_security,
        self_employed=self_employed,
        municipality_of_residence=municipality_of_residence,
        employer=employer,
        email=email,
        phone=phone,
    )
    audit_log(actor=actor, action="client.create", obj=client, nationality=nationality)
    return client
