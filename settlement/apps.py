from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SettlementConfig(AppConfig):
    name = "settlement"
    verbose_name = _("Settlements")

    # Permissions this app's models give each role (collected by core.roles).
    role_permissions = {
        "municipality": [
            "settlement.view_settlementperiod",
            "settlement.view_settlementline",
            "settlement.view_statement",
            "settlement.view_settlementpayment",
        ],
    }
