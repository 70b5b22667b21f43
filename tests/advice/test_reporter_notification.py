"""A reporter who left an e-mail address and asked for it gets an e-mail (in the language of
the report) when the case status changes: the receipt number, the status and the follow-up
link, never the secret or the case's content. Never for an anonymous report, never after
retention removed the reporter's data."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from advice.models import Report
from advice.services.reports import report_assign, report_status_change
from advice.tasks import reporter_status_notify_task
from tests.advice.helpers import a_report
from tests.advice.test_public_form import FORM

pytestmark = pytest.mark.django_db

EMAIL = "olena.reporter@example.org"


def _change(report, status, capture, **kwargs):
    with capture(execute=True):
        report_status_change(report=report, status=status, actor=None, **kwargs)


def test_the_reporter_gets_a_ukrainian_email_on_a_status_change(
    reference, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://bmip.example"
    receipt = a_report(reporter_contact=EMAIL, notify_status=True, language="uk")
    _change(receipt.report, "in_review", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    assert receipt.receipt_number in message.subject
    assert "На розгляді" in message.subject + message.body  # "In review" in Ukrainian
    assert "The status of your report" not in message.body  # translated, not English
    assert "https://bmip.example/report/uk/status/" in message.body
    # Nothing of the case and never the secret.
    for secret_or_content in [receipt.secret, "Ten people", "Voorbeeldstraat", "Example Housing"]:
        assert secret_or_content not in message.subject + message.body


def test_closing_names_the_outcome_and_a_referral_also_notifies(
    reference, django_capture_on_commit_callbacks, inspectorate
):
    receipt = a_report(reporter_contact=EMAIL, notify_status=True, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        report_assign(report=receipt.report, organisation=inspectorate, actor=None)
    assert "Referred" in mail.outbox[-1].body
    _change(receipt.report, "closed", django_capture_on_commit_callbacks, outcome="resolved")
    assert len(mail.outbox) == 2
    assert "Closed (Resolved)" in mail.outbox[-1].body
    assert "Labour" not in mail.outbox[-1].body  # not who handles it


def test_no_email_without_the_choice_or_for_an_anonymous_report(
    reference, django_capture_on_commit_callbacks
):
    with_contact_only = a_report(reporter_contact=EMAIL)  # contact left, e-mail not asked for
    anonymous = a_report(reporter_name="", reporter_contact="")
    _change(with_contact_only.report, "in_review", django_capture_on_commit_callbacks)
    _change(anonymous.report, "in_review", django_capture_on_commit_callbacks)
    assert mail.outbox == []


def test_no_email_once_retention_removed_the_reporter(
    reference, django_capture_on_commit_callbacks, settings
):
    from advice.services.retention import reports_reporter_purge

    settings.REPORT_REPORTER_RETENTION_DAYS = 30
    receipt = a_report(reporter_contact=EMAIL, notify_status=True)
    closed_at = timezone.now() - dt.timedelta(days=31)
    _change(receipt.report, "closed", django_capture_on_commit_callbacks, outcome="resolved")
    Report.objects.filter(pk=receipt.report.pk).update(closed_at=closed_at)
    mail.outbox.clear()
    assert reports_reporter_purge() == 1
    report = Report.objects.get(pk=receipt.report.pk)
    assert report.notify_status is False and report.reporter_contact == ""
    # A status e-mail still queued from before the purge sends nothing.
    assert reporter_status_notify_task(report.pk, "closed", timezone.now().isoformat()) is False
    assert mail.outbox == []


def test_the_task_sends_once_even_when_run_twice(reference, django_capture_on_commit_callbacks):
    receipt = a_report(reporter_contact=EMAIL, notify_status=True)
    when = timezone.now().isoformat()
    assert reporter_status_notify_task(receipt.report.pk, "in_review", when) is True
    assert reporter_status_notify_task(receipt.report.pk, "in_review", when) is False
    assert len(mail.outbox) == 1


def test_nothing_is_sent_when_the_change_rolls_back(reference, django_capture_on_commit_callbacks):
    receipt = a_report(reporter_contact=EMAIL, notify_status=True)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report_status_change(report=receipt.report, status="in_review", actor=None)
    assert len(callbacks) == 1  # queued only on commit
    assert mail.outbox == []


def test_the_form_asks_for_an_email_address_to_notify(client, reference):
    form = {**FORM, "reporter_contact": "+31 6 1234 5678", "notify_status": "on"}
    response = client.post("/report/en/", form)
    assert response.status_code == 400
    assert "give your e-mail address" in response.content.decode()
    assert not Report.objects.exists()
    response = client.post("/report/pl/", {**form, "reporter_contact": EMAIL})
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.notify_status is True and report.language == "pl"
