"""With HTTPS on (DEBUG=0 defaults) every page is redirected, but the probes never are."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def https_only(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_a_load_balancer_probe_over_http_is_answered_not_redirected(client, https_only, path):
    response = client.get(path)
    assert response.status_code in (200, 503)  # readyz: 503 when no worker here; never 301
    assert "Location" not in response


def test_any_other_page_over_http_is_redirected_to_https(client, https_only):
    response = client.get("/accounts/login/")
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_behind_the_proxy_that_says_https_the_page_is_served(client, https_only):
    response = client.get("/accounts/login/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200


def _env_template() -> dict:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "deploy" / "bmip.env.template").read_text()
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line and line[0] != "#")
    return {k: v for k, v in pairs}


def test_the_deploy_environment_trusts_the_header_nginx_sets_so_https_does_not_loop():
    # DEBUG=0 turns the HTTPS redirect on; behind nginx's TLS Django must be told the request
    # was HTTPS, by the header nginx itself sets (and overwrites when a client sends it).
    from pathlib import Path

    env = _env_template()
    assert env["DEBUG"] == "0"
    header, value = env["SECURE_PROXY_SSL_HEADER"].split(",")
    assert (header, value) == ("HTTP_X_FORWARDED_PROTO", "https")
    site = (Path(__file__).resolve().parents[2] / "deploy/nginx/bmip.conf.template").read_text()
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in site
