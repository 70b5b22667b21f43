"""Walk-in visits: an appointment without a booked time, its legs without counter or start.

The queue (kiosk) numbers and calls them; the booking engine never sees them as occupying
counter time (no start/end). Client data for a walk-in may be minimal:

- the receptionist enters first/last name, birth date, nationality and municipality of
  residence when the person gives them (``walk_in_client_create``);
- otherwise an anonymous placeholder client is created (``walk_in_client_placeholder``):
  first name "Walk-in", last name "Anonymous", birth date 1900-01-01, nationality "XX"
  (ISO 3166 user-assigned: unknown), stay 0 months, residence = the location's core
  municipality. The counter officer replaces these facts when the person is served.
"""

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.exceptions import ValidationFailed
from scheduling.constants import AppointmentSource, AppointmentStatus, LegState
from scheduling.errors import SchedulingError
from scheduling.models import Appointment, Client, Leg, Location, Municipality, ServiceType
from scheduling.services.codes import insert_with_fresh_codes

PLACEHOLDER_FIRST_NAME = "Walk-in"
PLACEHOLDER_LAST_NAME = "Anonymous"
PLACEHOLDER_BIRTH_DATE = dt.date(1900, 1, 1)
PLACEHOLDER_NATIONALITY = "XX"


@transaction.atomic
def walk_in_client_placeholder(*, location: Location, language: str = "en", actor) -> Client:
    client = Client.objects.create(
        first_name=PLACEHOLDER_FIRST_NAME,
        last_name=PLACEHOLDER_LAST_NAME,
        birth_date=PLACEHOLDER_BIRTH_DATE,
        nationality=PLACEHOLDER_NATIONALITY,
        language=language,
        expected_stay_months=0,
        municipality_of_residence=location.municipality,
    )
    audit_log(actor=actor, action="client.create_walk_in_placeholder", obj=client)
    return client


@transaction.atomic
def walk_in_client_create(
    *,
    first_name: str,
    last_name: str,
    birth_date: dt.date,
    nationality: str,
    municipality_of_residence: Municipality,
    language: str = "en",
    expected_stay_months: int = 0,
    actor,
) -> Client:
    nationality = (nationality or "").strip().upper()
    if not first_name.strip() or not last_name.strip():
        raise ValidationFailed(
            _("Enter the first and last name."), code=SchedulingError.NAME_REQUIRED
        )
    if len(nationality) != 2 or not nationality.isalpha():
        raise ValidationFailed(
            _("Use the two-letter ISO country code, e.g. PL."),
            code=SchedulingError.INVALID_NATIONALITY,
        )
    client = Client.objects.create(
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        birth_date=birth_date,
        nationality=nationality,
        language=language,
        expected_stay_months=expected_stay_months,
        municipality_of_residence=municipality_of_residence,
    )
    audit_log(actor=actor, action="client.create_walk_in", obj=client)
    return client


@transaction.atomic
def appointment_create_walk_in(
    *,
    client: Client,
    location: Location,
    services: Sequence[ServiceType],
    actor,
) -> Appointment:
    """A checked-in walk-in visit with one planned leg per service (in visit order)."""
    unique = {s.pk: s for s in services}
    if not unique:
        raise ValidationFailed(
            _("Choose at least one service."), code=SchedulingError.SERVICES_REQUIRED
        )
    inactive = [s for s in unique.values() if not s.is_active]
    if inactive:
        raise ValidationFailed(
            _("This service is not offered: %(service)s.")
            % {"service": inactive[0].localized_name()},
            code=SchedulingError.SERVICE_INACTIVE,
        )
    ordered = sorted(unique.values(), key=lambda s: (s.sort_order, s.code))
    [appointment] = insert_with_fresh_codes(
        [
            Appointment(
                client=client,
                location=location,
                status=AppointmentStatus.CHECKED_IN,
                source=AppointmentSource.WALK_IN,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
        ],
        field="booking_code",
    )
    Leg.objects.bulk_create(
        Leg(appointment=appointment, position=i + 1, service=s, state=LegState.PLANNED)
        for i, s in enumerate(ordered)
    )
    audit_log(
        actor=actor,
        action="appointment.create_walk_in",
        obj=appointment,
        services=[s.code for s in ordered],
    )
    return appointment
