"""Branded error pages: 403, 404 and 500 in the site's layout and the user's language."""

import pytest
from django.contrib import admin
from django.template.loader import render_to_string
from django.test import override_settings
from django.utils import translation

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_404_page_is_branded_and_translated(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="nl")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Pagina niet gevonden" in html and "Brabants Migratie Informatiepunt" in html
    assert 'class="card error-page"' in html and "Not Found" not in html
    english = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Page not found" in english


def test_403_and_500_templates_render_in_the_layout(rf):
    request = rf.get("/counter/tariffs/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with translation.override("en"):
        assert "No access" in render_to_string("403.html", request=request)
        html = render_to_string("500.html")  # Django renders it without a request
    assert "Something went wrong" in html and "Brabant Migration Information Point" in html
    with translation.override("nl"):
        assert "Er ging iets mis" in render_to_string("500.html")


def test_admin_is_branded():
    assert admin.site.site_header == "BMIP administration"
