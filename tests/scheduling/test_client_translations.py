"""Every client document speaks every client language (settings.LANGUAGES, twelve).

Each document is rendered in English (the source text), in Dutch and in each other language.
A sentence of the rendering in language X that also appears in the English or the Dutch
rendering is untranslated (a msgid without translation shows English, or Dutch: Django falls
back to LANGUAGE_CODE). The names, codes and places the documents carry are blanked first;
brand names are on an explicit allow-list.

Documents: the ticket PDF, the group cover sheet PDF, the kiosk page, the kiosk receipt, the
display screen, the worker e-mail (four kinds, subject and body) and the per-visit calendar
file (SUMMARY and DESCRIPTION). Dates: the active language's own format.
"""

import datetime as dt
import io
import re

import pypdf
import pytest
import time_machine
from django.conf import settings
from django.test import Client as WebClient
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar

from kiosk.models import KioskSettings
from scheduling.models import GroupBooking
from scheduling.services.calendar import appointment_ics
from scheduling.services.notifications import _worker_mail
from scheduling.tickets.pdf import group_pdf_render, ticket_pdf_render
from tests import factories

pytestmark = pytest.mark.django_db

LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Same in every language on purpose (brand, abbreviations), or a word that two languages
# share: Polish and Dutch "Adres", Hungarian, Slovak and Dutch "december". Compared casefolded.
ALLOWED = {
    "bmip",
    "brabant migration information point",
    "qr",
    "bsn",
    "ind",
    "brp",
    "rni",
    "iban",
    "adres",
    "december",
}

AMS = dt.timezone(dt.timedelta(hours=1))


def test_twelve_client_languages():
    assert len(LANGUAGES) == 12 and {"nl", "en", "uk", "pl"} <= set(LANGUAGES)


def _segments(text: str, blank: list[str]) -> set[str]:
    for value in sorted(blank, key=len, reverse=True):
        if value:
            text = text.replace(value, " ")
    parts = re.split(r"[\n•·|:()]+|\s{2,}", text)
    out = set()
    for part in parts:
        part = " ".join(part.split()).strip(" .,;-–")
        if part.casefold() in ALLOWED or not re.search(r"[^\W\d_]{4,}", part):
            continue  # numbers, codes, times, short labels like "QR"
        out.add(part)
    return out


def _untranslated(render, blank) -> dict[str, set[str]]:
    """{language: sentences identical to the English or Dutch rendering}."""
    texts = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            texts[lang] = render(lang)
    english = _segments(texts["en"], blank)
    dutch = _segments(texts["nl"], blank)
    found = {}
    for lang in LANGUAGES:
        mine = _segments(texts[lang], blank)
        same = mine & (set() if lang == "en" else english)
        same |= mine & (set() if lang == "nl" else dutch)
        if same:
            found[lang] = same
    return found


@pytest.fixture
def world(reference, office_hours):
    desk = factories.location(
        slug="breda-i18n",
        name="Desk Breda",
        weekdays=range(7),
        hours=(7, 20),
        counters={"Balie 1": ["brp", "rni"], "Balie 2": ["zvw"], "Balie 3": ["welcome"]},
    )
    # twelve visits follow each other on three counters: all may check in now
    KioskSettings.objects.create(location=desk, early_minutes=600, late_minutes=15)
    employer = factories.employer(name="Tulip Farms B.V.")
    today = timezone.localdate()
    group = GroupBooking.objects.create(
        employer=employer, location=desk, date_from=today, date_to=today, po_reference="PO-7"
    )
    clients = {}
    appointments = {}
    soon = timezone.localtime() + dt.timedelta(minutes=5)
    for i, lang in enumerate(LANGUAGES):
        clients[lang] = factories.client(
            first_name=f"Name{i}",
            last_name=f"Family{i}",
            language=lang,
            nationality="UA" if lang == "uk" else "PL",
            email=f"w{i}@example.org",
            interpreter_needed=True,
        )
        appointments[lang] = factories.appointment(
            loc=desk,
            start=soon + dt.timedelta(minutes=i),
            codes=["brp", "zvw", "welcome"],
            cl=clients[lang],
            group_booking=group,
        )
    blank = [desk.name, desk.full_address, employer.name, group.reference, "PO-7", "Balie"]
    for lang, a in appointments.items():
        blank += [a.booking_code, clients[lang].first_name, clients[lang].last_name]
        blank += [clients[lang].email]
    return {"desk": desk, "group": group, "appointments": appointments, "blank": blank}


def _pdf_text(pdf: bytes, first_page_only: bool = False) -> str:
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return "\n".join(p.extract_text() for p in (pages[:1] if first_page_only else pages))


def _html_text(content: bytes) -> str:
    html = content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'(?:aria-label|title|alt)="([^"]*)"', r">\1<", html)
    return re.sub(r"<[^>]+>", "\n", html)


def _web(lang: str, desk) -> WebClient:
    web = WebClient()
    factories.pair_client(web, desk)
    web.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    return web


def _assert_translated(found):
    assert not found, "untranslated client text: " + "; ".join(
        f"{lang}: {sorted(s)}" for lang, s in sorted(found.items())
    )


def test_ticket_pdf_in_every_language(world):
    def render(lang):
        return _pdf_text(ticket_pdf_render(world["appointments"][lang]))

    _assert_translated(_untranslated(render, world["blank"]))


def test_group_cover_sheet_in_every_language(world):
    def render(lang):
        return _pdf_text(
            group_pdf_render(world["group"], [world["appointments"]["pl"]]), first_page_only=True
        )

    _assert_translated(_untranslated(render, world["blank"]))


def test_kiosk_page_and_display_in_every_language(world):
    desk = world["desk"]

    def render(lang):
        web = _web(lang, desk)
        page = web.get(reverse("kiosk:kiosk", args=[desk.slug]))
        group = web.get(reverse("kiosk:kiosk", args=[desk.slug]) + "?mode=group")
        display = web.get(reverse("kiosk:display", args=[desk.slug]))
        # the language buttons name each language in itself: the same in every rendering
        texts = [_html_text(r.content) for r in (page, group, display)]
        return re.sub(r"(?s)kiosk-langs.*?</form>", "", "\n".join(texts))

    blank = [*world["blank"], *[str(info) for info in _language_names()]]
    _assert_translated(_untranslated(render, blank))


def _language_names():
    from django.utils.translation import get_language_info

    return [get_language_info(code)["name_local"].capitalize() for code in LANGUAGES]


def test_kiosk_receipt_in_every_language(world):
    desk = world["desk"]

    def render(lang):
        # no language chosen at the kiosk: the receipt speaks the client's language
        web = WebClient()
        factories.pair_client(web, desk)
        code = world["appointments"][lang].booking_code
        response = web.post(reverse("kiosk:kiosk", args=[desk.slug]), {"code": code})
        assert response.status_code == 200, response.content[:300]
        return re.sub(r"(?s)kiosk-langs.*?</form>", "", _html_text(response.content))

    blank = [*world["blank"], *_language_names()]
    _assert_translated(_untranslated(render, blank))


def test_worker_email_in_every_language(world):
    def render(lang):
        out = []
        for kind in ("confirmed", "reminder", "cancelled", "moved"):
            message = _worker_mail(world["appointments"][lang], kind=kind)
            out += [message.subject, message.body]
        return "\n".join(out)

    _assert_translated(_untranslated(render, world["blank"]))


def test_calendar_file_in_every_language(world):
    def render(lang):
        event = next(
            c
            for c in Calendar.from_ical(appointment_ics(world["appointments"][lang])).walk()
            if c.name == "VEVENT"
        )
        return f"{event['summary']}\n{event['description']}"

    _assert_translated(_untranslated(render, world["blank"]))


# Dates by locale -------------------------------------------------------------------------


@pytest.fixture
def december(reference):
    with time_machine.travel(dt.datetime(2026, 12, 2, 10, 0, tzinfo=AMS), tick=True):
        yield


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("nl", "2 december 2026"), ("uk", "02 грудня 2026"), ("pl", "2 grudnia 2026")],
)
def test_kiosk_date_in_the_kiosk_language(december, lang, expected):
    desk = factories.location(slug="breda-date", weekdays=range(7))
    page = _web(lang, desk).get(reverse("kiosk:kiosk", args=[desk.slug]))
    text = " ".join(_html_text(page.content).split())
    assert expected in text
    assert "Dec. 2, 2026" not in text


def test_wrong_day_and_ticket_dates_in_the_client_language(december):
    desk = factories.location(slug="breda-day", weekdays=range(7), hours=(7, 20))
    KioskSettings.objects.create(location=desk, early_minutes=60, late_minutes=15)
    client = factories.client(language="uk", nationality="UA")
    start = dt.datetime(2026, 12, 9, 10, 0, tzinfo=AMS)
    appointment = factories.appointment(loc=desk, start=start, cl=client)
    refused = _web("uk", desk).post(
        reverse("kiosk:kiosk", args=[desk.slug]), {"code": appointment.booking_code}
    )
    assert "09 грудня 2026" in refused.content.decode()
    ticket = " ".join(_pdf_text(ticket_pdf_render(appointment)).split())
    assert "09 грудня 2026" in ticket and "середа" in ticket.casefold()
    mail = _worker_mail(appointment, kind="confirmed")
    assert "09 грудня 2026" in mail.subject and "09 грудня 2026" in mail.body


def test_cover_sheet_dates_in_the_users_language(reference, december):
    desk = factories.location(slug="breda-cover", weekdays=range(7), hours=(7, 20))
    employer = factories.employer()
    day = dt.date(2026, 12, 9)
    group = GroupBooking.objects.create(
        employer=employer, location=desk, date_from=day, date_to=day
    )
    appointment = factories.appointment(
        loc=desk, start=dt.datetime(2026, 12, 9, 10, 0, tzinfo=AMS), group_booking=group
    )
    for lang, expected in [
        ("nl", "9 december 2026"),
        ("uk", "9 грудня 2026"),
        ("en", "9 December"),
    ]:
        with translation.override(lang):
            cover = " ".join(_pdf_text(group_pdf_render(group, [appointment]), True).split())
        assert expected in cover, (lang, cover)


def test_load_reference_adds_a_missing_language_and_keeps_edits(reference):
    from scheduling.services.catalog import service_catalog_ensure

    service = factories.service("brp")
    service.translations = {"nl": {"name": "Inschrijving (eigen tekst)"}}
    service.save()
    service_catalog_ensure()
    service.refresh_from_db()
    assert service.localized_name("nl") == "Inschrijving (eigen tekst)"
    assert service.localized_name("uk") == "Реєстрація в BRP"
    assert all(service.localized_name(lang) != service.name for lang in LANGUAGES if lang != "en")
