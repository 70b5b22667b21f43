import datetime as dt

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from core.models import AuditLogEntry
from core.roles import Role
from scheduling.constants import ClosureSource
from scheduling.models import Closure
from scheduling.selectors.availability import availability_search
from scheduling.services.holidays import (
    closures_confirm,
    holiday_closures_propose,
    public_holidays,
)
from tests import factories

pytestmark = pytest.mark.django_db


def test_public_holidays_skip_good_friday_and_liberation_day():
    days = dict(public_holidays(2025))
    assert dt.date(2025, 4, 18) not in days  # Good Friday
    assert dt.date(2025, 5, 5) not in days  # Liberation Day (lustrum year)
    assert dt.date(2025, 4, 21) in days  # Easter Monday
    assert dt.date(2025, 4, 26) in days  # King's Day (moved to Saturday in 2025)
    assert dt.date(2025, 12, 25) in days
    assert len(days) == 9


def test_propose_is_idempotent_and_closes_only_when_confirmed(reference):
    desk = factories.location()
    created = holiday_closures_propose(year=2031, actor=None)
    assert len(created) == len(public_holidays(2031))
    assert holiday_closures_propose(year=2031, actor=None) == []
    closure = Closure.objects.get(location=desk, date_from=dt.date(2031, 12, 25))
    assert closure.source == ClosureSource.HOLIDAY and not closure.confirmed
    boxing = dt.date(2031, 12, 26)  # a Friday
    kwargs = dict(
        services=[factories.service("brp")],
        locations=[desk],
        date_from=boxing,
        date_to=boxing,
        now=factories.aware(boxing, 0),
    )
    assert availability_search(**kwargs)
    count = closures_confirm(
        closures=Closure.objects.filter(location=desk, date_from=boxing), actor=None
    )
    assert count == 1
    assert availability_search(**kwargs) == []
    assert AuditLogEntry.objects.filter(action="closure.confirm").count() == 1


def test_admin_actions(reference):
    desk = factories.location()
    coordinator = factories.user(Role.COORDINATOR)
    request = RequestFactory().post("/")
    request.user = coordinator
    request._messages = type("M", (), {"add": lambda *a, **k: None})()
    from scheduling.models import Location

    location_admin = site._registry[Location]
    location_admin.propose_holidays(request, Location.objects.filter(pk=desk.pk))
    assert Closure.objects.filter(location=desk, confirmed=False).exists()
    closure_admin = site._registry[Closure]
    closure_admin.confirm(request, Closure.objects.filter(location=desk))
    assert not Closure.objects.filter(location=desk, confirmed=False).exists()
