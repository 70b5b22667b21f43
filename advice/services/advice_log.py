"""Writes of the advice log: one question answered at the counter."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from advice.errors import AdviceError
from advice.models import LANGUAGE_CHOICES, AdviceEntry, AdviceTopic, PartnerOrganisation
from core.audit import audit_log
from core.exceptions import ValidationFailed


@transaction.atomic
def advice_entry_record(
    *,
    topic: AdviceTopic,
    language: str,
    actor,
    referral: PartnerOrganisation | None = None,
    appointment=None,
    location=None,
    now: dt.datetime | None = None,
) -> AdviceEntry:
    if language not in dict(LANGUAGE_CHOICES):
        raise ValidationFailed(_("Choose the language used."), code=AdviceError.INVALID_LANGUAGE)
    if appointment is not None:
        location = appointment.location
    entry = AdviceEntry.objects.create(
        topic=topic,
        language=language,
        referral=referral,
        appointment=appointment,
        location=location,
        recorded_by=actor,
        recorded_at=now or timezone.now(),
    )
    audit_log(
        actor=actor,
        action="advice.record",
        obj=entry,
        topic=topic.code,
        referral=referral.pk if referral else None,
    )
    return entry
