from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "scheduling"
    verbose_name = _("Scheduling")
    # Permissions this app's models give each role (collected by core.roles).
    role_permissions = {
        "receptionist": [
            "scheduling.view_location",
            "scheduling.view_counter",
            "scheduling.view_appointment",
            "scheduling.view_client",
            "scheduling.add_client",
            "scheduling.add_appointment",
        ],
        "officer": [
            "scheduling.view_location",
            "scheduling.view_counter",
            "scheduling.view_appointment",
            "scheduling.view_client",
            "scheduling.change_leg",
        ],
        "employer": [
            "scheduling.view_groupbooking",
            "scheduling.add_groupbooking",
            "scheduling.change_groupbooking",
            "scheduling.view_ticketbatch",
            "scheduling.add_ticketbatch",
            "scheduling.view_appointment",
            "scheduling.view_client",
            "scheduling.add_client",
        ],
        "municipality": ["scheduling.view_municipality"],
    }
