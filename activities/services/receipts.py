"""Receipts for participants who pay themselves: desk staff issue one when the registration
is paid. Issued once (a second call returns the same receipt), numbered gaplessly per year
with ``core.sequences``, immutable; the PDF is rendered with ``core.pdf.render_pdf``."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.constants import ActivityPayer, RegistrationState
from activities.errors import ActivitiesError
from activities.models import Participant, Receipt, Registration
from core import locking
from core.audit import audit_log
from core.exceptions import ValidationFailed
from core.pdf import render_pdf
from core.sequences import sequence_next


def receipt_participants(registration: Registration, receipt: Receipt | None = None):
    """The paying persons: not cancelled (when the receipt was issued), with a fee."""
    qs = registration.participants.filter(fee__gt=0).order_by("pk")
    if receipt is None:
        return qs.filter(cancelled_at__isnull=True)
    return qs.exclude(cancelled_at__lte=receipt.issued_at)


@transaction.atomic
def receipt_issue(*, registration: Registration, actor) -> Receipt:
    registration = locking.row_lock(Registration.objects.filter(pk=registration.pk))
    existing = Receipt.objects.filter(registration=registration).first()
    if existing is not None:
        return existing
    persons: list[Participant] = list(receipt_participants(registration))
    total = sum((p.fee for p in persons), start=0)
    if (
        registration.payer != ActivityPayer.PARTICIPANT
        or registration.state != RegistrationState.CONFIRMED
        or not total
    ):
        raise ValidationFailed(
            _(
                "A receipt is only issued for a confirmed registration whose participants pay "
                "a fee themselves."
            ),
            code=ActivitiesError.RECEIPT_NOT_POSSIBLE,
        )
    now = timezone.now()
    year = timezone.localdate(now).year
    receipt = Receipt.objects.create(
        registration=registration,
        number=f"{year}-R{sequence_next(f'activity-receipt:{year}'):05d}",
        total=total,
        issued_at=now,
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_log(actor=actor, action="activity_receipt.issue", obj=receipt, total=str(total))
    return receipt


def receipt_pdf(receipt: Receipt) -> bytes:
    registration = receipt.registration
    return render_pdf(
        "activities/receipt_pdf.html",
        {
            "receipt": receipt,
            "registration": registration,
            "session": registration.session,
            "persons": list(receipt_participants(registration, receipt)),
        },
    )
