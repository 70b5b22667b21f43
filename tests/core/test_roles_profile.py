"""core.roles reads a user's StaffProfile with its tie in one query, once per user object."""

import pytest
from django.contrib.auth import get_user_model

from core.roles import Role, user_employer, user_location
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(reference):
    return factories.location()


def test_location_comes_with_the_profile_in_one_query(desk, django_assert_num_queries):
    officer = factories.user(Role.OFFICER, location=desk)
    fresh = get_user_model().objects.get(pk=officer.pk)
    with django_assert_num_queries(2):  # the groups (role check) and the profile + location
        assert user_location(fresh) == desk
    with django_assert_num_queries(0):  # kept on the user, as Django's accessor keeps it
        assert user_location(fresh) == desk
        assert fresh.bmip_profile.location == desk
        assert fresh.bmip_profile.user is fresh


def test_employer_comes_with_the_profile(django_assert_num_queries):
    employer = factories.employer()
    user = factories.user(Role.EMPLOYER, employer=employer)
    fresh = get_user_model().objects.get(pk=user.pk)
    with django_assert_num_queries(2):
        assert user_employer(fresh) == employer


def test_a_user_without_profile_has_no_location_and_asks_once(django_assert_num_queries):
    user = factories.plain_user()
    fresh = get_user_model().objects.get(pk=user.pk)
    with django_assert_num_queries(1):  # the profile (none); no role, so no tie either
        assert user_location(fresh) is None
        assert user_location(fresh) is None
