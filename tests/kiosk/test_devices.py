"""Findings 1 and 12: kiosks are paired devices. Anyone who can reach the server could check
a person in with the booking code alone, and use up a desk's walk-in cap anonymously; all
anonymous kiosks shared one idempotency namespace and the database backstop never fired."""

import datetime as dt

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.models import IdempotencyRecord
from kiosk.models import KioskDevice, KioskSettings, QueueTicket
from kiosk.services.devices import device_pair, device_pairing_start, device_revoke
from scheduling.constants import AppointmentStatus
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def soon(office_hours):
    return timezone.localtime() + dt.timedelta(minutes=5)


def test_check_in_with_only_the_booking_code_is_refused_without_a_device(client, desk, soon):
    appt = factories.appointment(loc=desk, start=soon)
    api = client.post(
        "/api/v1/kiosk/check-in",
        {"location": desk.slug, "booking_code": appt.booking_code},
        content_type="application/json",
    )
    assert api.status_code == 403 and api.json()["code"] == "device_required"
    page = client.post(reverse("kiosk:kiosk", args=[desk.slug]), {"code": appt.booking_code})
    assert page.status_code == 403 and b'data-code="device_required"' in page.content
    group = client.post(reverse("kiosk:group", args=[desk.slug]), {"code": appt.booking_code})
    assert group.status_code == 403
    assert QueueTicket.objects.count() == 0
    appt.refresh_from_db()
    assert appt.status == AppointmentStatus.BOOKED


def test_anonymous_walk_ins_cannot_use_up_the_cap(client, desk):
    KioskSettings.objects.filter(location=desk).update(kiosk_walk_ins=True)
    brp = desk.walk_in_policies.get(service__code="brp").service
    body = {"location": desk.slug, "services": ["brp"]}
    for _ in range(9):
        r = client.post("/api/v1/kiosk/walk-in", body, content_type="application/json")
        assert r.status_code == 403
    page = client.post(reverse("kiosk:walk-in", args=[desk.slug]), {"service": brp.pk})
    assert page.status_code == 403
    assert QueueTicket.objects.count() == 0


def test_a_device_of_another_location_or_a_revoked_one_is_refused(client, desk, soon, reference):
    other = factories.location(slug="elsewhere")
    appt = factories.appointment(loc=desk, start=soon)
    body = {"location": desk.slug, "booking_code": appt.booking_code}
    foreign = factories.kiosk_device(other)
    r = client.post(
        "/api/v1/kiosk/check-in", body, content_type="application/json", HTTP_X_KIOSK_DEVICE=foreign
    )
    assert r.status_code == 403
    mine = factories.kiosk_device(desk, name="Kiosk 2")
    device_revoke(device=KioskDevice.objects.get(name="Kiosk 2"), actor=None)
    r = client.post(
        "/api/v1/kiosk/check-in", body, content_type="application/json", HTTP_X_KIOSK_DEVICE=mine
    )
    assert r.status_code == 403
    fresh = factories.kiosk_device(desk, name="Kiosk 3")
    r = client.post(
        "/api/v1/kiosk/check-in", body, content_type="application/json", HTTP_X_KIOSK_DEVICE=fresh
    )
    assert r.status_code == 201
    assert KioskDevice.objects.get(name="Kiosk 3").last_seen_at is not None


def test_pairing_code_is_one_time_expires_and_only_hashes_are_stored(client, desk):
    device = KioskDevice.objects.create(location=desk, name="Kiosk")
    code = device_pairing_start(device=device, actor=None)
    page = client.post(reverse("kiosk:pair"), {"code": code})
    assert page.status_code == 200
    secret = page.cookies[settings.KIOSK_DEVICE_COOKIE].value
    assert page.cookies[settings.KIOSK_DEVICE_COOKIE]["httponly"]
    device.refresh_from_db()
    assert device.paired_at and secret not in device.secret_hash and len(secret) >= 40
    assert client.post(reverse("kiosk:pair"), {"code": code}).status_code == 400  # used once
    late = device_pairing_start(device=device, actor=None)
    with pytest.raises(Exception) as exc:
        device_pair(code=late, now=timezone.now() + dt.timedelta(hours=1))
    assert exc.value.code == "pairing_code_invalid"


def test_idempotency_keys_are_per_device_and_the_database_backstop_fires(client, desk, soon):
    first = factories.appointment(loc=desk, start=soon)
    second = factories.appointment(loc=desk, start=soon + dt.timedelta(minutes=30))
    a, b = factories.kiosk_device(desk, name="A"), factories.kiosk_device(desk, name="B")
    for device, appt in [(a, first), (b, second)]:
        r = client.post(
            "/api/v1/kiosk/check-in",
            {"location": desk.slug, "booking_code": appt.booking_code},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="scan-1",
            HTTP_X_KIOSK_DEVICE=device,
        )
        assert r.status_code == 201  # the same key on another kiosk is not a replay
    assert QueueTicket.objects.count() == 2
    record = IdempotencyRecord.objects.filter(user__isnull=True).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        IdempotencyRecord.objects.create(
            scope=record.scope, key=record.key, request_fingerprint="x", status_code=201
        )
