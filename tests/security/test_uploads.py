"""Finding 6: uploads had no size limit (a 19.5 MB roster was parsed whole). A body over
UPLOAD_MAX_BYTES is refused with 413 before it is parsed, in the portal and the API."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from core.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

TWENTY_MB = 20 * 1024 * 1024


def _roster(size: int) -> SimpleUploadedFile:
    header = b"first_name,last_name,birth_date,nationality,expected_stay_months,municipality_of_residence\\n"
    row = b"Anna,Kis,1993-04-04,HU,6,GM0826\\n"
    return SimpleUploadedFile(
        "roster.csv", header + row * (size // len(row)), content_type="text/csv"
    )


def test_api_refuses_a_20_mb_roster_with_413_before_parsing(reference):
    employer = factories.employer()
    api = APIClient()
    api.force_authenticate(factories.user(Role.EMPLOYER, employer=employer))
    started = time.perf_counter()
    response = api.post(
        "/api/v1/group-bookings/upload/", {"file": _roster(TWENTY_MB)}, format="multipart"
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 413
    assert response.json()["code"] == "upload_too_large"
    print(f"20 MB roster refused (API, test client) in {elapsed * 1000:.0f} ms")  # noqa: T201


def test_portal_refuses_a_20_mb_roster_with_413(client, reference):
    employer = factories.employer()
    client.force_login(factories.user(Role.EMPLOYER, employer=employer))
    started = time.perf_counter()
    response = client.post("/scheduling/portal/group-bookings/new/", {"roster": _roster(TWENTY_MB)})
    elapsed = time.perf_counter() - started
    assert response.status_code == 413
    assert "MB" in response.content.decode()
    print(f"20 MB roster refused (portal, test client) in {elapsed * 1000:.0f} ms")  # noqa: T201
