"""Finding 8: `check --deploy` with production values reported missing HSTS, SSL redirect and
secure session and CSRF cookies. Now it reports nothing; the demo and tests keep plain HTTP."""

import json
import secrets
import subprocess
import sys

from tests.foundation.test_settings_env import PROJECT_DIR

PRODUCTION = {
    "PATH": "/usr/bin:/bin",
    "DEBUG": "0",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "bmip.example.nl",
    "CSRF_TRUSTED_ORIGINS": "https://bmip.example.nl",
    "EMAIL_BACKEND": "smtp",
    "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
}
NAMES = [
    "SECURE_SSL_REDIRECT",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_PROXY_SSL_HEADER",
]


def _run(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT_DIR,
        timeout=120,
    )


def _settings(env: dict) -> dict:
    code = f"import json, bmip.settings as s; print(json.dumps({{n: getattr(s, n) for n in {NAMES!r}}}))"
    result = _run(["-c", code], env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_check_deploy_with_production_values_reports_nothing():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_defaults():
    values = _settings(PRODUCTION)
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] == 365 * 24 * 3600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_the_demo_keeps_plain_http():
    values = _settings({"PATH": "/usr/bin:/bin", "DEBUG": "1"})
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SESSION_COOKIE_SECURE"] is False and values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SECURE_PROXY_SSL_HEADER"] is None


def test_a_bad_proxy_ssl_header_stops_start_up():
    env = {**PRODUCTION, "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"}
    result = _run(["-c", "import bmip.settings"], env)
    assert result.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER must be HEADER,value" in result.stderr


def test_https_redirect_and_the_proxy_header(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = client.get("/accounts/login/")
    assert plain.status_code == 301 and plain["Location"].startswith("https://")
    proxied = client.get("/accounts/login/", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200
