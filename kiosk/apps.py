from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from kiosk.errors import KioskError


class KioskConfig(AppConfig):
    name = "kiosk"
    verbose_name = _("Kiosk and queue")

    error_codes = KioskError

    # Statistics tables (core.stats collects them): selectors (period, scope) -> StatTable.
    statistics_tables = ("kiosk.stats.waiting_and_service_times",)

    # Permissions this app's models give each role (collected by core.roles).
    role_permissions = {
        "receptionist": [
            "kiosk.view_queueticket",
            "kiosk.add_queueticket",
            "kiosk.view_walkinpolicy",
        ],
        "officer": [
            "kiosk.view_queueticket",
            "kiosk.change_queueticket",
            "kiosk.view_callevent",
            "kiosk.add_callevent",
        ],
    }
