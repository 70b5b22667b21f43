"""Finding 4 (partly): HTTP Basic auth is gone from the API (it let a password be tried on
every request, outside any lockout); staff sessions end after a working day."""

import base64

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from core.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db


def test_http_basic_auth_no_longer_logs_in(reference):
    employer = factories.employer()
    factories.user(Role.EMPLOYER, username="hr", employer=employer)
    api = APIClient()
    for password in ["wrong-1", "wrong-2", "pw-test-123"]:
        credentials = base64.b64encode(f"hr:{password}".encode()).decode()
        response = api.get("/api/v1/group-bookings/", HTTP_AUTHORIZATION=f"Basic {credentials}")
        assert response.status_code == 403  # the right password does not help either
    assert "WWW-Authenticate" not in response


def test_staff_sessions_last_a_working_day():
    assert settings.SESSION_COOKIE_AGE == 10 * 3600
