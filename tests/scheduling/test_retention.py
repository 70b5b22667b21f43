import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from core.models import AuditLogEntry
from counter.constants import Outcome
from counter.models import ServiceRecord
from scheduling.constants import AppointmentStatus, LegState
from scheduling.models import Client
from scheduling.services.retention import personal_data_retention_run
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(reference):
    return factories.location()


def _visit(desk, day, status, **client_kw):
    cl = factories.client(email="piotr@example.org", phone="+48 600 000 000", **client_kw)
    return factories.appointment(loc=desk, start=factories.aware(day, 10), cl=cl, status=status)


def test_old_finished_visits_lose_personal_data_open_ones_keep_it(desk, settings):
    settings.DATA_RETENTION_DAYS = 365
    today = timezone.localdate()
    old = _visit(desk, today - dt.timedelta(days=400), AppointmentStatus.COMPLETED)
    recent = _visit(desk, today - dt.timedelta(days=30), AppointmentStatus.COMPLETED)
    # An old visit, but the same client has a visit still to come: nothing is removed.
    returning = _visit(desk, today - dt.timedelta(days=500), AppointmentStatus.NO_SHOW)
    factories.appointment(
        loc=desk, start=factories.aware(today + dt.timedelta(days=20), 11), cl=returning.client
    )

    counts = personal_data_retention_run()

    assert counts["scheduling.services.retention.clients_personal_data_purge"] == 1
    gone = Client.objects.get(pk=old.client_id)
    assert (gone.first_name, gone.last_name, gone.email, gone.phone) == ("—", "—", "", "")
    assert gone.birth_date == dt.date(1990, 1, 1)  # the year stays for statistics
    assert gone.municipality_of_residence.cbs_code == "GM0826"  # settlement fact stays
    assert gone.personal_data_removed_at is not None
    for kept in (recent.client_id, returning.client_id):
        assert Client.objects.get(pk=kept).last_name == "Kowalski"
    entry = AuditLogEntry.objects.get(action="client.personal_data_removed")
    assert entry.data["count"] == 1 and "Kowalski" not in str(entry.data)
    # Running again removes nothing more.
    assert (
        personal_data_retention_run()["scheduling.services.retention.clients_personal_data_purge"]
        == 0
    )


def test_stored_bsn_is_removed_after_the_retention_period(desk, settings):
    settings.DATA_RETENTION_DAYS = 30
    visit = _visit(desk, timezone.localdate() - dt.timedelta(days=60), AppointmentStatus.COMPLETED)
    leg = visit.legs.get(service__code="brp")
    leg.state = LegState.DONE
    leg.save(update_fields=["state"])
    with time_machine.travel(timezone.now() - dt.timedelta(days=59), tick=False):
        record = ServiceRecord.objects.create(
            leg=leg,
            outcome=Outcome.COMPLETED,
            registration_kind="brp",
            registration_date=leg.start.date(),
            residence_municipality=visit.client.municipality_of_residence,
            performing_municipality=desk.municipality,
            bsn_issued=True,
            bsn="111222333",
        )
    counts = personal_data_retention_run()
    assert counts["counter.services.retention.service_records_bsn_purge"] == 1
    record.refresh_from_db()
    assert record.bsn == "" and record.bsn_issued is True


def test_clients_without_visits_and_visits_never_closed_are_purged(desk, settings):
    from scheduling.services.walkins import walk_in_client_create

    settings.DATA_RETENTION_DAYS = 30
    long_ago = timezone.now() - dt.timedelta(days=60)
    with time_machine.travel(long_ago, tick=False):
        lonely = walk_in_client_create(
            first_name="Lonely",
            last_name="Walker",
            birth_date=dt.date(1990, 5, 17),
            nationality="BG",
            municipality_of_residence=factories.municipality("GM0826"),
            actor=None,
        )
    never_closed = _visit(
        desk, timezone.localdate() - dt.timedelta(days=60), AppointmentStatus.BOOKED
    )
    fresh = factories.client(first_name="Fresh")  # created now, no visit yet: kept

    personal_data_retention_run()

    assert Client.objects.get(pk=lonely.pk).last_name == "—"
    assert Client.objects.get(pk=never_closed.client_id).last_name == "—"
    never_closed.refresh_from_db()
    assert never_closed.status == AppointmentStatus.NO_SHOW
    assert Client.objects.get(pk=fresh.pk).first_name == "Fresh"


def test_idempotency_records_are_kept_24_hours(settings):
    from core.idempotency import idempotency_records_purge
    from core.models import IdempotencyRecord

    with time_machine.travel(timezone.now() - dt.timedelta(hours=25), tick=False):
        IdempotencyRecord.objects.create(
            scope="t", key="old", request_fingerprint="x", status_code=201, body={"n": "Ana"}
        )
    IdempotencyRecord.objects.create(
        scope="t", key="new", request_fingerprint="x", status_code=201, body={}
    )
    assert idempotency_records_purge() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
