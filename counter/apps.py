from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.schedules import MONTHLY, PeriodicTask, next_month_first_at
from counter.errors import CounterError


class CounterConfig(AppConfig):
    name = "counter"
    verbose_name = _("Counter back-office")

    error_codes = CounterError

    # Statistics tables (core.stats collects them): selectors (period, scope) -> StatTable.
    statistics_tables = (
        "counter.selectors.stats.registrations_by_month_region",
        "counter.selectors.stats.registrations_by_residence",
        "counter.selectors.stats.registrations_by_nationality_group",
        "counter.selectors.stats.brp_rni_share",
        "counter.selectors.stats.services_delivered",
        "counter.selectors.stats.extra_services_fees",
        "counter.selectors.stats.documents_missing_by_month",
        "counter.selectors.stats.documents_missing_by_location_service",
    )

    # Permissions this app's models give each role (collected by core.roles).
    role_permissions = {
        "officer": [
            "counter.view_servicerecord",
            "counter.add_servicerecord",
            "counter.view_feeline",
            "counter.add_feeline",
            "counter.view_tariff",
            "counter.add_visitclosure",
        ],
        "employer": ["counter.view_invoice"],
    }

    periodic_tasks = (
        # Last month's employer invoices: the 1st of each month, 03:00 Amsterdam time.
        PeriodicTask(
            "counter: monthly employer invoices",
            "counter.tasks.invoice_monthly_run",
            MONTHLY,
            first_run=next_month_first_at(3),
        ),
    )
