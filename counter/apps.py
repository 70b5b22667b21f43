from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounterConfig(AppConfig):
    name = "counter"
    verbose_name = _("Counter back-office")

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
