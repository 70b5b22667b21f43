"""Case handling: assignment and scoping, statuses, notes, audit trail, reminders, and the
protection of the reporter (identity for the handling organisation only; no employer,
receptionist, officer, municipality or other organisation reaches any report)."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from advice.constants import ReportOutcome, ReportStatus
from advice.models import Report
from advice.services.attachments import CleanFile
from advice.services.reminders import reports_due_remind
from advice.services.reports import report_assign, report_status_change
from core.exceptions import Conflict, ValidationFailed
from core.models import AuditLogEntry
from core.roles import Role
from tests import factories as f
from tests.advice.helpers import a_report

pytestmark = pytest.mark.django_db


def report_routes(report) -> list[tuple[str, str]]:
    attachment = report.attachments.first()
    attachment_id = attachment.pk if attachment else 1
    base = f"/advice/reports/{report.pk}/"
    return [
        ("GET", base),
        ("POST", base + "status/"),
        ("POST", base + "assign/"),
        ("POST", base + "note/"),
        ("GET", base + f"attachments/{attachment_id}/"),
    ]


def _status(client, method, url):
    return (client.get(url) if method == "GET" else client.post(url, {})).status_code


def test_a_handler_sees_only_the_cases_of_their_organisation(
    client, handler, other_handler, inspectorate
):
    ours = a_report().report
    pdf = CleanFile(b"%PDF-1.4\n%%EOF\n", "application/pdf", "pdf")
    theirs = a_report(description="Other case", attachments=[pdf]).report
    report_assign(report=theirs, organisation=inspectorate, actor=None)

    client.force_login(handler)
    listing = client.get("/advice/reports/").content.decode()
    assert ours.receipt_number in listing and theirs.receipt_number not in listing
    assert client.get(f"/advice/reports/{ours.pk}/").status_code == 200
    for method, url in report_routes(theirs):
        assert _status(client, method, url) == 404, url

    client.force_login(other_handler)
    listing = client.get("/advice/reports/").content.decode()
    assert theirs.receipt_number in listing and ours.receipt_number not in listing
    attachment_url = report_routes(theirs)[-1][1]
    assert client.get(attachment_url).status_code == 200
    for method, url in report_routes(ours):
        assert _status(client, method, url) == 404, url


def test_employers_and_desk_staff_get_404_on_every_report_route(client, handler, desk):
    report = a_report().report
    employer = f.employer(name="Example Housing B.V.")
    outsiders = [
        f.user(Role.EMPLOYER, employer=employer),
        f.user(Role.RECEPTIONIST, location=desk),
        f.user(Role.OFFICER, location=desk),
        f.user(Role.MUNICIPALITY, municipality=report.municipality),
        f.user(Role.HANDLER),  # a handler without an organisation sees nothing
    ]
    for user in outsiders:
        client.force_login(user)
        assert client.get("/advice/reports/").status_code == 404, user
        for method, url in report_routes(report):
            assert _status(client, method, url) == 404, (user, url)
    assert Report.objects.get().status == ReportStatus.RECEIVED


def test_the_reporter_is_shown_to_the_handling_organisation_only(client, handler, coordinator):
    report = a_report().report
    client.force_login(handler)
    assert "Olena" in client.get(f"/advice/reports/{report.pk}/").content.decode()
    client.force_login(coordinator)
    html = client.get(f"/advice/reports/{report.pk}/").content.decode()
    assert "Olena" not in html and "1234 5678" not in html
    assert "visible to the handling organisation only" in html


def test_status_flow_with_due_dates_notes_and_audit_trail(client, handler):
    report = a_report().report
    client.force_login(handler)
    url = f"/advice/reports/{report.pk}/"
    due = timezone.localdate() + dt.timedelta(days=14)
    response = client.post(url + "status/", {"status": "in_review", "due_date": due.isoformat()})
    assert response.status_code == 302
    client.post(url + "note/", {"text": "Called the reporter back."})
    refused = client.post(url + "status/", {"status": "closed"})
    assert refused.status_code == 400
    assert "Choose the outcome to close the case." in refused.content.decode()
    client.post(url + "status/", {"status": "closed", "outcome": "enforcement"})
    report.refresh_from_db()
    assert report.status == ReportStatus.CLOSED
    assert report.outcome == ReportOutcome.ENFORCEMENT
    assert report.first_response_at is not None and report.closed_at is not None
    assert report.notes.get().text == "Called the reporter back."
    actions = list(
        AuditLogEntry.objects.filter(object_type="advice.report", object_id=str(report.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "report.submit",
        "report.status",
        "report.note",
        "report.status",
    ]
    # No personal data in the trail.
    for entry in AuditLogEntry.objects.filter(object_type="advice.report"):
        assert "Olena" not in str(entry.data)
    html = client.get(url).content.decode()
    assert "Note added" in html  # the trail is on the case page, in words
    dutch = client.get(url, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    trail = dutch.split("<h2>Audittrail</h2>", 1)[1]
    for words in ["Melding ontvangen", "Status gewijzigd", "In beoordeling", "Notitie toegevoegd"]:
        assert words in trail, words
    for code in ["report.submit", "report.status", "report.note", "in_review", "system"]:
        assert code not in trail, code


def test_the_note_field_has_a_label_and_a_blank_note_says_why_it_is_refused(client, handler):
    report = a_report().report
    client.force_login(handler)
    url = f"/advice/reports/{report.pk}/"
    assert '<label for="id_text">' in client.get(url).content.decode()
    refused = client.post(url + "note/", {"text": "   "})
    assert refused.status_code == 400
    assert "This field is required." in refused.content.decode()
    assert not report.notes.exists()
    bad_date = client.post(url + "status/", {"status": "in_review", "due_date": "31-31-2026"})
    assert bad_date.status_code == 400
    assert "Enter a valid date." in bad_date.content.decode()


def test_a_closed_case_cannot_be_reopened_or_reassigned(handler, inspectorate):
    report = a_report().report
    report_status_change(report=report, status="closed", outcome="withdrawn", actor=handler)
    with pytest.raises(Conflict):
        report_status_change(report=report, status="in_review", actor=handler)
    with pytest.raises(Conflict):
        report_assign(report=report, organisation=inspectorate, actor=handler)
    with pytest.raises(ValidationFailed):
        report_status_change(report=a_report().report, status="closed", actor=handler)


def test_referring_to_another_organisation_moves_the_case_out_of_sight(
    client, handler, other_handler, inspectorate
):
    report = a_report().report
    client.force_login(handler)
    response = client.post(
        f"/advice/reports/{report.pk}/assign/", {"organisation": inspectorate.pk}
    )
    assert response.status_code == 302 and response.url == "/advice/reports/"
    report.refresh_from_db()
    assert report.status == ReportStatus.REFERRED
    assert client.get(f"/advice/reports/{report.pk}/").status_code == 404
    client.force_login(other_handler)
    assert "Olena" in client.get(f"/advice/reports/{report.pk}/").content.decode()


def test_overdue_cases_are_reminded_once_a_day(reference, team):
    team.email = "team@example.org"
    team.save()
    late = a_report().report
    Report.objects.filter(pk=late.pk).update(due_date=timezone.localdate() - dt.timedelta(days=1))
    a_report()  # not due yet
    assert reports_due_remind() == 1
    assert len(mail.outbox) == 1
    assert late.receipt_number in mail.outbox[0].body
    assert "Olena" not in mail.outbox[0].body
    assert reports_due_remind() == 0
    assert len(mail.outbox) == 1


def test_the_reminder_task_is_scheduled():
    from core.schedules import periodic_tasks

    assert "advice.tasks.reports_due_remind_task" in {t.func for t in periodic_tasks()}
