from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from activities.errors import ActivitiesError
from core.schedules import MINUTES, PeriodicTask


class ActivitiesConfig(AppConfig):
    name = "activities"
    verbose_name = _("Activities")
    error_codes = ActivitiesError

    periodic_tasks = (
        PeriodicTask(
            "bmip: activity session reminders",
            "activities.tasks.session_reminders_task",
            MINUTES,
            minutes=15,
        ),
    )

    role_permissions = {
        "receptionist": ["activities.view_session", "activities.view_registration"],
        "officer": ["activities.view_session", "activities.view_registration"],
        "employer": [
            "activities.view_session",
            "activities.view_registration",
            "activities.add_registration",
        ],
    }
