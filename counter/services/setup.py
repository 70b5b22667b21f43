"""Idempotent setup of the counter app: default tariffs for extra services.

Called by ``manage.py counter_setup`` and by the demo seeder. The monthly invoice schedule is
declared in ``CounterConfig.periodic_tasks`` and created by ``migrate`` (core.schedules).
"""

from django.db import transaction

from counter.services.fees import tariffs_default_ensure


@transaction.atomic
def counter_setup(*, actor=None) -> dict:
    tariffs = tariffs_default_ensure(actor=actor)
    return {"tariffs_created": len(tariffs)}
