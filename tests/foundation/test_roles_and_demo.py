import pytest
from django.core.management import call_command
from django.urls import reverse

from core.exceptions import ValidationFailed
from core.roles import Role, user_employer, user_location, user_municipality, user_roles
from scheduling.models import Appointment, Client, Counter, Employer, Location, StaffProfile
from tests import factories

pytestmark = pytest.mark.django_db


def test_role_groups_exist_with_permissions(reference):
    from django.contrib.auth.models import Group

    names = set(Group.objects.values_list("name", flat=True))
    assert {r.value for r in Role} <= names
    receptionist = Group.objects.get(name=Role.RECEPTIONIST)
    assert receptionist.permissions.filter(codename="view_appointment").exists()
    coordinator = Group.objects.get(name=Role.COORDINATOR)
    assert coordinator.permissions.count() > receptionist.permissions.count()


def test_each_role_needs_its_tie(reference):
    employer = factories.employer()
    breda = factories.municipality("GM0758")
    desk = factories.location()
    with pytest.raises(ValidationFailed, match="employer"):
        factories.user(Role.EMPLOYER)
    with pytest.raises(ValidationFailed, match="municipality"):
        factories.user(Role.MUNICIPALITY, employer=employer)
    with pytest.raises(ValidationFailed, match="location"):
        factories.user(Role.OFFICER)
    with pytest.raises(ValidationFailed):
        factories.user(Role.COORDINATOR, location=desk)

    emp_user = factories.user(Role.EMPLOYER, employer=employer)
    muni_user = factories.user(Role.MUNICIPALITY, municipality=breda)
    officer = factories.user(Role.OFFICER, location=desk)
    assert user_employer(emp_user) == employer and user_location(emp_user) is None
    assert user_municipality(muni_user) == breda and user_employer(muni_user) is None
    assert user_location(officer) == desk
    assert user_roles(officer) == {"officer"}


def test_profile_cannot_hold_two_ties(reference):
    from django.db import IntegrityError, transaction

    user = factories.plain_user()
    with pytest.raises(IntegrityError), transaction.atomic():
        StaffProfile.objects.create(
            user=user, employer=factories.employer(), location=factories.location()
        )


def test_seed_demo_is_idempotent_and_prints_logins(capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    for username in ["coordinator", "receptionist", "officer", "employer", "municipality"]:
        assert username in out
    counts = [m.objects.count() for m in (Location, Counter, Employer, Client, Appointment)]
    assert Location.objects.filter(kind="desk").count() == 5
    assert Location.objects.filter(kind="bus").count() == 1
    assert Appointment.objects.count() > 50
    statuses = set(Appointment.objects.values_list("status", flat=True))
    assert {"completed", "booked", "cancelled"} <= statuses
    call_command("seed_demo")
    assert [m.objects.count() for m in (Location, Counter, Employer, Client, Appointment)] == counts


def test_home_page_shows_the_five_desks(client):
    call_command("seed_demo")
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    for city in ["Breda", "Tilburg", "Hertogenbosch", "Eindhoven", "Helmond"]:
        assert city in html
    assert "BMIP Bus" in html


def test_home_page_translated(client):
    call_command("seed_demo")
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 200
    assert 'lang="nl"' in response.content.decode()


@pytest.mark.parametrize("day", ["2026-11-30", "2026-12-02", "2026-12-03", "2026-12-04"])
@pytest.mark.django_db
def test_demo_employer_has_todays_group_at_the_receptionists_desk_on_any_weekday(day):
    """The demo (and the URL-map test that stands on it) showed the demo employer a group in
    progress at the receptionist's desk only on Tuesdays: employers took turns by the day's
    position in the week. Monday to Friday alike now."""
    import datetime as dt
    from zoneinfo import ZoneInfo

    import time_machine

    from scheduling.constants import AppointmentStatus
    from scheduling.models import GroupBooking

    at = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10), ZoneInfo("Europe/Amsterdam"))
    with time_machine.travel(at, tick=False):
        call_command("seed_demo", stdout=__import__("io").StringIO())
        employer = user_employer(StaffProfile.objects.get(user__username="employer").user)
        home = user_location(StaffProfile.objects.get(user__username="receptionist").user)
        first = (
            GroupBooking.objects.filter(employer=employer, appointments__location=home)
            .distinct()
            .order_by("pk")
            .first()
        )
        assert first.date_from == at.date()
        assert first.appointments.filter(status=AppointmentStatus.CHECKED_IN).exists()
