import pytest
from django.core.management import call_command
from django.utils import timezone

from kiosk.models import KioskSettings, QueueTicket, WalkInPolicy
from scheduling.constants import AppointmentStatus
from scheduling.models import Appointment

pytestmark = pytest.mark.django_db


def test_kiosk_demo_seed_is_idempotent():
    call_command("seed_demo")
    checked_in_today = Appointment.objects.filter(
        status=AppointmentStatus.CHECKED_IN, start__date=timezone.localdate()
    ).count()
    tickets = QueueTicket.objects.count()
    assert tickets == checked_in_today
    policies = WalkInPolicy.objects.count()
    assert policies > 0 and KioskSettings.objects.filter(kiosk_walk_ins=True).count() == 1
    call_command("seed_demo")
    assert QueueTicket.objects.count() == tickets
    assert WalkInPolicy.objects.count() == policies
