"""Staff and kiosk texts a Dutch user meets were shown in English: the kiosk pairing page, a
date that is not a date, an upload that is too large, a claim issue that raced another
(a makemessages run listed them as untranslated in the project's Dutch catalogue)."""

import pytest
from django.test import Client
from django.utils import translation

from core.dates import date_param
from core.exceptions import ValidationFailed

pytestmark = pytest.mark.django_db


def test_the_kiosk_pairing_page_speaks_dutch():
    page = Client().get("/kiosk/pair/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Deze kiosk koppelen" in page
    for english in ("Pair this kiosk", "Type the pairing code", "Open the display"):
        assert english not in page


@pytest.mark.parametrize(
    "english",
    [
        "The upload is too large.",
        "Claim lines were claimed by another issue at the same time; please try again.",
        "Set by the retention run; names and contact details are gone from then on.",
        "Deactivate the selected users (they cannot log in)",
    ],
)
def test_messages_have_their_dutch_text(english):
    with translation.override("nl"):
        assert translation.gettext(english) != english


def test_a_bad_date_is_refused_in_dutch():
    with translation.override("nl"), pytest.raises(ValidationFailed) as refused:
        date_param("31-02")
    assert str(refused.value.message) == "31-02 is geen datum (JJJJ-MM-DD)."
