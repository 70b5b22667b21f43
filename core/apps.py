from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.schedules import MINUTES, PeriodicTask


class CoreConfig(AppConfig):
    """The base every app stands on. Imports no other app of the project."""

    name = "core"
    verbose_name = _("Core")

    periodic_tasks = (
        # Idempotency records are kept 24 hours (their stored responses may name a person).
        PeriodicTask(
            "core: idempotency records expiry",
            "core.idempotency.idempotency_records_purge_task",
            MINUTES,
            minutes=60,
        ),
        # After-commit tasks lost with a killed worker or a restarted Redis (core.outbox).
        PeriodicTask(
            "core: outbox sweep",
            "core.outbox.outbox_sweep_task",
            MINUTES,
            minutes=1,
        ),
    )

    def ready(self):
        from django.db.models.signals import post_migrate

        post_migrate.connect(_schedules_after_migrate, sender=self)
        post_migrate.connect(_cache_table_after_migrate, sender=self)


def _schedules_after_migrate(*, using="default", **kwargs):
    """Every app's periodic tasks exist after ``migrate`` (and after a test flush)."""
    from core.schedules import schedules_ensure

    schedules_ensure()


def _cache_table_after_migrate(*, using="default", verbosity=1, **kwargs):
    """The database cache's table exists after ``migrate`` when CACHES uses it (the shared
    cache of the throttles without Redis). Idempotent; does nothing for other backends."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=max(verbosity - 1, 0))
