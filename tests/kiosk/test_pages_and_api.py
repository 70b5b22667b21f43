import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.roles import Role
from kiosk.constants import TicketState
from kiosk.models import QueueTicket
from kiosk.services.calls import ticket_call_next
from kiosk.services.tickets import kiosk_check_in
from scheduling.tokens import ticket_token_make
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def soon(office_hours):
    """A visit five minutes from now, today (inside the kiosk's check-in window)."""
    return timezone.localtime() + dt.timedelta(minutes=5)


@pytest.fixture
def officer(desk):
    return factories.user(Role.OFFICER, location=desk)


@pytest.fixture
def receptionist(desk):
    return factories.user(Role.RECEPTIONIST, location=desk)


def test_kiosk_page_checks_in_and_shows_the_number(client, desk, soon):
    factories.pair_client(client, desk)  # a paired kiosk of the desk
    appt = factories.appointment(loc=desk, start=soon)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})  # chosen at the kiosk
    page = client.get(reverse("kiosk:kiosk", args=[desk.slug]))
    assert page.status_code == 200
    assert b"autofocus" in page.content and b'lang="pl"' in page.content
    response = client.post(
        reverse("kiosk:kiosk", args=[desk.slug]), {"code": ticket_token_make(appt)}
    )
    assert response.status_code == 200
    assert b"A001" in response.content
    again = client.post(reverse("kiosk:kiosk", args=[desk.slug]), {"code": appt.booking_code})
    assert b"A001" in again.content and b"already checked in" in again.content
    assert QueueTicket.objects.count() == 1


def test_kiosk_page_shows_clear_error_in_client_language(client, desk):
    factories.pair_client(client, desk)  # a paired kiosk of the desk
    client.post(reverse("set_language"), {"language": "pl", "next": "/"})
    response = client.post(reverse("kiosk:kiosk", args=[desk.slug]), {"code": "NOPE2345"})
    assert response.status_code == 404
    assert b'data-code="ticket_unknown"' in response.content
    assert b"Nie znamy tego kodu rezerwacji" in response.content


def test_group_page_lists_members_and_checks_in_ticked(client, desk, soon):
    factories.pair_client(client, desk)  # a paired kiosk of the desk
    from scheduling.constants import GroupBookingStatus
    from scheduling.models import GroupBooking

    employer = factories.employer()
    group = GroupBooking.objects.create(
        employer=employer,
        status=GroupBookingStatus.CONFIRMED,
        location=desk,
        date_from=soon.date(),
        date_to=soon.date(),
    )
    members = [
        # Different first services, so both start at ``soon`` on counters of their own.
        factories.appointment(
            loc=desk,
            start=soon,
            codes=codes,
            group_booking=group,
            cl=factories.client(first_name=f"Worker{i}"),
        )
        for i, codes in enumerate([["brp", "zvw"], ["zvw"]])
    ]
    # A worker's own ticket is not the group's key (finding 1).
    refused = client.post(
        reverse("kiosk:kiosk", args=[desk.slug]),
        {"code": ticket_token_make(members[0]), "mode": "group"},
    )
    assert refused.status_code == 404 and b'data-code="group_unknown"' in refused.content
    page = client.post(
        reverse("kiosk:kiosk", args=[desk.slug]), {"code": group.reference, "mode": "group"}
    )
    assert page.status_code == 200
    html = page.content.decode()
    # Initials only: no first names, no times of everyone's appointments.
    assert "Worker0" not in html and "Worker1" not in html
    assert html.count(">W. K.<") == 2
    assert timezone.localtime(soon).strftime("%H:%M") not in html
    done = client.post(
        reverse("kiosk:group", args=[desk.slug]),
        {"code": group.reference, "present": [members[0].pk, members[1].pk]},
    )
    assert done.status_code == 200
    assert "Worker0" not in done.content.decode()
    assert QueueTicket.objects.count() == 2


def test_api_group_check_in_by_reference_with_initials(client, desk, soon):
    from scheduling.constants import GroupBookingStatus
    from scheduling.models import GroupBooking

    group = GroupBooking.objects.create(
        employer=factories.employer(),
        status=GroupBookingStatus.CONFIRMED,
        location=desk,
        date_from=soon.date(),
        date_to=soon.date(),
    )
    member = factories.appointment(
        loc=desk, start=soon, group_booking=group, cl=factories.client(first_name="Marta")
    )
    url_members = reverse("kiosk-group-members")
    url_check_in = reverse("kiosk-group-check-in")
    body = {"location": desk.slug, "reference": group.reference}
    assert client.post(url_members, body, content_type="application/json").status_code == 403
    factories.pair_client(client, desk)
    refused = client.post(
        url_members,
        {"location": desk.slug, "reference": member.booking_code},
        content_type="application/json",
    )
    assert refused.status_code == 404 and refused.json()["code"] == "group_unknown"
    listed = client.post(url_members, body, content_type="application/json")
    assert listed.status_code == 200
    assert listed.json() == {"members": [{"id": member.pk, "initials": "M. K."}]}
    done = client.post(
        url_check_in, {**body, "present": [member.pk]}, content_type="application/json"
    )
    assert done.status_code == 200
    line = done.json()["lines"][0]
    assert line["initials"] == "M. K." and line["ticket"]["code"] == "A001"
    assert "Marta" not in done.content.decode()


def test_display_shows_numbers_and_counters_but_no_personal_data(client, desk, soon):
    appt = factories.appointment(
        loc=desk, start=soon, cl=factories.client(first_name="Zbigniew", last_name="Secretski")
    )
    kiosk_check_in(location=desk, token=ticket_token_make(appt))
    ticket_call_next(counter=desk.counters.get(name="Balie 1"), actor=None)
    for url in [
        reverse("kiosk:display", args=[desk.slug]),
        reverse("kiosk:display-feed", args=[desk.slug]),
        f"/api/v1/display/{desk.slug}",
    ]:
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "A001" in body and "Balie 1" in body
        for secret in ["Zbigniew", "Secretski", "1990", appt.booking_code]:
            assert secret not in body


def test_officer_console_calls_and_shows_name_only_there(client, desk, soon, officer):
    appt = factories.appointment(
        loc=desk, start=soon, cl=factories.client(first_name="Ilona", last_name="Kovacs")
    )
    kiosk_check_in(location=desk, token=ticket_token_make(appt))
    client.force_login(officer)
    counter = desk.counters.get(name="Balie 1")
    waiting = client.get(reverse("kiosk:officer-waiting", args=[counter.pk]))
    assert b"A001" in waiting.content and b"Ilona" not in waiting.content
    response = client.post(
        reverse("kiosk:officer-action", args=[counter.pk, "call-next"]), follow=True
    )
    assert b"A001" in response.content and b"Ilona" in response.content
    client.post(reverse("kiosk:officer-action", args=[counter.pk, "start"]))
    client.post(reverse("kiosk:officer-action", args=[counter.pk, "finish"]))
    ticket = QueueTicket.objects.get()
    assert ticket.state == TicketState.WAITING and ticket.leg.service.code == "zvw"


def test_staff_are_scoped_to_their_location(client, desk, officer, receptionist):
    other = factories.location()
    foreign_counter = other.counters.first()
    client.force_login(officer)
    assert (
        client.get(reverse("kiosk:officer-counter", args=[foreign_counter.pk])).status_code == 404
    )
    assert client.post(f"/api/v1/counters/{foreign_counter.pk}/call-next").status_code == 404
    assert client.get(reverse("kiosk:reception")).status_code == 404  # not a receptionist
    client.force_login(receptionist)
    assert client.get(reverse("kiosk:reception")).status_code == 200
    assert client.get(reverse("kiosk:reception") + f"?location={other.slug}").status_code == 404
    assert client.post(f"/api/v1/counters/{desk.counters.first().pk}/call-next").status_code == 404
    coordinator = factories.user(Role.COORDINATOR)
    client.force_login(coordinator)
    assert client.get(reverse("kiosk:reception") + f"?location={other.slug}").status_code == 200


def test_reception_issues_walk_in_with_client_details(client, desk, receptionist):
    from scheduling.models import ServiceType

    client.force_login(receptionist)
    brp = ServiceType.objects.get(code="brp")
    response = client.post(
        reverse("kiosk:reception-walk-in") + f"?location={desk.slug}",
        {
            "services": [brp.pk],
            "language": "ro",
            "first_name": "Ana",
            "last_name": "Pop",
            "birth_date": "1995-02-03",
            "nationality": "ro",
            "residence": desk.municipality.pk,
        },
        follow=True,
    )
    assert b"A001" in response.content
    ticket = QueueTicket.objects.get()
    assert ticket.appointment.client.nationality == "RO"
    assert ticket.appointment.client.language == "ro"
    half = client.post(
        reverse("kiosk:reception-walk-in") + f"?location={desk.slug}",
        {"services": [brp.pk], "language": "en", "first_name": "Only"},
    )
    assert half.status_code == 400
    assert QueueTicket.objects.count() == 1
    lists = client.get(reverse("kiosk:reception-lists") + f"?location={desk.slug}")
    assert b"A001" in lists.content and b"Ana" not in lists.content


def test_api_check_in_is_idempotent_and_reports_errors(client, desk, soon):
    factories.pair_client(client, desk)  # a paired kiosk of the desk
    appt = factories.appointment(loc=desk, start=soon)
    body = {"location": desk.slug, "token": ticket_token_make(appt)}
    first = client.post(
        "/api/v1/kiosk/check-in",
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="scan-1",
    )
    assert first.status_code == 201 and first.json()["ticket"]["code"] == "A001"
    replay = client.post(
        "/api/v1/kiosk/check-in",
        body,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="scan-1",
    )
    assert replay.status_code == 201 and replay["Idempotent-Replayed"] == "true"
    repeat = client.post("/api/v1/kiosk/check-in", body, content_type="application/json")
    assert repeat.status_code == 200 and repeat.json()["created"] is False
    bad = client.post(
        "/api/v1/kiosk/check-in",
        {"location": desk.slug, "booking_code": "QQQQ2222"},
        content_type="application/json",
    )
    assert bad.status_code == 404 and bad.json()["code"] == "ticket_unknown"
    assert QueueTicket.objects.count() == 1


def test_api_counter_flow(client, desk, soon, officer):
    appt = factories.appointment(loc=desk, start=soon, codes=["brp"])
    kiosk_check_in(location=desk, token=ticket_token_make(appt))
    client.force_login(officer)
    counter = desk.counters.get(name="Balie 1")
    url = f"/api/v1/counters/{counter.pk}/"
    called = client.post(url + "call-next", HTTP_IDEMPOTENCY_KEY="k1")
    assert called.status_code == 200 and called.json()["state"] == "called"
    # A retried press with the same key does not call a second person.
    assert client.post(url + "call-next", HTTP_IDEMPOTENCY_KEY="k1").status_code == 200
    assert client.post(url + "call-next").json()["code"] == "counter_busy"
    assert client.post(url + "recall").json()["state"] == "called"
    assert client.post(url + "start").json()["state"] == "serving"
    finished = client.post(url + "finish", {"completed": True}, content_type="application/json")
    assert finished.json()["state"] == "done"
    undone = client.post(url + "undo", {"reason": "typo"}, content_type="application/json")
    assert undone.json()["state"] == "serving"
    empty = client.post(url + "finish")
    assert empty.json()["state"] == "done"
    nobody = client.post(url + "call-next")
    assert nobody.status_code == 404 and nobody.json()["code"] == "queue_empty"


def test_api_walk_in_needs_staff_unless_kiosk_walk_ins(client, desk, receptionist):
    body = {"location": desk.slug, "services": ["brp"]}
    anonymous = client.post("/api/v1/kiosk/walk-in", body, content_type="application/json")
    assert anonymous.status_code == 403 and anonymous.json()["code"] == "device_required"
    device = factories.kiosk_device(desk)
    kiosk = client.post(
        "/api/v1/kiosk/walk-in", body, content_type="application/json", HTTP_X_KIOSK_DEVICE=device
    )
    assert kiosk.status_code == 409 and kiosk.json()["code"] == "kiosk_walk_ins_disabled"
    client.force_login(receptionist)
    issued = client.post("/api/v1/kiosk/walk-in", body, content_type="application/json")
    assert issued.status_code == 201 and issued.json()["walk_in"] is True
    unknown = client.post(
        "/api/v1/kiosk/walk-in",
        {"location": desk.slug, "services": ["xyz"]},
        content_type="application/json",
    )
    assert unknown.status_code == 400


@pytest.mark.parametrize(
    "lang,words",
    [
        ("nl", ["Welkom", "Scan de QR-code"]),
        ("pl", ["Witamy", "Zeskanuj kod QR"]),
        ("ro", ["Bun venit", "Scanați codul QR"]),
        ("bg", ["Добре дошли", "Сканирайте QR кода"]),
        ("hu", ["Üdvözöljük", "Olvassa be"]),
    ],
)
def test_kiosk_speaks_the_client_languages(client, desk, lang, words):
    client.post(reverse("set_language"), {"language": lang, "next": "/"})
    body = client.get(reverse("kiosk:kiosk", args=[desk.slug])).content.decode()
    for word in words:
        assert word in body


def test_staff_console_in_dutch(client, desk, receptionist):
    client.force_login(receptionist)
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    body = client.get(reverse("kiosk:reception")).content.decode()
    assert "Receptie" in body and "Inloopnummer" in body


def test_receipt_speaks_the_clients_language_unless_one_was_chosen(client, desk, soon):
    factories.pair_client(client, desk)  # a paired kiosk of the desk
    appt = factories.appointment(loc=desk, start=soon, cl=factories.client(language="pl"))
    url = reverse("kiosk:kiosk", args=[desk.slug])
    receipt = client.post(url, {"code": ticket_token_make(appt)}).content.decode()
    assert "Twój numer" in receipt
    client.post(reverse("set_language"), {"language": "hu", "next": "/"})
    again = client.post(url, {"code": ticket_token_make(appt)}).content.decode()
    assert "Az Ön sorszáma" in again


def test_receipt_goes_back_to_the_start_on_a_timer_a_touch_extends(client, desk, soon):
    """No hard meta refresh (axe meta-refresh, WCAG 2.2.1): the idle timer shows the seconds
    left and a touch gives more time; the refresh stays only for a kiosk without JavaScript."""
    factories.pair_client(client, desk)
    appt = factories.appointment(loc=desk, start=soon, cl=factories.client(language="pl"))
    url = reverse("kiosk:kiosk", args=[desk.slug])
    receipt = client.post(url, {"code": ticket_token_make(appt)}).content.decode()
    assert "Twój numer" in receipt
    assert 'http-equiv="refresh"' not in re.sub(
        r"<noscript>.*?</noscript>", "", receipt, flags=re.S
    )
    assert f'<noscript><meta http-equiv="refresh" content="30;url={url}"></noscript>' in receipt
    assert f'data-idle-home="{url}" data-idle-seconds="30"' in receipt
    assert "Nikogo nie ma? Powrót do początku za" in receipt


def test_public_kiosk_and_display_show_no_site_navigation(client, desk):
    for name in ("kiosk:kiosk", "kiosk:display"):
        html = client.get(reverse(name, args=[desk.slug])).content.decode()
        assert 'header class="site"' not in html
        assert reverse("login") not in html and reverse("kiosk:reception") not in html


def test_display_shows_the_last_five_calls_and_waiting_per_service(client, desk, office_hours):
    from kiosk.services.calls import ticket_call_next, ticket_mark_no_show
    from kiosk.services.tickets import walk_in_issue
    from scheduling.models import ServiceType

    brp = ServiceType.objects.get(code="brp")
    for _ in range(3):
        walk_in_issue(location=desk, services=[brp], actor=None)
    zvw = ServiceType.objects.get(code="zvw")
    walk_in_issue(location=desk, services=[zvw], actor=None)
    balie1 = desk.counters.get(name="Balie 1")
    called = []
    for _ in range(2):
        called.append(ticket_call_next(counter=balie1, actor=None).code)
        ticket_mark_no_show(counter=balie1, actor=None)
    feed = client.get(reverse("kiosk:display-feed", args=[desk.slug])).json()
    assert [c["code"] for c in feed["last_calls"]] == called[::-1]
    assert feed["waiting_lines"] == [
        "BRP registration: 1 person waiting",
        "Health insurance intake: 1 person waiting",
    ]
    html = client.get(reverse("kiosk:display", args=[desk.slug]), HTTP_ACCEPT_LANGUAGE="en")
    assert "BRP registration: 1 person waiting" in html.content.decode()
    assert "<script>" not in html.content.decode()


def test_late_arrival_goes_to_the_reception_which_decides(client, desk, receptionist, office_hours):
    """Finding 1: the kiosk holds a late arrival's number; the reception console shows it
    as "late, reception decides" and admits it (or makes it a walk-in, or a no-show)."""
    from core.models import AuditLogEntry
    from scheduling.constants import AppointmentStatus

    factories.pair_client(client, desk)
    booked = timezone.localtime() - dt.timedelta(minutes=40)
    appt = factories.appointment(loc=desk, start=booked, codes=["brp"])
    page = client.post(reverse("kiosk:kiosk", args=[desk.slug]), {"code": appt.booking_code})
    assert page.status_code == 200 and b'data-late="1"' in page.content
    assert "Proszę najpierw podejść do recepcji." in page.content.decode()  # client speaks pl
    ticket = QueueTicket.objects.get()
    assert ticket.state == TicketState.LATE
    appt.refresh_from_db()
    assert appt.status == AppointmentStatus.BOOKED

    client.force_login(receptionist)
    lists = client.get(reverse("kiosk:reception-lists") + f"?location={desk.slug}")
    assert f'data-late="{ticket.code}"'.encode() in lists.content
    assert appt.client.last_name.encode() not in lists.content  # no names at the reception list
    url = reverse("kiosk:reception-late") + f"?location={desk.slug}"
    assert client.post(url, {"ticket": ticket.pk, "decision": "maybe"}).status_code == 400
    done = client.post(url, {"ticket": ticket.pk, "decision": "admit"})
    assert done.status_code == 302
    ticket.refresh_from_db()
    appt.refresh_from_db()
    assert ticket.state == TicketState.WAITING and appt.status == AppointmentStatus.CHECKED_IN
    entry = AuditLogEntry.objects.get(action="queue_ticket.late_admitted")
    assert entry.actor_id == receptionist.pk
    # A second decision is refused with a message, nothing changes.
    again = client.post(url, {"ticket": ticket.pk, "decision": "no-show"}, follow=True)
    assert b"not waiting for a decision" in again.content
    ticket.refresh_from_db()
    assert ticket.state == TicketState.WAITING


def test_reception_of_another_desk_cannot_decide(client, desk, office_hours):
    other = factories.location(slug="other-desk", name="Other desk")
    stranger = factories.user(Role.RECEPTIONIST, location=other)
    factories.pair_client(client, desk)
    appt = factories.appointment(
        loc=desk, start=timezone.localtime() - dt.timedelta(minutes=40), codes=["brp"]
    )
    client.post(reverse("kiosk:kiosk", args=[desk.slug]), {"code": appt.booking_code})
    ticket = QueueTicket.objects.get()
    client.force_login(stranger)
    response = client.post(
        reverse("kiosk:reception-late"), {"ticket": ticket.pk, "decision": "no-show"}
    )
    assert response.status_code == 404
    ticket.refresh_from_db()
    assert ticket.state == TicketState.LATE
