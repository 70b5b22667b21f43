"""The hot pages' queries can be served by indexes: no sequential scan of legs or
appointments (which would grow with years of history). PostgreSQL only: every query the page
makes is EXPLAINed with ``enable_seqscan = off``, so a "Seq Scan" on those tables in the plan
means no index can serve the query at all (not merely that the planner prefers a scan on a
small table). An index walked end to end (no condition) counts as a scan too, and so does a
scan that reads history only to throw it away: the plans are run (EXPLAIN ANALYZE), and a
scan of those tables whose filter or recheck discards more than MAX_DISCARDED rows (the
fixture has hundreds of days of history, a day is a dozen visits) reads what the page does
not need, e.g. every walk-in ever through the index on start (start IS NULL) when the
walk-ins' own index is missing."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.roles import Role
from counter.services.setup import counter_setup
from scheduling.constants import (
    AppointmentSource,
    AppointmentStatus,
    GroupBookingStatus,
    LegState,
)
from scheduling.models import Appointment, GroupBooking, Leg
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

WATCHED = ("scheduling_leg", "scheduling_appointment")
MAX_DISCARDED = 100


def _full_scans(node: dict) -> list[str]:
    """Scans of the watched tables that read the whole table: a Seq Scan, or an index walked
    end to end (no Index Cond / Recheck Cond)."""
    found = []
    if node.get("Relation Name") in WATCHED:
        kind = node["Node Type"]
        if kind == "Seq Scan" or (
            kind in ("Index Scan", "Index Only Scan", "Bitmap Heap Scan")
            and "Index Cond" not in node
            and "Recheck Cond" not in node
        ):
            found.append(f"{kind} on {node['Relation Name']}")
        discarded = node.get("Rows Removed by Filter", 0) + node.get(
            "Rows Removed by Index Recheck", 0
        )
        if discarded > MAX_DISCARDED:
            found.append(f"{kind} on {node['Relation Name']} discarding {discarded} rows")
    if node.get("Node Type") == "Bitmap Index Scan" and "Index Cond" not in node:
        found.append(f"Bitmap Index Scan on {node.get('Index Name')} without a condition")
    for child in node.get("Plans", []):
        found += _full_scans(child)
    return found


def _plans_with_seq_scans(queries) -> list[tuple[str, str]]:
    found = []
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            for query in queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                if not any(table in sql for table in WATCHED):
                    continue
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
                plan = plan if isinstance(plan, list) else json.loads(plan)
                scans = _full_scans(plan[0]["Plan"])
                if scans:
                    found.append((sql, "; ".join(scans)))
        finally:
            cursor.execute("SET enable_seqscan = on")
    return found


@pytest.fixture
def busy_desk(reference):
    desk = f.location(cbs_code="GM0758")
    counter_setup()
    today = timezone.localdate()
    for days_back in (400, 30, 1, 0):
        day = today - dt.timedelta(days=days_back)
        f.appointment(loc=desk, start=f.aware(day, 10), codes=["brp", "zvw"])
    _history(desk, today)
    walk_in = f.appointment(loc=desk, start=f.aware(today, 11), codes=["welcome"])
    Appointment.objects.filter(pk=walk_in.pk).update(
        start=None, end=None, source=AppointmentSource.WALK_IN
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return desk


def _history(desk, today, days: int = 300, per_day: int = 12, walk_ins_per_day: int = 2):
    """Years of history in bulk (done visits with one leg, and walk-ins: no start, by
    creation time), so the planner sees a table whose days are a small fraction of it, as
    in production."""
    counter = desk.counters.order_by("pk").first()
    service = f.service("welcome")
    client = f.client()
    rows = []
    for n in range(days):
        day = today - dt.timedelta(days=n + 2)
        for i in range(per_day):
            start = f.aware(day, 13) + dt.timedelta(minutes=20 * i)
            rows.append((start, start + dt.timedelta(minutes=15)))
    appointments = Appointment.objects.bulk_create(
        Appointment(
            client=client,
            location=desk,
            status=AppointmentStatus.COMPLETED,
            start=a,
            end=b,
            created_at=a,
        )
        for a, b in rows
    )
    for appointment in appointments:  # created_at is auto_now_add: set it afterwards
        appointment.created_at = appointment.start - dt.timedelta(days=7)
    Appointment.objects.bulk_update(appointments, ["created_at"], batch_size=500)
    walk_ins = Appointment.objects.bulk_create(
        Appointment(
            client=client,
            location=desk,
            status=AppointmentStatus.COMPLETED,
            source=AppointmentSource.WALK_IN,
        )
        for _ in range(days * walk_ins_per_day)
    )
    for n, walk_in in enumerate(walk_ins):  # created_at is auto_now_add: set it afterwards
        day = today - dt.timedelta(days=n // walk_ins_per_day + 2)
        walk_in.created_at = f.aware(day, 9) + dt.timedelta(minutes=n % walk_ins_per_day)
    Appointment.objects.bulk_update(walk_ins, ["created_at"], batch_size=500)
    Leg.objects.bulk_create(
        Leg(
            appointment=appt,
            position=1,
            service=service,
            counter=counter,
            start=appt.start,
            end=appt.end,
            state=LegState.DONE,
        )
        for appt in appointments
    )


def _employer_groups(desk):
    """A large employer: a confirmed group every fifth day of the history, holding that day's
    visits (the portal and the group pages read appointments by group)."""
    employer = f.employer()
    by_day = {}
    for pk, start in Appointment.objects.filter(location=desk, start__isnull=False).values_list(
        "pk", "start"
    ):
        by_day.setdefault(timezone.localdate(start), []).append(pk)
    days = sorted(by_day)[::5]
    groups = GroupBooking.objects.bulk_create(
        GroupBooking(
            employer=employer,
            location=desk,
            status=GroupBookingStatus.CONFIRMED,
            date_from=day,
            date_to=day,
        )
        for day in days
    )
    for group, day in zip(groups, days, strict=True):
        Appointment.objects.filter(pk__in=by_day[day]).update(group_booking=group)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return employer, groups[-1]


def _hot_pages(desk):
    today = timezone.localdate()
    officer = f.user(Role.OFFICER, location=desk)
    receptionist = f.user(Role.RECEPTIONIST, location=desk)
    coordinator = f.user(Role.COORDINATOR)
    counter = desk.counters.order_by("pk").first()
    employer, group = _employer_groups(desk)
    hr = f.user(Role.EMPLOYER, employer=employer)
    municipality = f.user(Role.MUNICIPALITY, municipality=desk.municipality)
    return [
        # The hot pages: the employer portal and the settlement index, beside the
        # desk's pages (Today's visits, planner, reception).
        (hr, "/scheduling/portal/"),
        (hr, f"/scheduling/portal/group-bookings/{group.reference}/"),
        (hr, "/api/v1/group-bookings/"),
        (municipality, "/counter/settlement/"),
        (coordinator, "/counter/settlement/"),
        (officer, "/counter/visits/"),
        (coordinator, "/counter/visits/"),
        (coordinator, f"/scheduling/planner/?location={desk.slug}&date={today}"),
        (receptionist, "/kiosk/reception/"),
        (receptionist, "/kiosk/reception/lists/"),
        (officer, f"/kiosk/officer/{counter.pk}/"),
        (officer, f"/kiosk/officer/{counter.pk}/waiting/"),
        (receptionist, f"/kiosk/{desk.slug}/display/feed/"),
    ]


def test_hot_pages_never_scan_legs_or_appointments(client, busy_desk):
    problems = []
    for user, url in _hot_pages(busy_desk):
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        problems += [(url, sql, plan) for sql, plan in _plans_with_seq_scans(captured)]
    report = "\n\n".join(f"{url}\n{sql}\n{plan}" for url, sql, plan in problems)
    assert problems == [], report
