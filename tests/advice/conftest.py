import pytest
from django.core.cache import cache

from advice.models import HandlingOrganisation
from advice.services.reports import handler_user_upsert
from core.roles import Role
from tests import factories as f


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path):
    """Attachments go to a throw-away folder; the rate limit starts from zero."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def team(db):
    return HandlingOrganisation.objects.get(code="intervention-team")


@pytest.fixture
def inspectorate(db):
    return HandlingOrganisation.objects.get(code="labour-inspectorate")


@pytest.fixture
def handler(reference, team):
    return handler_user_upsert(username="handler-team", password="pw-test-123", organisation=team)


@pytest.fixture
def other_handler(reference, inspectorate):
    return handler_user_upsert(
        username="handler-inspectorate", password="pw-test-123", organisation=inspectorate
    )


@pytest.fixture
def desk(reference):
    return f.location(cbs_code="GM0758")


@pytest.fixture
def officer(desk):
    return f.user(Role.OFFICER, location=desk)


@pytest.fixture
def coordinator(reference):
    return f.user(Role.COORDINATOR)
