import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from activities.constants import ActivityKind, ActivityPayer, ParticipantKind
from activities.models import Activity, Session
from activities.services.fees import activity_fee_create
from activities.services.registration import ParticipantIn
from tests import factories


def people(n: int, kind: str = ParticipantKind.WORKER, prefix: str = "W") -> list[ParticipantIn]:
    return [
        # Names a random ticket code or token cannot contain by chance (tests assert their absence).
        ParticipantIn(kind=kind, first_name=f"{prefix}-person-{i}", last_name="Test", email="")
        for i in range(n)
    ]


def child(name: str = "Kid", age: int = 8) -> ParticipantIn:
    today = timezone.localdate()
    return ParticipantIn(
        kind=ParticipantKind.CHILD,
        first_name=name,
        last_name="Test",
        birth_date=today.replace(year=today.year - age),
    )


def make_session(*, capacity=10, days_ahead=30, payer=ActivityPayer.EMPLOYER, desk=None, **kw):
    desk = desk or factories.location(counters={"A": ["brp"]})
    activity = Activity.objects.create(
        kind=ActivityKind.INTRODUCTION_DAY,
        title="Introduction day",
        payer=payer,
        free_cancellation_days=7,
    )
    activity_fee_create(
        activity=activity,
        adult_amount=Decimal("25.00"),
        child_amount=Decimal("10.00"),
        valid_from=dt.date(2020, 1, 1),
        actor=None,
    )
    defaults = dict(
        partners_allowed=True,
        children_allowed=True,
        languages="nl,en,pl",
    )
    defaults.update(kw)
    return Session.objects.create(
        activity=activity,
        date=timezone.localdate() + dt.timedelta(days=days_ahead),
        start_time=dt.time(10),
        end_time=dt.time(15),
        location=desk,
        capacity=capacity,
        **defaults,
    )


@pytest.fixture
def session(reference):
    return make_session()
