"""A date written out for people (tickets, reminder e-mails): month names as the language
writes them in running text. Django's locale data gives some languages a capitalised
stand-alone month ("02 Декември 2026", "2 Decembrie 2026", "2 de Dezembro de 2026"); in those
languages, as in every language the desk serves except English, a month name is lowercase."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import translation

from core.dates import date_long

DAY = dt.date(2026, 12, 2)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("bg", "сряда, 02 декември 2026"),
        ("ro", "Miercuri, 2 decembrie 2026"),
        ("pt", "Quarta-feira, 2 de dezembro de 2026"),
        ("nl", "woensdag, 2 december 2026"),
        ("pl", "Środa, 2 grudnia 2026"),
        ("uk", "Середа, 02 грудня 2026 р."),
        ("en", "Wednesday, Dec. 2, 2026"),
    ],
)
def test_month_names_as_the_language_writes_them(language, expected):
    with translation.override(language):
        assert date_long(DAY) == expected


def test_english_keeps_its_capital_and_no_language_shows_a_capital_month():
    may = dt.date(2026, 5, 1)
    with translation.override("en"):
        assert date_long(may, weekday=False) == "May 1, 2026"
    for language, _name in settings.LANGUAGES:
        if language == "en":
            continue
        with translation.override(language):
            for day in (DAY, may):
                text = date_long(day, weekday=False)
                assert text == text.lower(), (language, text)


def test_a_moment_is_written_as_its_amsterdam_day():
    """Times are Europe/Amsterdam: 23:30 UTC on 1 December is already 2 December at the desk."""
    late_evening_utc = dt.datetime(2026, 12, 1, 23, 30, tzinfo=dt.UTC)
    with translation.override("nl"):
        assert date_long(late_evening_utc) == "woensdag, 2 december 2026"
    with translation.override("bg"):
        assert date_long(late_evening_utc, weekday=False) == "02 декември 2026"
