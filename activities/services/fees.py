"""The fee per person of an activity: effective-dated (core.effective), never edited once
used; a new fee from day X ends the open one at X - 1."""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from activities.constants import ActivityPayer
from activities.errors import ActivitiesError
from activities.models import Activity, ActivityFee, Session
from core.audit import audit_log
from core.effective import effective_on, range_make_room
from core.errors import CoreError
from core.exceptions import ValidationFailed
from core.locking import row_lock
from core.money import assert_money


@transaction.atomic
def activity_fee_create(
    *,
    activity: Activity,
    adult_amount: Decimal,
    child_amount: Decimal,
    valid_from: dt.date,
    actor,
    valid_to: dt.date | None = None,
    supersede: bool = True,
) -> ActivityFee:
    for amount in (adult_amount, child_amount):
        assert_money(amount)
        if amount < 0:
            raise ValidationFailed(_("A fee cannot be negative."), code=CoreError.AMOUNT_NEGATIVE)
    row_lock(Activity.objects.filter(pk=activity.pk))
    for old in range_make_room(
        ActivityFee.objects.filter(activity=activity),
        valid_from=valid_from,
        valid_to=valid_to,
        supersede=supersede,
        overlap_message=lambda other: (
            _("This fee overlaps the fee %(fee)s of the same activity.") % {"fee": other}
        ),
    ):
        audit_log(actor=actor, action="activity_fee.end", obj=old, valid_to=str(old.valid_to))
    fee = ActivityFee.objects.create(
        activity=activity,
        adult_amount=adult_amount,
        child_amount=child_amount,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    audit_log(
        actor=actor,
        action="activity_fee.create",
        obj=fee,
        adult=str(adult_amount),
        child=str(child_amount),
        valid_from=valid_from.isoformat(),
    )
    return fee


def session_fees(*, session: Session, payer: str) -> tuple[Decimal, Decimal]:
    """(per adult, per child) for ``session`` on its date; zero when nobody pays. Refuses to
    guess a missing fee (``no_fee``)."""
    if payer == ActivityPayer.FREE:
        return Decimal("0.00"), Decimal("0.00")
    fee = effective_on(ActivityFee.objects.filter(activity_id=session.activity_id), session.date)
    fee = fee.first()
    if fee is None:
        raise ValidationFailed(
            _("There is no fee for %(activity)s on %(date)s: a coordinator must set one.")
            % {"activity": session.activity, "date": session.date.isoformat()},
            code=ActivitiesError.NO_FEE,
        )
    return fee.adult_amount, fee.child_amount
