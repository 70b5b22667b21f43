import datetime as dt

import pytest
from django.utils import timezone

from core.roles import Role
from counter.services.setup import counter_setup
from scheduling.constants import LegState
from scheduling.services.legs import appointment_check_in, leg_start
from tests import factories as f


@pytest.fixture
def desk(reference):
    """Breda desk (core municipality Breda) with the default counters; default tariffs."""
    loc = f.location(cbs_code="GM0758")
    counter_setup()
    return loc


@pytest.fixture
def officer(desk):
    return f.user(Role.OFFICER, location=desk)


@pytest.fixture
def coordinator(reference):
    return f.user(Role.COORDINATOR)


@pytest.fixture
def today_start(office_hours):
    """A visit that started an hour ago, today (the clock stands at 10:00 today)."""
    now = timezone.localtime()
    return now.replace(minute=0, second=0, microsecond=0) - dt.timedelta(hours=1)


def start_leg(leg, actor):
    """Check the visit in and call the leg to the first counter able to serve it."""
    appointment_check_in(appointment=leg.appointment, actor=actor)
    counter = leg.appointment.location.counters.filter(services=leg.service).first()
    return leg_start(leg=leg, counter=counter, actor=actor)


def finish_all(appointment, actor):
    """Serve every leg: a leg whose service needs a record is finished by recording it (the
    only way, see counter.services.records.leg_finish_guard); the others by finishing."""
    from counter.services.records import record_required, service_record_create
    from scheduling.services.legs import leg_finish

    for leg in appointment.legs.select_related("service").order_by("position"):
        if leg.state == LegState.PLANNED:
            start_leg(leg, actor)
        leg.refresh_from_db()
        if leg.state != LegState.IN_PROGRESS:
            continue
        if record_required(leg):
            service_record_create(
                leg=leg,
                outcome="completed",
                actor=actor,
                lawful_residence_proof="IND residence card",
                insurance_result="signed_up",
            )
        else:
            leg_finish(leg=leg, actor=actor)
