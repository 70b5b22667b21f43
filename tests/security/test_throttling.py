"""Throttling on the shared cache (finding 4, the API side): unauthenticated API requests per
address, authenticated ones per user, kiosk device endpoints per device, login posts per
address. A throttled request answers 429 ``{code: "throttled", detail}`` with Retry-After;
another address, user or device is not held up."""

import subprocess
import sys

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from rest_framework.test import APIClient

from core.apps import _cache_table_after_migrate
from core.net import client_ip
from core.roles import Role
from tests import factories
from tests.foundation.test_settings_env import PROJECT_DIR

pytestmark = pytest.mark.django_db

RATES_OFF = dict.fromkeys(("anon", "user", "kiosk_device", "login"))


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _rates(**rates):
    return override_settings(API_THROTTLE_RATES={**RATES_OFF, **rates})


def _assert_throttled(response):
    assert response.status_code == 429
    body = response.json()
    assert body["code"] == "throttled"
    assert body["detail"]
    assert int(response["Retry-After"]) >= 1


def test_anonymous_api_requests_are_throttled_per_address(reference):
    desk = factories.location(slug="throttle-desk")
    api = APIClient()
    url = f"/api/v1/display/{desk.slug}"
    with _rates(anon="3/min"):
        for _ in range(3):
            assert api.get(url, REMOTE_ADDR="198.51.100.1").status_code == 200
        _assert_throttled(api.get(url, REMOTE_ADDR="198.51.100.1"))
        # A made-up X-Forwarded-For does not make a new address (NUM_PROXIES=0).
        spoofed = api.get(url, REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="192.0.2.77")
        _assert_throttled(spoofed)
        assert api.get(url, REMOTE_ADDR="198.51.100.2").status_code == 200


def test_authenticated_api_requests_are_throttled_per_user(reference):
    first, second = APIClient(), APIClient()
    first.force_authenticate(factories.user(Role.COORDINATOR))
    second.force_authenticate(factories.user(Role.COORDINATOR))
    with _rates(user="2/min", anon="1/min"):
        assert first.get("/api/v1/counter/invoices/").status_code == 200
        assert first.get("/api/v1/counter/invoices/").status_code == 200
        _assert_throttled(first.get("/api/v1/counter/invoices/"))
        # Same address, another user: its own budget (and the anon rate does not apply).
        assert second.get("/api/v1/counter/invoices/").status_code == 200


def test_kiosk_endpoints_are_throttled_per_device(reference):
    desk = factories.location(slug="kiosk-throttle")
    first, second = APIClient(), APIClient()
    factories.pair_client(first, desk)
    factories.pair_client(second, desk)
    body = {"location": desk.slug, "booking_code": "NOPE2345"}
    with _rates(kiosk_device="2/min"):
        for _ in range(2):
            r = first.post("/api/v1/kiosk/check-in", body, format="json")
            assert r.status_code != 429
        _assert_throttled(first.post("/api/v1/kiosk/check-in", body, format="json"))
        walk_in = {"location": desk.slug, "services": ["brp"]}
        _assert_throttled(first.post("/api/v1/kiosk/walk-in", walk_in, format="json"))
        # Another kiosk on the same network still checks people in.
        assert second.post("/api/v1/kiosk/check-in", body, format="json").status_code != 429


def test_login_posts_are_throttled_per_address(reference):
    api = APIClient()
    with _rates(login="3/min"):
        for n in range(3):
            r = api.post(
                "/accounts/login/",
                {"username": f"user{n}", "password": "guess"},
                REMOTE_ADDR="198.51.100.5",
            )
            assert r.status_code == 200
        r = api.post(
            "/accounts/login/",
            {"username": "user9", "password": "guess"},
            REMOTE_ADDR="198.51.100.5",
        )
        assert r.status_code == 429
        assert int(r["Retry-After"]) >= 1
        assert "Too many logins were tried from this network" in r.content.decode()
        # The form itself still shows; another address may post.
        assert api.get("/accounts/login/", REMOTE_ADDR="198.51.100.5").status_code == 200
        other = api.post(
            "/accounts/login/",
            {"username": "user9", "password": "guess"},
            REMOTE_ADDR="198.51.100.6",
        )
        assert other.status_code == 200


def test_the_throttled_answer_is_translated(reference):
    desk = factories.location(slug="throttle-nl")
    api = APIClient()
    with _rates(anon="1/min"):
        api.get(f"/api/v1/display/{desk.slug}")
        r = api.get(f"/api/v1/display/{desk.slug}", HTTP_ACCEPT_LANGUAGE="nl")
    _assert_throttled(r)
    assert "throttled" not in r.json()["detail"].lower()


def test_the_database_cache_table_exists_after_migrate():
    table = "bmip_cache_test"
    db_cache = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": table}
    }
    with override_settings(CACHES=db_cache):
        _cache_table_after_migrate(using="default", verbosity=0)
        assert table in connection.introspection.table_names()
        from django.core.cache import caches

        shared = caches.create_connection("default")
        shared.set("throttle_probe", [1, 2], 60)
        assert shared.get("throttle_probe") == [1, 2]


def _cache_backend(env: dict) -> str:
    code = "import bmip.settings as s; print(s.CACHES['default']['BACKEND'])"
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1", **env},
        capture_output=True,
        text=True,
        check=True,
        cwd=PROJECT_DIR,
    )
    return result.stdout.strip()


def test_cache_is_redis_with_redis_url_and_the_database_otherwise():
    assert _cache_backend({}) == "django.core.cache.backends.db.DatabaseCache"
    redis = _cache_backend({"REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert redis == "django.core.cache.backends.redis.RedisCache"


def test_a_bad_rate_stops_start_up():
    result = subprocess.run(
        [sys.executable, "-c", "import bmip.settings"],
        env={"PATH": "/usr/bin:/bin", "DEBUG": "1", "THROTTLE_USER": "lots"},
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT_DIR,
    )
    assert result.returncode != 0
    assert "THROTTLE_USER='lots' is not a rate" in result.stderr


class _Request:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


def test_client_address_behind_proxies():
    request = _Request("10.0.0.1", "6.6.6.6, 203.0.113.4")
    with override_settings(NUM_PROXIES=0):
        assert client_ip(request) == "10.0.0.1"  # the header is not trusted
    with override_settings(NUM_PROXIES=1):
        assert client_ip(request) == "203.0.113.4"  # what our proxy saw; 6.6.6.6 was sent
        assert client_ip(_Request("10.0.0.1")) == "10.0.0.1"
    with override_settings(NUM_PROXIES=2):
        assert client_ip(request) == "6.6.6.6"


def test_the_schema_documents_429_with_retry_after():
    import yaml

    schema = yaml.safe_load((PROJECT_DIR / "docs" / "openapi.yaml").read_text())
    for path in ("/api/v1/kiosk/check-in", "/api/v1/kiosk/walk-in"):
        answer = schema["paths"][path]["post"]["responses"]["429"]
        assert "Retry-After" in answer["headers"]
        assert answer["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
    assert "429" in schema["paths"]["/api/v1/counter/invoices/"]["get"]["responses"]
