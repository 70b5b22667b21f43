"""The API answers JSON only outside DEBUG: DRF's browsable API (an HTML page per endpoint)
failed axe-core (no lang on <html>, unnamed buttons, low contrast, a response box that scrolls
but cannot be focused at 390 px) and is a second, untested user interface with forms on every
endpoint. People read the API in Swagger UI and ReDoc (/api/v1/docs/, /api/v1/redoc/); with
DEBUG on, developers keep the browsable API."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from core.errors import CoreError
from core.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

PROJECT_DIR = Path(__file__).resolve().parents[2]
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture
def browser(reference):
    """A logged-in person's browser: the session cookie, the Accept header a browser sends."""
    web = Client(HTTP_ACCEPT=BROWSER_ACCEPT)
    web.force_login(factories.user(Role.COORDINATOR))
    return web


def test_a_browser_gets_json_not_the_browsable_api(browser):
    response = browser.get("/api/v1/counter/invoices/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"count", "next", "previous", "results"}


def test_html_only_is_not_acceptable_and_the_refusal_is_json(browser):
    response = browser.get("/api/v1/counter/invoices/", HTTP_ACCEPT="text/html")
    assert response.status_code == 406
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == CoreError.NOT_ACCEPTABLE


def test_the_api_docs_pages_are_still_html(browser):
    for url in ("/api/v1/docs/", "/api/v1/redoc/"):
        response = browser.get(url)
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/html"), url
    schema = browser.get("/api/v1/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200 and "paths" in schema.json()


@pytest.mark.parametrize("debug, browsable", [("1", True), ("0", False)])
def test_the_browsable_api_is_for_developers_only(debug, browsable):
    code = (
        "import json, bmip.settings as s;"
        "print(json.dumps(s.REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES']))"
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DEBUG": debug,
        "SECRET_KEY": "x" * 50,
        "EMAIL_BACKEND": "locmem",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT_DIR,
    )
    assert result.returncode == 0, result.stderr
    renderers = json.loads(result.stdout.strip().splitlines()[-1])
    assert renderers[0] == "rest_framework.renderers.JSONRenderer"
    assert ("rest_framework.renderers.BrowsableAPIRenderer" in renderers) is browsable
