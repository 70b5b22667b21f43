"""Writes of the report point: submit, assign, change status, add a note, handlers.

Every change is audited (core.audit) without personal data: the audit trail of a case
names the action, the statuses and organisations, never the reporter or the description.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advice.constants import (
    CLIENT_LANGUAGES,
    MAX_ATTACHMENTS,
    TRANSITIONS,
    ReportCategory,
    ReportChannel,
    ReportOutcome,
    ReportStatus,
)
from advice.errors import AdviceError
from advice.models import (
    HandlerMembership,
    HandlingOrganisation,
    Report,
    ReportAttachment,
    ReportNote,
)
from advice.selectors import SECRET_ALPHABET, SECRET_GROUP, SECRET_LENGTH, secret_hash
from advice.services.attachments import CleanFile
from advice.services.notifications import is_email, reporter_status_notify
from core.audit import audit_log
from core.codes import random_code
from core.exceptions import Conflict, ValidationFailed
from core.roles import Role
from core.sequences import sequence_next


@dataclass(frozen=True)
class Receipt:
    report: Report
    receipt_number: str
    secret: str  # shown once to the reporter; only its hash is stored


def _due(organisation: HandlingOrganisation | None, now: dt.datetime) -> dt.date | None:
    if organisation is None:
        return None
    return timezone.localdate(now) + dt.timedelta(days=organisation.response_days)


@transaction.atomic
def report_submit(
    *,
    channel: str,
    category: str,
    description: str,
    municipality=None,
    address: str = "",
    concerned_party: str = "",
    reporter_name: str = "",
    reporter_contact: str = "",
    notify_status: bool = False,
    language: str = "",
    attachments: list[CleanFile] = (),
    location=None,
    actor=None,
    now: dt.datetime | None = None,
) -> Receipt:
    """Register a report; returns the receipt number and the follow-up secret."""
    now = now or timezone.now()
    if category not in ReportCategory.values:
        raise ValidationFailed(_("Choose a category."), code=AdviceError.INVALID_CATEGORY)
    if not description.strip():
        raise ValidationFailed(_("Describe what happened."), code=AdviceError.DESCRIPTION_REQUIRED)
    if municipality is None and not address.strip():
        raise ValidationFailed(
            _("Say where it happened: an address or a municipality."),
            code=AdviceError.LOCATION_REQUIRED,
        )
    if notify_status and not is_email(reporter_contact.strip()):
        raise ValidationFailed(
            _("To get an e-mail when the status changes, give your e-mail address."),
            code=AdviceError.NOTIFY_EMAIL_REQUIRED,
        )
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationFailed(
            _("At most %(n)d files can be attached.") % {"n": MAX_ATTACHMENTS},
            code=AdviceError.TOO_MANY_ATTACHMENTS,
        )
    organisation = HandlingOrganisation.objects.filter(is_default=True, is_active=True).first()
    number = sequence_next(f"advice.report.{now.year}")
    receipt_number = f"M{now.year}-{number:05d}"
    plain = random_code(SECRET_ALPHABET, SECRET_LENGTH)
    secret = "-".join(plain[i : i + SECRET_GROUP] for i in range(0, SECRET_LENGTH, SECRET_GROUP))
    report = Report.objects.create(
        receipt_number=receipt_number,
        secret_hash=secret_hash(plain),
        channel=channel,
        language=language if language in CLIENT_LANGUAGES else "",
        category=category,
        municipality=municipality,
        address=address.strip(),
        concerned_party=concerned_party.strip(),
        description=description.strip(),
        reporter_name=reporter_name.strip(),
        reporter_contact=reporter_contact.strip(),
        notify_status=notify_status,
        location=location,
        recorded_by=actor if channel == ReportChannel.COUNTER else None,
        organisation=organisation,
        due_date=_due(organisation, now),
        created_at=now,
    )
    for index, clean in enumerate(attachments, start=1):
        attachment = ReportAttachment(
            report=report,
            content_type=clean.content_type,
            size=len(clean.content),
            uploaded_at=now,
        )
        attachment.file.save(f"{index}.{clean.extension}", ContentFile(clean.content), save=False)
        attachment.save()
    audit_log(
        actor=actor if channel == ReportChannel.COUNTER else None,
        action="report.submit",
        obj=report,
        channel=channel,
        category=category,
        organisation=organisation.code if organisation else "",
        attachments=len(attachments),
    )
    return Receipt(report, receipt_number, secret)


def _locked(report: Report) -> Report:
    return Report.objects.select_for_update().get(pk=report.pk)


def _first_response(report: Report, now: dt.datetime) -> None:
    if report.first_response_at is None:
        report.first_response_at = now


@transaction.atomic
def report_assign(
    *, report: Report, organisation: HandlingOrganisation, actor, now: dt.datetime | None = None
) -> Report:
    """Hand the case to another handling organisation (it gets a fresh due date)."""
    now = now or timezone.now()
    report = _locked(report)
    if report.status == ReportStatus.CLOSED:
        raise Conflict(_("This case is closed."), code=AdviceError.REPORT_CLOSED)
    previous = report.organisation
    report.organisation = organisation
    report.due_date = _due(organisation, now)
    report.reminded_on = None
    status_before = report.status
    if previous is not None and previous != organisation:
        report.status = ReportStatus.REFERRED
        _first_response(report, now)
    report.save()
    if report.status != status_before:
        reporter_status_notify(report=report, now=now)
    audit_log(
        actor=actor,
        action="report.assign",
        obj=report,
        organisation=organisation.code,
        previous=previous.code if previous else "",
    )
    return report


@transaction.atomic
def report_status_change(
    *,
    report: Report,
    status: str,
    actor,
    outcome: str = "",
    due_date: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Report:
    now = now or timezone.now()
    report = _locked(report)
    if status not in ReportStatus.values:
        raise ValidationFailed(_("Choose a status."), code=AdviceError.INVALID_REPORT_STATUS)
    if report.status == ReportStatus.CLOSED:
        raise Conflict(_("This case is closed."), code=AdviceError.REPORT_CLOSED)
    if status != report.status and status not in TRANSITIONS[ReportStatus(report.status)]:
        raise Conflict(
            _("A case cannot go from %(old)s to %(new)s.")
            % {
                "old": ReportStatus(report.status).label,
                "new": ReportStatus(status).label,
            },
            code=AdviceError.STATUS_TRANSITION,
        )
    if status == ReportStatus.CLOSED:
        if outcome not in ReportOutcome.values:
            raise ValidationFailed(
                _("Choose the outcome to close the case."), code=AdviceError.OUTCOME_REQUIRED
            )
        report.outcome = outcome
        report.closed_at = now
    previous = report.status
    report.status = status
    if due_date is not None:
        report.due_date = due_date
        report.reminded_on = None
    if status != previous:
        _first_response(report, now)
    report.save()
    if status != previous:
        reporter_status_notify(report=report, now=now)
    audit_log(
        actor=actor,
        action="report.status",
        obj=report,
        status=status,
        previous=previous,
        outcome=report.outcome,
        due_date=report.due_date.isoformat() if report.due_date else "",
    )
    return report


@transaction.atomic
def report_note_add(
    *, report: Report, text: str, actor, now: dt.datetime | None = None
) -> ReportNote:
    now = now or timezone.now()
    if not text.strip():
        raise ValidationFailed(_("Write the note first."), code=AdviceError.NOTE_REQUIRED)
    report = _locked(report)
    note = ReportNote.objects.create(report=report, author=actor, text=text.strip(), created_at=now)
    if report.first_response_at is None:
        report.first_response_at = now
        report.save(update_fields=["first_response_at"])
    audit_log(actor=actor, action="report.note", obj=report, note=note.pk)
    return note


@transaction.atomic
def handler_user_upsert(
    *, username: str, password: str, organisation: HandlingOrganisation, email: str = "", actor=None
):
    """A user of role handler, member of one handling organisation."""
    from scheduling.services.staff import staff_user_upsert

    user = staff_user_upsert(
        username=username, password=password, role=Role.HANDLER, email=email, actor=actor
    )
    HandlerMembership.objects.update_or_create(user=user, defaults={"organisation": organisation})
    audit_log(actor=actor, action="handler.membership", obj=user, organisation=organisation.code)
    return get_user_model().objects.get(pk=user.pk)
