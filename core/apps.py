from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The base every app stands on. Imports no other app of the project."""

    name = "core"
    verbose_name = _("Core")
