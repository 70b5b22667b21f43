from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.schedules import DAILY, PeriodicTask, tomorrow_at
from settlement.errors import SettlementError


class SettlementConfig(AppConfig):
    name = "settlement"
    verbose_name = _("Settlements")

    error_codes = SettlementError

    # Statistics tables (core.stats collects them): selectors (period, scope) -> StatTable.
    statistics_tables = ("settlement.selectors.stats.settlement_totals",)

    # Permissions this app's models give each role (collected by core.roles).
    role_permissions = {
        "municipality": [
            "settlement.view_settlementperiod",
            "settlement.view_settlementline",
            "settlement.view_statement",
            "settlement.view_settlementpayment",
        ],
    }

    periodic_tasks = (
        # Statements: checked daily, issued on the first working day of the next period.
        PeriodicTask(
            "settlement-statements",
            "settlement.tasks.settlement_run_due",
            DAILY,
            first_run=tomorrow_at(6, 30),
        ),
    )
