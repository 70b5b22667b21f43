"""django-q2 tasks of the settlement app: call one service, safe to re-run."""

import datetime as dt

from settlement.services import runs


def settlement_run_due(today: str | dt.date | None = None) -> dict:
    """The daily run (Schedule ``settlement-statements``); ``today``: an ISO date to run as."""
    if isinstance(today, str):
        today = dt.date.fromisoformat(today)
    return runs.settlement_run_due(today=today)
