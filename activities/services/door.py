"""Door check-in with the kiosk device. The kiosk app may not import activities: it hands a
signed token of a kind it does not know to the hooks in ``settings.TICKET_CHECK_IN_HOOKS``
(``kiosk.services.tickets.other_ticket_check_in``); this hook takes the activity tickets
(kind ``A2``) and checks the person in at the session of that desk today, with the same rules
as the staff's door page (``door_check_in``: idempotent, refuses forged, cancelled and
waitlisted tickets). The answer names the activity, never the person."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from activities.errors import ActivitiesError
from activities.models import Participant
from activities.services.registration import door_check_in
from activities.tickets import TOKEN_PREFIX, token_read
from core.exceptions import ValidationFailed
from scheduling.tokens import TOKEN_ERROR_MESSAGES


def kiosk_ticket_check_in(*, location, text: str, now: dt.datetime | None = None) -> str | None:
    """None when ``text`` is not an activity ticket; else the message for the screen (a
    refusal raises a DomainError)."""
    text = (text or "").strip().upper()
    if not text.startswith(f"{TOKEN_PREFIX}."):
        return None
    read = token_read(text)
    if isinstance(read, str):
        raise ValidationFailed(str(TOKEN_ERROR_MESSAGES[read]), code=ActivitiesError.TICKET_INVALID)
    now = now or timezone.now()
    participant = (
        Participant.objects.select_related("session__activity")
        .filter(code=read[0], session__location=location, session__date=timezone.localdate(now))
        .first()
    )
    if participant is None:
        raise ValidationFailed(
            _("This ticket is not for an activity here today."),
            code=ActivitiesError.TICKET_INVALID,
        )
    session = participant.session
    result = door_check_in(session=session, text=text, actor=None, now=now)
    if result.already:
        return _("You are already checked in for %(activity)s.") % {
            "activity": session.activity.title
        }
    return _("Welcome! You are checked in for %(activity)s.") % {"activity": session.activity.title}
