"""Finding 4: no brute-force protection (50 wrong passwords, then the right one worked).

Now django-axes counts failed logins per user name AND client address: after
AXES_FAILURE_LIMIT failures that pair is refused (429, the lockout page) until the cool-off
has passed; the same user name from another address (another desk) still logs in."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _post(client, password, *, ip="10.1.1.1", username="desk1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def desk_user():
    return factories.plain_user("desk1")


def test_lockout_is_on_in_the_test_settings():
    assert settings.AXES_ENABLED
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_wrong_passwords_then_the_right_one_is_refused(desk_user):
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    for n in range(limit - 1):
        response = _post(client, f"wrong-{n}")
        assert response.status_code == 200  # the form again, with its error
    response = _post(client, "wrong-last")
    assert response.status_code == 429
    response = _post(client, "pw-test-123")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert response["Retry-After"] == str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    body = response.content.decode()
    assert "Too many login attempts" in body
    assert 'class="site"' in body  # the site layout
    assert "desk1" not in body and "10.1.1.1" not in body


def test_the_lockout_page_is_translated(desk_user):
    client = Client(HTTP_ACCEPT_LANGUAGE="nl")
    for n in range(settings.AXES_FAILURE_LIMIT):
        response = _post(client, f"wrong-{n}")
    assert response.status_code == 429
    assert "Te veel inlogpogingen" in response.content.decode()


def test_same_user_name_from_another_address_still_logs_in(desk_user):
    attacker = Client()
    for n in range(settings.AXES_FAILURE_LIMIT + 3):
        _post(attacker, f"wrong-{n}", ip="203.0.113.9")
    assert _post(attacker, "pw-test-123", ip="203.0.113.9").status_code == 429
    desk = Client()
    response = _post(desk, "pw-test-123", ip="10.1.1.2")
    assert response.status_code == 302
    assert desk.session["_auth_user_id"] == str(desk_user.pk)


def test_other_users_on_the_same_network_are_not_locked_out(desk_user):
    colleague = factories.plain_user("desk2")
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT + 1):
        _post(client, f"wrong-{n}")
    response = _post(Client(), "pw-test-123", username="desk2")
    assert response.status_code == 302
    assert colleague.pk


def test_after_the_cool_off_the_right_password_works(desk_user):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = Client()
        for n in range(settings.AXES_FAILURE_LIMIT):
            _post(client, f"wrong-{n}")
        assert _post(client, "pw-test-123").status_code == 429
        clock.shift(settings.AXES_COOLOFF_TIME - dt.timedelta(seconds=30))
        assert _post(client, "pw-test-123").status_code == 429
        clock.shift(dt.timedelta(minutes=1) + settings.AXES_COOLOFF_TIME)
        response = _post(client, "pw-test-123")
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(desk_user.pk)


def test_a_successful_login_resets_the_count(desk_user):
    client = Client()
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        _post(client, f"wrong-{n}")
    assert _post(client, "pw-test-123").status_code == 302
    client.logout()
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _post(client, f"again-{n}").status_code == 200
    assert _post(client, "pw-test-123").status_code == 302
