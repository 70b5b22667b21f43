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
