"""scheduling.selectors.scope.rows_for_user: the one row-scoping rule behind appointments,
group bookings and clients (coordinator: all; employer: their own; staff: their location,
each row once; anyone else: nothing)."""

import datetime as dt

import pytest

from core.roles import Role
from scheduling.models import Client
from scheduling.selectors.scope import appointments_for_user, clients_for_user, rows_for_user
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(reference):
    desk, other_desk = factories.location(), factories.location()
    employer = factories.employer()
    start = factories.aware(dt.date.today() + dt.timedelta(days=7), 10)
    mine = factories.client(employer=employer)
    twice = factories.appointment(loc=desk, start=start, cl=mine)
    factories.appointment(loc=desk, start=start + dt.timedelta(hours=2), cl=mine)
    elsewhere = factories.appointment(loc=other_desk, start=start, codes=["brp"])
    return {"desk": desk, "employer": employer, "mine": mine, "twice": twice, "else": elsewhere}


def _clients(user):
    return rows_for_user(
        user,
        Client.objects.all(),
        employer_fields=("employer",),
        location_field="appointments__location",
        distinct=True,
    )


def test_each_role_sees_its_rows(world):
    coordinator = factories.user(Role.COORDINATOR)
    employer_user = factories.user(Role.EMPLOYER, employer=world["employer"])
    receptionist = factories.user(Role.RECEPTIONIST, location=world["desk"])
    assert set(_clients(coordinator)) == set(Client.objects.all())
    assert list(_clients(employer_user)) == [world["mine"]]
    # Two visits at the desk: the client once (DISTINCT through the to-many relation).
    assert list(_clients(receptionist)) == [world["mine"]]
    assert list(_clients(factories.plain_user())) == []
    assert list(clients_for_user(receptionist)) == [world["mine"]]
    assert world["else"] not in appointments_for_user(receptionist)
    assert world["twice"] in appointments_for_user(employer_user)
