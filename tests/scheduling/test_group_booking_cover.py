"""The group cover sheet speaks the employer's language (the language he uses the portal in,
not always Dutch) and writes dates the way that language does."""

import io

import pypdf
import pytest
from django.test import Client as WebClient
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from core.roles import Role
from scheduling.models import GroupBooking
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(reference, next_monday):
    desk = f.location(counters={"Balie 1": ["brp", "rni"], "Balie 2": ["zvw"]})
    employer = f.employer()
    group = GroupBooking.objects.create(
        employer=employer, location=desk, date_from=next_monday, date_to=next_monday
    )
    f.appointment(
        loc=desk,
        start=f.aware(next_monday, 9),
        cl=f.client(first_name="Piotr", employer=employer, language="pl"),
        group_booking=group,
    )
    web = WebClient()
    web.force_login(f.user(Role.EMPLOYER, employer=employer))
    return web, group, next_monday


def _cover(web, group, **headers) -> str:
    try:
        response = web.get(reverse("scheduling:group-tickets", args=[group.reference]), **headers)
    finally:
        translation.activate("en")
    assert response["Content-Type"] == "application/pdf"
    page = pypdf.PdfReader(io.BytesIO(response.getvalue())).pages[0]
    return " ".join(page.extract_text().split())


@override_settings(LANGUAGE_CODE="nl")
def test_cover_in_english_for_an_english_speaking_employer(setup):
    web, group, day = setup
    cover = _cover(web, group, HTTP_ACCEPT_LANGUAGE="en")
    assert "Tickets for group booking" in cover
    with translation.override("en"):
        assert date_format(day, "l j F") in cover  # "Monday 7 December"
    assert "maandag" not in cover and "Mon " not in cover


@override_settings(LANGUAGE_CODE="nl")
def test_cover_in_dutch_with_dutch_dates(setup):
    web, group, day = setup
    web.cookies["django_language"] = "nl"
    cover = _cover(web, group, HTTP_ACCEPT_LANGUAGE="nl")
    with translation.override("nl"):
        assert date_format(day, "l j E") in cover  # "maandag 7 december", not "ma 7 Dec"
    assert "Dec " not in cover
    assert "Tickets for group booking" not in cover
