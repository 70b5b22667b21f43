"""Demo data: a welcome day at the demo desk in three weeks, with a registration of the demo
employer (manage.py seed_demo, via DEMO_SEEDERS)."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from activities.constants import ActivityKind, ActivityPayer, ParticipantKind
from activities.models import Activity, Session
from activities.services.fees import activity_fee_create
from activities.services.registration import ParticipantIn, registration_create
from scheduling.models import Employer, Location


@transaction.atomic
def activities_demo_seed():
    location = Location.objects.filter(slug="breda").first()
    employer = Employer.objects.filter(kvk_number="23456781").first()
    if location is None or employer is None or Activity.objects.exists():
        return None
    activity = Activity.objects.create(
        kind=ActivityKind.WELCOME_DAY,
        title="Welkomstdag West-Brabant",
        description="Opening, employers and service providers, lunch.",
        payer=ActivityPayer.EMPLOYER,
    )
    activity_fee_create(
        activity=activity,
        adult_amount=Decimal("35.00"),
        child_amount=Decimal("0.00"),
        valid_from=dt.date(timezone.localdate().year - 1, 1, 1),
        actor=None,
    )
    session = Session.objects.create(
        activity=activity,
        date=timezone.localdate() + dt.timedelta(days=21),
        start_time=dt.time(10),
        end_time=dt.time(15),
        location=location,
        languages="nl,en,pl,ro",
        capacity=300,
        partners_allowed=True,
        children_allowed=True,
    )
    registration_create(
        session=session,
        participants=[
            ParticipantIn(ParticipantKind.WORKER, "Piotr", "Kowalski"),
            ParticipantIn(ParticipantKind.PARTNER, "Anna", "Kowalska"),
        ],
        actor=None,
        employer=employer,
    )
    return None
