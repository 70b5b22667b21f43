from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from advice.errors import AdviceError
from core.schedules import DAILY, PeriodicTask, tomorrow_at


class AdviceConfig(AppConfig):
    name = "advice"
    verbose_name = _("Advice and report point")

    error_codes = AdviceError

    # Statistics tables (core.stats registry; published with small-count suppression).
    statistics_tables = (
        "advice.stats.reports_by_month_category",
        "advice.stats.reports_by_municipality",
        "advice.stats.report_handling_times",
        "advice.stats.advice_by_month_topic",
        "advice.stats.advice_by_month_language",
    )

    # Permissions this app's models give each role (collected by core.roles).
    role_permissions = {
        "officer": [
            "advice.view_advicetopic",
            "advice.view_partnerorganisation",
            "advice.add_adviceentry",
            "advice.add_report",
        ],
        "handler": [
            "advice.view_report",
            "advice.change_report",
            "advice.add_reportnote",
            "advice.view_reportnote",
            "advice.view_handlingorganisation",
        ],
    }

    periodic_tasks = (
        # Cases past their due date: one reminder a day per organisation, 07:30 Amsterdam.
        PeriodicTask(
            "advice: report due reminders",
            "advice.tasks.reports_due_remind_task",
            DAILY,
            first_run=tomorrow_at(7, 30),
        ),
    )
