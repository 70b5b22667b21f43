"""The activities API: an employer lists its own activity registrations (persons, fees,
attendance); another employer's is 404; a municipality 403; a bad date 400."""

import pytest

from activities.services.registration import registration_create
from core.roles import Role
from tests import factories
from tests.activities.conftest import make_session, people

pytestmark = pytest.mark.django_db


def test_employer_lists_its_own_registrations(client, reference):
    session = make_session()
    mine, theirs = factories.employer(), factories.employer()
    own = registration_create(
        session=session, participants=people(2), actor=None, employer=mine, po_reference="PO-7"
    )
    other = registration_create(
        session=session, participants=people(1), actor=None, employer=theirs
    )
    client.force_login(factories.user(Role.EMPLOYER, employer=mine))
    listing = client.get("/api/v1/activities/registrations/")
    assert listing.status_code == 200
    rows = listing.json()["results"]
    assert [r["reference"] for r in rows] == [own.reference]
    row = rows[0]
    assert row["po_reference"] == "PO-7" and row["state"] == "confirmed"
    assert row["session"]["activity"] == "Introduction day"
    assert [p["fee"] for p in row["participants"]] == ["25.00", "25.00"]
    assert client.get(f"/api/v1/activities/registrations/{own.reference}/").status_code == 200
    assert client.get(f"/api/v1/activities/registrations/{other.reference}/").status_code == 404
    assert client.get("/api/v1/activities/registrations/?state=cancelled").json()["results"] == []
    bad = client.get("/api/v1/activities/registrations/?date_from=31-12-2026")
    assert bad.status_code == 400 and bad.json()["code"] == "date_invalid"


def test_municipality_may_not_use_the_activities_api(client, reference):
    client.force_login(factories.user(Role.MUNICIPALITY, municipality=factories.municipality()))
    assert client.get("/api/v1/activities/registrations/").status_code == 403
