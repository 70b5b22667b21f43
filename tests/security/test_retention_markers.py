"""Finding 7: the retention purge really removes personal data.

Unique markers go into every personal field (names, birth date, e-mail, phone, BSN, free
text) through the real flows: a booking over the API with an Idempotency-Key, a group booking
from a roster file, a kiosk check-in, a counter record with a BSN, an extra service that ends
on an invoice line, a walk-in client who never got a visit. At the retention horizon + 1 day
the purge runs; then every text column of every table in the database is scanned: no marker
may remain, and every money total is what it was.
"""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.apps import apps
from django.db import connection, models
from rest_framework.test import APIClient

from core.models import AuditLogEntry
from core.roles import Role
from counter.services.fees import fee_line_add, fee_line_credit, visit_close
from counter.services.invoices import invoice_run
from counter.services.records import record_required, service_record_create
from counter.services.setup import counter_setup
from kiosk.services.calls import counter_undo, ticket_call_next, ticket_mark_no_show
from kiosk.services.tickets import kiosk_check_in
from scheduling.constants import LegState
from scheduling.group_booking.roster import roster_parse_csv
from scheduling.group_booking.services import group_booking_cancel, group_booking_create
from scheduling.models import Appointment
from scheduling.services.legs import leg_finish, leg_start
from scheduling.services.retention import personal_data_retention_run
from scheduling.services.walkins import walk_in_client_create
from tests import factories as f

pytestmark = pytest.mark.django_db

MARKERS = {
    "api first name": "Qxapifirst",
    "api last name": "Qxapilast",
    "api birth date": "1987-03-19",
    "api e-mail": "qxapimail",
    "api phone": "0611223344",
    "roster first name": "Qxrostfirst",
    "roster last name": "Qxrostlast",
    "roster birth date": "1986-07-23",
    "roster e-mail": "qxrostmail",
    "roster phone": "0655667788",
    "walk-in first name": "Qxwalkfirst",
    "walk-in last name": "Qxwalklast",
    "walk-in birth date": "1985-11-29",
    "BSN": "111222333",
    "record free text": "Qxproofnote",
    "credit reason": "Qxcreditnote",
}


def _scan(markers: dict[str, str] = MARKERS) -> dict[str, list[str]]:
    """Every marker found in any text-like column of any table: {marker: [table.column]}."""
    found: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if value is None:
                        continue
                    text = (
                        bytes(value).decode("latin-1")
                        if isinstance(value, bytes | memoryview)
                        else str(value)
                    )
                    for label, marker in markers.items():
                        if marker.lower() in text.lower():
                            found.setdefault(label, []).append(f"{table}.{column}")
    return found


def _money_totals() -> dict[str, Decimal]:
    totals = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DecimalField):
                rows = model.objects.values_list(field.attname, flat=True)
                totals[f"{model._meta.label}.{field.name}"] = sum(
                    (v for v in rows if v is not None), Decimal("0")
                )
    return totals


def _serve(appointment, officer):
    for leg in appointment.legs.select_related("service").order_by("position"):
        leg.refresh_from_db()
        if leg.state != LegState.PLANNED:
            continue
        counter = appointment.location.counters.filter(services=leg.service).first()
        leg_start(leg=leg, counter=counter, actor=officer)
        if record_required(leg):
            registration = leg.service.code in ("brp", "rni")
            service_record_create(
                leg=leg,
                outcome="completed",
                actor=officer,
                bsn=MARKERS["BSN"] if registration else "",
                bsn_issued=True if registration else None,
                lawful_residence_proof=f"card {MARKERS['record free text']}",
                insurance_result="" if registration else "signed_up",
            )
        else:
            leg_finish(leg=leg, actor=officer)


def test_the_purge_leaves_no_personal_data_anywhere(reference, settings, next_monday):
    settings.BSN_LEGAL_BASIS = True
    settings.DATA_RETENTION_DAYS = 30
    desk = f.location(slug="breda", cbs_code="GM0758")
    counter_setup()
    coordinator = f.user(Role.COORDINATOR)
    officer = f.user(Role.OFFICER, location=desk)
    employer = f.employer()
    visit_start = f.aware(next_monday, 10)

    # 1. A booking over the API with an Idempotency-Key (the record keeps the response).
    with time_machine.travel(visit_start - dt.timedelta(days=3), tick=False):
        api = APIClient()
        api.force_authenticate(coordinator)
        response = api.post(
            "/api/v1/appointments/",
            {
                "client": {
                    "first_name": MARKERS["api first name"],
                    "last_name": MARKERS["api last name"],
                    "birth_date": MARKERS["api birth date"],
                    "nationality": "RO",
                    "language": "ro",
                    "expected_stay_months": 9,
                    "municipality_of_residence": "GM0855",
                    "email": f"{MARKERS['api e-mail']}@example.org",
                    "phone": MARKERS["api phone"],
                },
                "location": "breda",
                "start": visit_start.isoformat(),
                "services": ["brp", "zvw"],
            },
            format="json",
            HTTP_IDEMPOTENCY_KEY="retention-1",
        )
        assert response.status_code == 201, response.data
        booked = Appointment.objects.get(booking_code=response.data["booking_code"])
        booked.client.employer = employer
        booked.client.save(update_fields=["employer"])

        # 2. A group booking from a roster file; the worker never turns up.
        header = (
            "first_name,last_name,birth_date,nationality,expected_stay_months,"
            "municipality_of_residence,language,email,phone,interpreter_needed,"
            "temporary_protection,works_under_dutch_social_security"
        )
        row = (
            f"{MARKERS['roster first name']},{MARKERS['roster last name']},"
            f"{MARKERS['roster birth date']},PL,12,GM0826,pl,"
            f"{MARKERS['roster e-mail']}@example.org,{MARKERS['roster phone']},no,no,yes"
        )
        workers = roster_parse_csv(f"{header}\n{row}\n".encode())
        group_booking_create(
            employer=employer,
            actor=None,
            workers=workers,
            location=desk,
            date_from=next_monday,
            date_to=next_monday,
            confirm=True,
        )

        # 3. A walk-in client created at the reception who never got a visit.
        walk_in_client_create(
            first_name=MARKERS["walk-in first name"],
            last_name=MARKERS["walk-in last name"],
            birth_date=dt.date.fromisoformat(MARKERS["walk-in birth date"]),
            nationality="BG",
            municipality_of_residence=f.municipality("GM0758"),
            actor=None,
        )

    # 4. The day of the visit: kiosk check-in, counter records with a BSN, extra services.
    with time_machine.travel(visit_start - dt.timedelta(minutes=10), tick=False):
        kiosk_check_in(location=desk, booking_code=booked.booking_code)
        welcome = fee_line_add(appointment=booked, service=f.service("welcome"), actor=officer)
        extra = fee_line_add(appointment=booked, service=f.service("formhelp"), actor=officer)
        fee_line_credit(line=extra, actor=officer, reason=f"not taken {MARKERS['credit reason']}")
        _serve(booked, officer)
        visit_close(appointment=booked, actor=officer)
        assert welcome.amount > 0

    # 5. The invoices of that month, after it ended.
    next_month = (visit_start.replace(day=1) + dt.timedelta(days=32)).replace(day=2)
    with time_machine.travel(next_month, tick=False):
        invoices = invoice_run(year=visit_start.year, month=visit_start.month)
        assert invoices and invoices[0].lines.exists()
        # Invoice lines name the visit by its booking code, not the worker.
        line = invoices[0].lines.get()
        assert line.description.startswith(booked.booking_code)
        assert MARKERS["api last name"] not in line.description
        # The group worker never came; the end-of-day task is not run here, so the purge
        # meets a visit that was never closed.

    planted = _scan()
    assert set(planted) == set(MARKERS), f"not planted: {set(MARKERS) - set(planted)}"
    totals = _money_totals()

    # 6. The horizon + 1 day (the visit, the group and the walk-in client are older).
    purge_at = visit_start + dt.timedelta(days=settings.DATA_RETENTION_DAYS + 1)
    with time_machine.travel(purge_at, tick=False):
        personal_data_retention_run()

    left = _scan()
    assert left == {}, sorted(f"{k}: {v}" for k, v in left.items())
    assert _money_totals() == totals


REASON_MARKERS = {
    "visit cancel reason": "Qxcancelwhy",
    "group cancel reason": "Qxgroupwhy",
    "BSN view reason": "Qxbsnwhy",
    "void reason": "Qxvoidwhy",
    "undo reason": "Qxundowhy",
}
REASON_ACTIONS = [
    "appointment.cancel",
    "group_booking.cancel",
    "service_record.bsn_view",
    "service_record.void",
    "queue_ticket.undo",
    "appointment.no_show_revert",
]


def test_the_purge_erases_reasons_staff_typed_but_keeps_the_audit_facts(
    reference, settings, next_monday, client
):
    """Reasons typed when cancelling a visit or a group, viewing a BSN, voiding a record and
    undoing a no-show at the counter are erased by the purge; the audit entries (who, what,
    when, which object) stay."""
    settings.BSN_LEGAL_BASIS = True
    settings.DATA_RETENTION_DAYS = 30
    desk = f.location(slug="breda", cbs_code="GM0758")
    counter_setup()
    coordinator = f.user(Role.COORDINATOR)
    officer = f.user(Role.OFFICER, location=desk)
    employer = f.employer()
    visit_start = f.aware(next_monday, 10)

    with time_machine.travel(visit_start - dt.timedelta(days=3), tick=False):
        # A visit cancelled over the API with a reason.
        cancelled = f.appointment(loc=desk, start=visit_start + dt.timedelta(hours=2))
        api = APIClient()
        api.force_authenticate(coordinator)
        response = api.post(
            f"/api/v1/appointments/{cancelled.booking_code}/cancel/",
            {"reason": f"moved away {REASON_MARKERS['visit cancel reason']}"},
            format="json",
        )
        assert response.status_code == 200, response.data
        # A group cancelled with a reason (one audit entry per visit and one for the group).
        header = (
            "first_name,last_name,birth_date,nationality,expected_stay_months,"
            "municipality_of_residence,language,email,phone,interpreter_needed,"
            "temporary_protection,works_under_dutch_social_security"
        )
        row = "Ana,Pop,1990-01-02,RO,12,GM0826,ro,ana@example.org,0611111111,no,no,yes"
        group = group_booking_create(
            employer=employer,
            actor=None,
            workers=roster_parse_csv(f"{header}\n{row}\n".encode()),
            location=desk,
            date_from=next_monday,
            date_to=next_monday,
            confirm=False,
        )
        group_booking_cancel(
            group_booking=group,
            actor=coordinator,
            reason=f"season over {REASON_MARKERS['group cancel reason']}",
        )

    with time_machine.travel(visit_start - dt.timedelta(minutes=10), tick=False):
        # A registration with a BSN: viewed with a reason, then voided with a reason (pages).
        served = f.appointment(loc=desk, start=visit_start, codes=["brp"])
        kiosk_check_in(location=desk, booking_code=served.booking_code)
        _serve(served, officer)
        record = served.legs.get().service_records.get()
        client.force_login(officer)
        page = client.post(
            f"/counter/records/{record.pk}/bsn/",
            {"reason": f"insurer asks {REASON_MARKERS['BSN view reason']}"},
        )
        assert page.status_code == 200 and MARKERS["BSN"] in page.content.decode()
        client.post(
            f"/counter/records/{record.pk}/void/",
            {"reason": f"wrong person {REASON_MARKERS['void reason']}"},
        )
        record.refresh_from_db()
        assert record.is_void
        # A no-show at the counter taken back with a reason.
        late = f.appointment(loc=desk, start=visit_start + dt.timedelta(minutes=30), codes=["zvw"])
        kiosk_check_in(location=desk, booking_code=late.booking_code)
        counter = desk.counters.filter(services__code="zvw").first()
        ticket_call_next(counter=counter, actor=officer)
        ticket_mark_no_show(counter=counter, actor=officer)
        counter_undo(counter=counter, actor=officer, reason=f"came {REASON_MARKERS['undo reason']}")

    planted = _scan(REASON_MARKERS)
    assert set(planted) == set(REASON_MARKERS), f"not planted: {set(REASON_MARKERS) - set(planted)}"
    facts = sorted(
        AuditLogEntry.objects.filter(action__in=REASON_ACTIONS).values_list(
            "pk", "at", "actor_id", "action", "object_type", "object_id"
        )
    )
    assert {fact[3] for fact in facts} == set(REASON_ACTIONS)

    purge_at = visit_start + dt.timedelta(days=settings.DATA_RETENTION_DAYS + 1)
    with time_machine.travel(purge_at, tick=False):
        personal_data_retention_run()

    left = _scan(REASON_MARKERS)
    assert left == {}, sorted(f"{k}: {v}" for k, v in left.items())
    # The entries themselves are untouched: who did what to which object, and when.
    after = sorted(
        AuditLogEntry.objects.filter(action__in=REASON_ACTIONS).values_list(
            "pk", "at", "actor_id", "action", "object_type", "object_id"
        )
    )
    assert after == facts
