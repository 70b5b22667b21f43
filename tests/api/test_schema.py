"""One schema: the committed docs/openapi.yaml is valid and is what the API serves."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings
from openapi_spec_validator import validate
from rest_framework.test import APIClient

from core.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

COMMITTED = Path(settings.BASE_DIR) / "docs" / "openapi.yaml"


def _committed():
    return yaml.safe_load(COMMITTED.read_text(encoding="utf-8"))


def test_committed_schema_is_valid_openapi():
    validate(_committed())


@pytest.mark.parametrize("language", [None, "nl", "en"])
def test_served_schema_is_the_committed_one_in_english(reference, language):
    api = APIClient()
    api.force_authenticate(factories.user(Role.COORDINATOR))
    headers = {"HTTP_ACCEPT_LANGUAGE": language} if language else {}
    res = api.get("/api/v1/schema/", **headers)
    assert res.status_code == 200
    assert yaml.safe_load(res.content) == _committed()


def test_schema_has_no_database_integer_ranges():
    text = COMMITTED.read_text(encoding="utf-8")
    for bound in ("2147483647", "9223372036854775807", "32767"):
        assert bound not in text


def test_api_docs_pages_use_no_cdn(reference):
    api = APIClient()
    api.force_login(factories.user(Role.COORDINATOR))  # the docs pages need a login
    for url in ("/api/v1/docs/", "/api/v1/redoc/"):
        page = api.get(url).content.decode()
        assert "drf_spectacular_sidecar" in page
        assert "cdn." not in page and "jsdelivr" not in page


def test_token_auth_and_its_401_are_documented_on_every_operation():
    schema = _committed()
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["tokenAuth"]["description"],
    }
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if {"tokenAuth": []} in operation.get("security", []):
                assert "401" in operation["responses"], (method, path)


def test_only_uploads_document_413():
    schema = _committed()
    with_413 = {
        (method, path)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "413" in operation["responses"]
    }
    assert with_413 == {("post", "/api/v1/group-bookings/upload/")}
