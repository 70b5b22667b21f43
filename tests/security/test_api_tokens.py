"""API tokens for machine clients: made on the tokens page and shown once, stored hashed,
scoped to the user's tie like a session, revocable, expiring, with a last-used time; never a
way into the HTML pages."""

import datetime as dt

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.errors import CoreError
from core.models import ApiToken, AuditLogEntry
from core.roles import Role
from core.tokens import api_token_authenticate, api_token_create, api_token_revoke
from scheduling.models import GroupBooking
from tests import factories

pytestmark = pytest.mark.django_db

GROUPS = "/api/v1/group-bookings/"


def _bearer(key: str, keyword: str = "Bearer") -> APIClient:
    api = APIClient(enforce_csrf_checks=True)
    api.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return api


def _group(employer):
    day = timezone.localdate() + dt.timedelta(days=7)
    return GroupBooking.objects.create(
        employer=employer, location=factories.location(), date_from=day, date_to=day
    )


@pytest.fixture
def hr(reference):
    """An employer's user, a group of that employer and a group of another employer."""
    employer = factories.employer()
    user = factories.user(Role.EMPLOYER, username="hr", employer=employer)
    return user, _group(employer), _group(factories.employer())


def _make_on_page(client, user, name="HR system", expires_on=""):
    client.force_login(user)
    response = client.post(reverse("core:tokens"), {"name": name, "expires_on": expires_on})
    assert response.status_code == 200
    return response


def test_the_key_is_shown_once_and_only_its_hash_is_stored(client, hr):
    user, _own, _other = hr
    response = _make_on_page(client, user)
    key = response.context["key"]
    assert key.startswith("bmip_") and len(key) >= 40
    assert key in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    # Only the hash is in the database: no column of any row holds the key.
    token = ApiToken.objects.get(user=user)
    assert token.prefix == key[:13] and token.key_hash != key
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM core_apitoken")
        assert not any(key in str(value) for row in cursor.fetchall() for value in row)
    # The page never shows it again: the list shows the prefix only.
    page = client.get(reverse("core:tokens")).content.decode()
    assert key not in page and token.prefix in page
    assert AuditLogEntry.objects.filter(action="core.api_token_created").count() == 1


def test_a_token_sees_exactly_what_its_employer_sees(hr):
    user, own, other = hr
    _token, key = api_token_create(user=user, name="HR")
    for keyword in ("Bearer", "Token"):
        api = _bearer(key, keyword)
        listed = api.get(GROUPS)
        assert listed.status_code == 200
        references = {row["reference"] for row in listed.json()["results"]}
        assert references == {own.reference}
        assert api.get(f"{GROUPS}{own.reference}/").status_code == 200
        # Another employer's group: 404, as for the session.
        assert api.get(f"{GROUPS}{other.reference}/").status_code == 404


def test_a_token_needs_no_csrf_token_for_writes(hr):
    user, own, _other = hr
    _token, key = api_token_create(user=user, name="HR")
    response = _bearer(key).post(f"{GROUPS}{own.reference}/cancel/", {}, format="json")
    assert response.status_code != 403  # the service answers (409/200), not the CSRF check


def test_a_revoked_token_gets_401(hr):
    user, _own, _other = hr
    token, key = api_token_create(user=user, name="HR")
    assert _bearer(key).get(GROUPS).status_code == 200
    api_token_revoke(token=token, actor=user)
    response = _bearer(key).get(GROUPS)
    assert response.status_code == 401
    assert response.json()["code"] == CoreError.TOKEN_REVOKED
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoking_on_the_page_asks_first_then_stops_the_token(client, hr):
    user, _own, _other = hr
    token, key = api_token_create(user=user, name="HR")
    client.force_login(user)
    url = reverse("core:token-revoke", args=[token.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "HR" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None  # asking changes nothing
    assert client.post(url).status_code == 302
    assert _bearer(key).get(GROUPS).status_code == 401
    assert AuditLogEntry.objects.filter(action="core.api_token_revoked").count() == 1


def test_nobody_revokes_another_users_token(client, hr):
    user, _own, _other = hr
    token, key = api_token_create(user=user, name="HR")
    stranger = factories.user(Role.EMPLOYER, employer=factories.employer())
    client.force_login(stranger)
    assert client.post(reverse("core:token-revoke", args=[token.pk])).status_code == 404
    assert _bearer(key).get(GROUPS).status_code == 200


def test_an_expired_token_gets_401(hr):
    user, _own, _other = hr
    now = timezone.now()
    _token, key = api_token_create(user=user, name="HR", expires_at=now + dt.timedelta(hours=1))
    assert _bearer(key).get(GROUPS).status_code == 200
    with pytest.raises(Exception) as refused:
        api_token_authenticate(key=key, now=now + dt.timedelta(hours=2))
    assert refused.value.code == CoreError.TOKEN_EXPIRED
    ApiToken.objects.update(expires_at=now - dt.timedelta(seconds=1))
    response = _bearer(key).get(GROUPS)
    assert response.status_code == 401
    assert response.json()["code"] == CoreError.TOKEN_EXPIRED


def test_an_expiry_date_on_the_page_lasts_all_of_that_day(client, hr):
    user, _own, _other = hr
    today = timezone.localdate()
    _make_on_page(client, user, expires_on=today.isoformat())
    token = ApiToken.objects.get(user=user)
    assert timezone.localtime(token.expires_at).date() == today + dt.timedelta(days=1)
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    response = _make_on_page(client, user, name="late", expires_on=yesterday)
    assert response.context["key"] is None and response.context["form"].errors
    assert ApiToken.objects.filter(user=user).count() == 1


def test_a_deactivated_user_or_unknown_key_gets_401(hr):
    user, _own, _other = hr
    _token, key = api_token_create(user=user, name="HR")
    user.is_active = False
    user.save()
    response = _bearer(key).get(GROUPS)
    assert (response.status_code, response.json()["code"]) == (401, CoreError.TOKEN_USER_INACTIVE)
    unknown = _bearer("bmip_" + "x" * 43).get(GROUPS)
    assert (unknown.status_code, unknown.json()["code"]) == (401, CoreError.TOKEN_INVALID)
    assert set(unknown.json()) <= {"code", "detail", "errors"}


def test_last_used_is_written_at_most_once_a_minute(hr):
    user, _own, _other = hr
    token, key = api_token_create(user=user, name="HR")
    assert token.last_used_at is None
    now = timezone.now()
    api_token_authenticate(key=key, now=now)
    token.refresh_from_db()
    assert token.last_used_at == now
    api_token_authenticate(key=key, now=now + dt.timedelta(seconds=30))
    token.refresh_from_db()
    assert token.last_used_at == now  # not written again within the minute
    api_token_authenticate(key=key, now=now + dt.timedelta(minutes=2))
    token.refresh_from_db()
    assert token.last_used_at == now + dt.timedelta(minutes=2)
    fresh, fresh_key = api_token_create(user=user, name="HR 2")
    _bearer(fresh_key).get(GROUPS)  # a real request marks the token used
    fresh.refresh_from_db()
    assert fresh.last_used_at is not None


@pytest.mark.parametrize("role", [Role.RECEPTIONIST, Role.OFFICER])
def test_desk_staff_may_not_make_tokens(client, reference, role):
    staff = factories.user(role, location=factories.location())
    client.force_login(staff)
    assert client.get(reverse("core:tokens")).status_code == 403
    assert client.post(reverse("core:tokens"), {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("role", [Role.EMPLOYER, Role.MUNICIPALITY, Role.COORDINATOR])
def test_the_token_roles_see_the_page_in_their_menu(client, reference, role):
    tie = {
        Role.EMPLOYER: {"employer": factories.employer()},
        Role.MUNICIPALITY: {"municipality": factories.municipality()},
        Role.COORDINATOR: {},
    }[role]
    client.force_login(factories.user(role, **tie))
    page = client.get(reverse("home")).content.decode()
    assert reverse("core:tokens") in page
    assert client.get(reverse("core:tokens")).status_code == 200


def test_a_token_of_a_user_who_lost_the_role_stops_working(hr):
    from scheduling.services.staff import staff_user_upsert

    user, _own, _other = hr
    _token, key = api_token_create(user=user, name="HR")
    staff_user_upsert(
        username="hr", password="pw-test-123", role=Role.RECEPTIONIST, location=factories.location()
    )
    response = _bearer(key).get(GROUPS)
    assert (response.status_code, response.json()["code"]) == (
        401,
        CoreError.TOKEN_ROLE_NOT_ALLOWED,
    )


def test_a_token_does_not_open_html_pages(client, hr):
    user, own, _other = hr
    _token, key = api_token_create(user=user, name="HR")
    for url in [
        reverse("scheduling:portal"),
        reverse("scheduling:portal-group", args=[own.reference]),
        reverse("core:tokens"),
    ]:
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_without_credentials_the_api_still_answers_403(reference):
    response = APIClient().get(GROUPS)
    assert response.status_code == 403
    assert response.json()["code"] == CoreError.NOT_AUTHENTICATED


def test_the_tokens_page_speaks_dutch(client, hr):
    user, _own, _other = hr
    client.force_login(user)
    page = client.get(reverse("core:tokens"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Uw tokens" in page and "Token maken" in page
    refused = _bearer("bmip_unknown").get(GROUPS, HTTP_ACCEPT_LANGUAGE="nl")
    assert refused.json()["detail"] == "Dit API-token is niet geldig."


def test_a_coordinator_revokes_any_token_in_the_admin(client, hr):
    user, _own, _other = hr
    token, key = api_token_create(user=user, name="HR")
    client.force_login(factories.user(Role.COORDINATOR, username="boss"))
    listing = client.get("/admin/core/apitoken/")
    assert listing.status_code == 200 and token.prefix in listing.content.decode()
    client.post(
        "/admin/core/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert _bearer(key).get(GROUPS).status_code == 401
