"""The database briefly away (restart, failover): 503 with Retry-After, never a 500."""

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from core.login import LoginView
from scheduling.api.views import AvailabilityView

pytestmark = pytest.mark.django_db


def _raise(exc):
    def view(*args, **kwargs):
        raise exc

    return view


@pytest.fixture
def web():
    # As a browser or API client sees it: the error page, not the exception.
    return Client(raise_request_exception=False)


def test_an_api_call_during_a_database_restart_gets_503_json_with_retry_after(
    web, monkeypatch, django_user_model
):
    user = django_user_model.objects.create_superuser("planner-db", password="x-1234-long")
    web.force_login(user)
    monkeypatch.setattr(AvailabilityView, "get", _raise(OperationalError("terminating connection")))
    response = web.get("/api/v1/availability/", headers={"Accept-Language": "en"})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    body = response.json()
    assert body["code"] == "unavailable"
    assert "try again" in body["detail"]
    assert "terminating" not in response.content.decode()  # no error text leaks


def test_a_page_during_a_database_restart_gets_a_503_page_with_retry_after(web, monkeypatch):
    monkeypatch.setattr(LoginView, "get", _raise(InterfaceError("connection already closed")))
    response = web.get("/accounts/login/", headers={"Accept-Language": "en"})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    assert "try again" in response.content.decode()
    assert "connection already closed" not in response.content.decode()


def test_any_other_error_is_still_a_500(web, monkeypatch):
    monkeypatch.setattr(LoginView, "get", _raise(RuntimeError("bug")))
    response = web.get("/accounts/login/")
    assert response.status_code == 500
    assert "Retry-After" not in response
