"""The advice log at the counter: a few clicks, linked to a visit or anonymous."""

import pytest

from advice.models import AdviceEntry, AdviceTopic, PartnerOrganisation
from core.roles import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_topic_list_is_seeded():
    assert list(AdviceTopic.objects.values_list("code", flat=True)) == [
        "housing",
        "work-contracts",
        "health-care",
        "taxes-allowances",
        "language-courses",
        "children-school",
        "other",
    ]


def test_an_officer_logs_advice_from_the_visit_page(client, officer, desk, next_monday):
    visit = f.appointment(loc=desk, start=f.aware(next_monday, 10))
    partner = PartnerOrganisation.objects.create(name="FairWork", phone="020 760 0809")
    client.force_login(officer)
    page = client.get(f"/counter/visits/{visit.pk}/").content.decode()
    assert f"/advice/visit/{visit.pk}/" in page
    topic = AdviceTopic.objects.get(code="housing")
    response = client.post(
        f"/advice/visit/{visit.pk}/",
        {"topic": topic.pk, "language": "pl", "referral": partner.pk},
    )
    assert response.status_code == 302
    entry = AdviceEntry.objects.get()
    assert (entry.appointment, entry.location, entry.language, entry.referral) == (
        visit,
        desk,
        "pl",
        partner,
    )
    assert "FairWork" in client.get(response.url).content.decode()


def test_anonymous_advice_without_a_visit(client, officer, desk):
    client.force_login(officer)
    topic = AdviceTopic.objects.get(code="taxes-allowances")
    assert client.post("/advice/", {"topic": topic.pk, "language": "uk"}).status_code == 302
    entry = AdviceEntry.objects.get()
    assert entry.appointment is None and entry.location == desk


def test_the_recent_list_names_the_language_not_its_code(client, officer):
    client.force_login(officer)
    topic = AdviceTopic.objects.get(code="other")
    for language in ("uk", "other"):
        assert client.post("/advice/", {"topic": topic.pk, "language": language}).status_code == 302
    rows = client.get("/advice/", HTTP_ACCEPT_LANGUAGE="nl").content.decode().split("<tbody>")[1]
    assert "<td>Українська</td>" in rows and "<td>Overig</td>" in rows
    assert "<td>uk</td>" not in rows


def test_a_bad_language_is_refused_and_nothing_is_logged(client, officer):
    client.force_login(officer)
    topic = AdviceTopic.objects.get(code="other")
    assert client.post("/advice/", {"topic": topic.pk, "language": "xx"}).status_code == 400
    assert not AdviceEntry.objects.exists()


def test_a_visit_of_another_desk_is_404_and_other_roles_cannot_log(client, officer, next_monday):
    other = f.location(slug="tilburg", cbs_code="GM0855")
    visit = f.appointment(loc=other, start=f.aware(next_monday, 10))
    client.force_login(officer)
    assert client.get(f"/advice/visit/{visit.pk}/").status_code == 404
    for user in [
        f.user(Role.EMPLOYER, employer=f.employer()),
        f.user(Role.RECEPTIONIST, location=other),
    ]:
        client.force_login(user)
        assert client.get("/advice/").status_code == 404
        assert client.get("/advice/reports/new/").status_code == 404


def test_an_officer_takes_a_report_at_the_counter(client, officer, desk):
    from advice.models import Report
    from tests.advice.test_public_form import FORM

    client.force_login(officer)
    response = client.post("/advice/reports/new/", {**FORM, "reporter_name": "Ivan"})
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.channel == "counter" and report.location == desk
    assert report.receipt_number in response.content.decode()
    # ... but the officer cannot read the case afterwards.
    assert client.get(f"/advice/reports/{report.pk}/").status_code == 404


def test_coordinators_configure_the_lists_in_the_admin(client, reference):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw-test-123")
    client.force_login(admin)
    for model in [
        "advicetopic",
        "partnerorganisation",
        "handlingorganisation",
        "handlermembership",
    ]:
        assert client.get(f"/admin/advice/{model}/").status_code == 200, model
        assert client.get(f"/admin/advice/{model}/add/").status_code == 200, model
    # Reports are not in the admin: it would show the reporter to coordinators.
    assert client.get("/admin/advice/report/").status_code == 404
