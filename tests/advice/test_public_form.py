"""The public report point: multilingual form, receipt number and secret, anonymous
follow-up, rate limit."""

import pytest
from django.core.cache import cache

from advice.constants import ReportStatus
from advice.models import Report
from advice.services.reports import report_status_change
from tests.advice.helpers import a_report

pytestmark = pytest.mark.django_db

FORM = {
    "category": "work",
    "address": "Havenweg 1, Moerdijk",
    "municipality": "",
    "concerned_party": "",
    "description": "We are not paid for overtime.",
    "reporter_name": "",
    "reporter_contact": "",
}


@pytest.mark.parametrize(
    ("lang", "heading", "button"),
    [
        ("en", "Report abuse in housing, work or living conditions", "Send report"),
        (
            "pl",
            "Zgłoś nadużycia dotyczące mieszkania, pracy lub warunków życia",
            "Wyślij zgłoszenie",
        ),
        (
            "uk",
            "Повідомте про зловживання щодо житла, роботи чи умов життя",
            "Надіслати повідомлення",
        ),
        ("bg", "Съобщете за злоупотреба с жилище, работа или условия на живот", "Изпрати сигнала"),
        ("nl", "Meld misstanden bij wonen, werk of leefomstandigheden", "Melding versturen"),
    ],
)
def test_the_public_form_speaks_the_client_language(client, reference, lang, heading, button):
    page = client.get(f"/report/{lang}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'<html lang="{lang}">' in html
    assert heading in html
    assert button in html
    assert "Log in" not in html  # a public page: no staff navigation


def test_all_twelve_client_languages_have_the_form_translated(client, reference):
    english = client.get("/report/en/").content.decode()
    for lang in ["nl", "pl", "ro", "bg", "hu", "lt", "lv", "sk", "pt", "es", "uk"]:
        html = client.get(f"/report/{lang}/").content.decode()
        assert "Report abuse in housing, work or living conditions" not in html, lang
        assert "Send report" not in html, lang
    assert "Send report" in english


def test_the_home_page_links_to_the_report_point(client, reference):
    assert 'href="/report/"' in client.get("/").content.decode()


def test_an_unknown_language_is_404(client, reference):
    assert client.get("/report/xx/").status_code == 404


def test_an_anonymous_report_in_ukrainian_gives_a_receipt_and_a_secret(client, reference):
    response = client.post("/report/uk/", FORM)
    assert response.status_code == 200
    html = response.content.decode()
    report = Report.objects.get()
    assert report.receipt_number in html
    assert "Дякуємо" in html  # the receipt page speaks Ukrainian
    assert report.language == "uk"
    assert report.channel == "web"
    assert report.reporter_name == report.reporter_contact == ""
    assert report.organisation.code == "intervention-team"  # the default handler
    assert report.due_date is not None
    assert response["Cache-Control"] == "private, no-store"
    # The secret is shown once and only its hash is stored.
    secret = html.split("<code>")[1].split("</code>")[0]
    assert len(secret) >= 16
    assert secret not in report.secret_hash
    assert not Report.objects.filter(description__contains=secret).exists()


def test_a_report_without_a_place_is_refused_with_a_translated_error(client, reference):
    response = client.post("/report/pl/", {**FORM, "address": ""})
    assert response.status_code == 400
    assert "Podaj, gdzie to się stało" in response.content.decode()
    assert not Report.objects.exists()


def _follow(client, number, secret, lang="en"):
    return client.post(
        f"/report/{lang}/status/", {"receipt_number": number, "secret": secret}
    ).content.decode()


def test_follow_up_with_the_secret_shows_the_status_and_nothing_else(client, reference):
    receipt = a_report()
    report_status_change(report=receipt.report, status=ReportStatus.IN_REVIEW, actor=None)
    html = _follow(client, receipt.receipt_number.lower(), receipt.secret)
    assert "In review" in html
    assert receipt.receipt_number in html
    for private in ["Voorbeeldstraat", "Example Housing", "Olena", "Ten people"]:
        assert private not in html


def test_a_wrong_secret_or_unknown_number_reveals_nothing(client, reference):
    receipt = a_report()
    # The last symbol changed for certain (typing is forgiving about case and O/0, I/L/1:
    # change it to another symbol of the alphabet).
    last = "2" if receipt.secret[-1] != "2" else "3"
    wrong = _follow(client, receipt.receipt_number, receipt.secret[:-1] + last)
    unknown = _follow(client, "M2000-99999", receipt.secret)
    no_secret = _follow(client, receipt.receipt_number, "")
    for html in (wrong, unknown):
        assert "No report matches this receipt number and secret code." in html
    for html in (wrong, unknown, no_secret):
        assert "Received on" not in html
        assert "Received</strong>" not in html
        assert receipt.secret not in html


def test_follow_up_in_bulgarian(client, reference):
    receipt = a_report()
    html = _follow(client, receipt.receipt_number, receipt.secret, lang="bg")
    assert "Получен" in html


def test_the_public_form_is_rate_limited_per_address(client, reference, settings):
    settings.REPORT_RATE_LIMIT = 2
    assert client.post("/report/en/", FORM).status_code == 200
    assert client.post("/report/en/", FORM).status_code == 200
    third = client.post("/report/en/", FORM)
    assert third.status_code == 429
    assert "Too many attempts" in third.content.decode()
    assert Report.objects.count() == 2
    # Another address is not held back.
    assert client.post("/report/en/", FORM, REMOTE_ADDR="10.1.2.3").status_code == 200
    # Behind one proxy, the client is the last X-Forwarded-For entry (core.net.client_ip).
    settings.NUM_PROXIES = 1
    behind = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    assert client.post("/report/en/", FORM, **behind).status_code == 200
    assert client.post("/report/en/", FORM, **behind).status_code == 200
    assert client.post("/report/en/", FORM, **behind).status_code == 429
    other = {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.10"}
    assert client.post("/report/en/", FORM, **other).status_code == 200
    cache.clear()


def test_guessing_secrets_is_rate_limited(client, reference, settings):
    settings.REPORT_STATUS_RATE_LIMIT = 3
    receipt = a_report()
    for _ in range(3):
        _follow(client, receipt.receipt_number, "guess")
    response = client.post(
        "/report/en/status/",
        {"receipt_number": receipt.receipt_number, "secret": receipt.secret},
    )
    assert response.status_code == 429
    assert "In review" not in response.content.decode()


def test_an_invalid_report_shows_an_error_summary_at_the_top(client, reference):
    """Every error of the submit in one list above the form (templates/partials/
    error_summary.html), in the page's language, each field's error linked to the field."""
    response = client.post("/report/pl/", {**FORM, "description": ""})
    assert response.status_code == 400
    html = response.content.decode()
    summary = html.index('id="error-summary"')
    assert "Popraw następujące elementy:" in html  # "Please correct the following:"
    assert summary < html.index('name="category"')  # before the first field
    listed = html[summary : html.index("</div>", summary)]
    assert 'href="#id_description"' in listed  # the empty description, linked
    # A refusal of the whole report (no place given) is listed there too, once.
    html = client.post("/report/pl/", {**FORM, "address": ""}).content.decode()
    summary = html.index('id="error-summary"')
    assert "Podaj, gdzie to się stało" in html[summary : html.index("</div>", summary)]
    assert html.count("Podaj, gdzie to się stało") == 1
    assert not Report.objects.exists()
