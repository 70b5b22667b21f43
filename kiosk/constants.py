"""Choices of the queue (labels are translated)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TicketState(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    CALLED = "called", _("Called")
    SERVING = "serving", _("Being served")
    DONE = "done", _("Done")
    NO_SHOW = "no_show", _("No-show")
    # Checked in at the kiosk too late: the number waits for the reception's decision (admit
    # behind the people on time, serve as a walk-in, or no-show). Never called while late.
    LATE = "late", _("Late: reception decides")


OPEN_TICKET_STATES = (TicketState.WAITING, TicketState.CALLED, TicketState.SERVING)
AT_COUNTER_STATES = (TicketState.CALLED, TicketState.SERVING)


class TicketPriority(models.IntegerChoices):
    """Lower is served first (among tickets of the same class, the longest wait goes first)."""

    BOOKED = 10, _("Booked visit")
    WALK_IN = 20, _("Walk-in")


class CallAction(models.TextChoices):
    CALL = "call", _("Call")
    RECALL = "recall", _("Recall")
    START = "start", _("Start serving")
    FINISH = "finish", _("Finish leg")
    NO_SHOW = "no_show", _("No-show")
    UNDO = "undo", _("Undo")


# Actions an officer can take back with "undo" (recall changes nothing, so it is skipped).
UNDOABLE_ACTIONS = (CallAction.CALL, CallAction.START, CallAction.FINISH, CallAction.NO_SHOW)

# Defaults when a location has no KioskSettings row yet.
DEFAULT_EARLY_MINUTES = 60
DEFAULT_LATE_MINUTES = 15
DEFAULT_PRIORITY_WINDOW_MINUTES = 10
