"""The report-point API (read-only): handlers read their own organisation's cases (with the
reporter), coordinators all cases (without the reporter); another organisation's case and
every other user get 404."""

import pytest

from advice.services.reports import report_assign
from core.roles import Role
from tests import factories as f
from tests.advice.helpers import a_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(reference, inspectorate):
    own = a_report().report  # to the intervention team (the default)
    other = a_report(reporter_name="", reporter_contact="").report
    report_assign(report=other, organisation=inspectorate, actor=None)
    return own, other


def test_a_handler_lists_and_reads_only_their_organisations_cases(client, handler, cases):
    own, other = cases
    client.force_login(handler)
    listing = client.get("/api/v1/reports/")
    assert listing.status_code == 200
    numbers = [r["receipt_number"] for r in listing.json()["results"]]
    assert numbers == [own.receipt_number]
    detail = client.get(f"/api/v1/reports/{own.pk}/").json()
    assert detail["organisation"] == "intervention-team"
    assert detail["reporter"] == {"name": "Olena", "contact": "+31 6 1234 5678"}
    assert detail["municipality"] == "GM0855"
    assert "secret" not in str(detail).lower()
    assert client.get(f"/api/v1/reports/{other.pk}/").status_code == 404


def test_the_other_organisation_sees_its_own_case_not_ours(client, other_handler, cases):
    own, other = cases
    client.force_login(other_handler)
    numbers = [r["receipt_number"] for r in client.get("/api/v1/reports/").json()["results"]]
    assert numbers == [other.receipt_number]
    assert client.get(f"/api/v1/reports/{own.pk}/").status_code == 404


def test_coordinators_see_all_cases_without_the_reporter(client, coordinator, cases):
    own, _other = cases
    client.force_login(coordinator)
    assert client.get("/api/v1/reports/").json()["count"] == 2
    assert client.get(f"/api/v1/reports/{own.pk}/").json()["reporter"] is None
    closed = client.get("/api/v1/reports/?status=closed").json()
    assert closed["count"] == 0


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.MUNICIPALITY, Role.OFFICER])
def test_everyone_else_gets_404(client, cases, desk, role):
    own, _other = cases
    tie = {Role.EMPLOYER: {"employer": f.employer()}, Role.MUNICIPALITY: {}}.get(
        role, {"location": desk}
    )
    if role == Role.MUNICIPALITY:
        tie = {"municipality": own.municipality}
    client.force_login(f.user(role, **tie))
    assert client.get("/api/v1/reports/").status_code == 404
    assert client.get(f"/api/v1/reports/{own.pk}/").status_code == 404


def test_anonymous_is_refused(client, cases):
    assert client.get("/api/v1/reports/").status_code in (401, 403)
