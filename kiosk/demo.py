"""Demo data for the queue: kiosk settings, walk-in policies, and numbers for today's
checked-in demo visits. Idempotent (natural keys; a visit that has a number keeps it)."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from core.dates import local_day_q
from kiosk.models import KioskSettings, WalkInPolicy
from kiosk.services.tickets import kiosk_check_in_appointment
from scheduling.constants import AppointmentStatus, LocationKind
from scheduling.models import Appointment, Location, ServiceType

WALK_IN_CAPS = {"brp": 10, "zvw": 10, "welcome": 20, "formhelp": 20}


@dataclass
class KioskDemoResult:
    logins: list = field(default_factory=list)
    created_appointments: None = None
    tickets_issued: int = 0


@transaction.atomic
def kiosk_demo_seed() -> KioskDemoResult:
    result = KioskDemoResult()
    services = {s.code: s for s in ServiceType.objects.filter(code__in=WALK_IN_CAPS)}
    desks = list(Location.objects.filter(kind=LocationKind.DESK, is_active=True))
    for index, desk in enumerate(desks):
        # The first desk lets people take a walk-in number at the kiosk themselves.
        KioskSettings.objects.get_or_create(location=desk, defaults={"kiosk_walk_ins": index == 0})
        for code, cap in WALK_IN_CAPS.items():
            if code in services:
                WalkInPolicy.objects.get_or_create(
                    location=desk, service=services[code], defaults={"daily_cap": cap}
                )
    today = timezone.localdate()
    waiting = (
        Appointment.objects.filter(
            local_day_q("start", today),
            status=AppointmentStatus.CHECKED_IN,
            queue_ticket__isnull=True,
            location__in=desks,
        )
        .select_related("location")
        .order_by("start", "pk")
    )
    for appointment in waiting:
        kiosk_check_in_appointment(location=appointment.location, appointment=appointment)
        result.tickets_issued += 1
    return result


__all__ = ["kiosk_demo_seed"]
