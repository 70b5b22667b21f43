"""The report point at the kiosk: an extra kiosk page (settings.KIOSK_PAGE_HOOKS) that only a
paired kiosk of the location may open, in the kiosk's twelve languages, anonymous by default,
no attachments, rate limited per kiosk, the receipt number and secret on the screen only, and
back to the kiosk start after some idle time."""

import re

import pytest
from django.conf import settings as django_settings

from advice.constants import CLIENT_LANGUAGES
from advice.models import Report
from tests import factories as f
from tests.advice.test_public_form import FORM

pytestmark = pytest.mark.django_db


@pytest.fixture
def kiosk_desk(reference):
    return f.location(slug="kiosk-desk", name="Desk Kiosk", cbs_code="GM0758")


def _url(desk):
    return f"/kiosk/{desk.slug}/more/report/"


def _speak(client, lang):
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = lang


def test_the_kiosk_start_screen_links_to_the_report_form(client, kiosk_desk):
    html = client.get(f"/kiosk/{kiosk_desk.slug}/").content.decode()
    assert f'href="{_url(kiosk_desk)}"' in html
    assert "Report abuse" in html


def test_only_a_paired_kiosk_of_this_location_opens_the_form(client, kiosk_desk, reference):
    assert client.get(_url(kiosk_desk)).status_code == 403  # no device
    assert client.post(_url(kiosk_desk), FORM).status_code == 403
    other = f.location(slug="other-desk", name="Other desk", cbs_code="GM0855")
    f.pair_client(client, other)  # a kiosk of another desk
    assert client.get(_url(kiosk_desk)).status_code == 403
    f.pair_client(client, kiosk_desk)
    assert client.get(_url(kiosk_desk)).status_code == 200
    assert client.get(f"/kiosk/{kiosk_desk.slug}/more/nothing/").status_code == 404
    assert not Report.objects.exists()


def test_a_kiosk_report_in_ukrainian_is_anonymous_and_shows_receipt_and_secret(client, kiosk_desk):
    f.pair_client(client, kiosk_desk)
    _speak(client, "uk")
    form_page = client.get(_url(kiosk_desk))
    html = form_page.content.decode()
    assert '<html lang="uk">' in html
    assert "Повідомте про зловживання" in html
    assert 'type="file"' not in html  # no attachments at a kiosk
    assert "<details" in html and "<details open" not in html  # contact closed: anonymous
    assert f'data-idle-home="/kiosk/{kiosk_desk.slug}/"' in html
    assert form_page["Cache-Control"] == "private, no-store"
    response = client.post(_url(kiosk_desk), FORM)
    assert response.status_code == 200
    html = response.content.decode()
    report = Report.objects.get()
    assert report.channel == "kiosk"
    assert report.language == "uk"
    assert report.location == kiosk_desk
    assert report.reporter_name == report.reporter_contact == ""
    assert report.recorded_by is None
    assert report.receipt_number in html
    assert "Дякуємо" in html
    assert "/report/uk/status/" in html  # where to follow it (without the secret)
    assert f'url=/kiosk/{kiosk_desk.slug}/"' in html  # back to the start, also without JS
    # ... but only without JS: a hard refresh would take the one-time secret off the screen
    # while it is being copied; the idle timer warns and a touch gives more time (WCAG 2.2.1).
    assert 'http-equiv="refresh"' not in re.sub(r"<noscript>.*?</noscript>", "", html, flags=re.S)
    assert f'data-idle-home="/kiosk/{kiosk_desk.slug}/"' in html
    assert "data-print" not in html  # shown, never printed
    assert response["Cache-Control"] == "private, no-store"


def test_the_secret_shown_at_the_kiosk_follows_the_report(client, kiosk_desk):
    f.pair_client(client, kiosk_desk)
    html = client.post(_url(kiosk_desk), FORM).content.decode()
    secret = re.search(r"data-secret><code>([^<]+)</code>", html).group(1)
    number = Report.objects.get().receipt_number
    follow = client.post("/report/en/status/", {"receipt_number": number, "secret": secret})
    assert "Received" in follow.content.decode()


@pytest.mark.parametrize("lang", CLIENT_LANGUAGES)
def test_the_kiosk_form_speaks_all_twelve_languages(client, kiosk_desk, lang):
    f.pair_client(client, kiosk_desk)
    _speak(client, lang)
    html = client.get(_url(kiosk_desk)).content.decode()
    assert f'<html lang="{lang}">' in html
    if lang != "en":
        assert "Leave my contact details (optional)" not in html, lang
        assert "Send report" not in html, lang
        assert "Nobody there? Back to the start in" not in html, lang
        start = client.get(f"/kiosk/{kiosk_desk.slug}/").content.decode()
        assert ">Report abuse<" not in start, lang


def test_contact_details_are_kept_only_when_given(client, kiosk_desk):
    f.pair_client(client, kiosk_desk)
    data = {**FORM, "reporter_name": "Olena", "reporter_contact": "olena@example.org"}
    assert client.post(_url(kiosk_desk), {**data, "notify_status": "on"}).status_code == 200
    report = Report.objects.get()
    assert report.reporter_contact == "olena@example.org" and report.notify_status


def test_the_kiosk_is_rate_limited_per_device(client, kiosk_desk, settings):
    settings.REPORT_KIOSK_RATE_LIMIT = 2
    settings.REPORT_RATE_LIMIT = 1  # the web form's limit per address does not apply here
    f.pair_client(client, kiosk_desk)
    assert client.post(_url(kiosk_desk), FORM).status_code == 200
    assert client.post(_url(kiosk_desk), FORM).status_code == 200
    refused = client.post(_url(kiosk_desk), FORM)
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    assert Report.objects.count() == 2
    f.pair_client(client, kiosk_desk)  # another kiosk of the same desk has its own count
    assert client.post(_url(kiosk_desk), FORM).status_code == 200


def test_without_the_hooks_the_kiosk_has_no_report_page(client, kiosk_desk, settings):
    """Kiosk knows nothing of advice: the page and the button come from the settings only."""
    settings.KIOSK_PAGE_HOOKS = {}
    settings.KIOSK_MENU_HOOKS = []
    f.pair_client(client, kiosk_desk)
    assert client.get(_url(kiosk_desk)).status_code == 404
    assert "/more/" not in client.get(f"/kiosk/{kiosk_desk.slug}/").content.decode()


def test_the_kiosk_forms_leave_checking_to_the_server_in_the_kiosks_language(client, kiosk_desk):
    """A required field made the browser say "Please fill out this field." in its own language
    (English on the kiosk's Chromium) on a Ukrainian screen: the kiosk's forms are novalidate,
    and the server's errors come in the kiosk's language."""
    f.pair_client(client, kiosk_desk)
    _speak(client, "uk")
    report_form = client.get(_url(kiosk_desk)).content.decode()
    assert re.search(r'<form class="kiosk-report"[^>]* novalidate>', report_form)
    start = client.get(f"/kiosk/{kiosk_desk.slug}/").content.decode()
    assert re.search(r'<form class="kiosk-scan"[^>]* novalidate>', start)
    sent = client.post(_url(kiosk_desk), {"description": ""}).content.decode()
    assert "Це поле обов&#x27;язкове." in sent  # Django's "This field is required." in Ukrainian
    assert not Report.objects.exists()
    empty = client.post(f"/kiosk/{kiosk_desk.slug}/", {"code": ""})
    assert empty.status_code in (200, 400, 404) and 'class="kiosk-error"' in empty.content.decode()


def test_a_refused_kiosk_report_opens_with_the_shared_error_summary(client, kiosk_desk):
    """As on the public and counter report forms (templates/partials/error_summary.html): one
    list of every error above the fields, in the kiosk's language, each field's error linked to
    the field, a refusal of the whole report listed once; no separate kiosk error block."""
    f.pair_client(client, kiosk_desk)
    _speak(client, "uk")
    response = client.post(_url(kiosk_desk), {**FORM, "description": ""})
    assert response.status_code == 400
    html = response.content.decode()
    summary = html.index('id="error-summary"')
    assert 'role="alert"' in html[html.rindex("<div", 0, summary) : summary]
    assert "Будь ласка, виправте таке:" in html  # "Please correct the following:"
    assert summary < html.index('name="category"')  # before the first field
    listed = html[summary : html.index("</div>", summary)]
    assert 'href="#id_description"' in listed
    assert 'class="kiosk-error"' not in html
    # No place given: the whole report is refused; the message is in the summary, once.
    html = client.post(_url(kiosk_desk), {**FORM, "address": ""}).content.decode()
    summary = html.index('id="error-summary"')
    place = "Вкажіть, де це сталося"
    assert place in html[summary : html.index("</div>", summary)], html[summary : summary + 600]
    assert html.count(place) == 1
    assert 'class="kiosk-error"' not in html
    assert not Report.objects.exists()
