"""The active language does not leak from one test into the next (tests/conftest.py resets
it after each test). The two tests run in this order: the first switches to Dutch and leaves
it so; the second must start in the default language."""

from django.utils import translation


def test_a_test_that_switches_the_language_and_leaves_it_switched():
    translation.activate("nl")
    assert translation.get_language() == "nl"


def test_the_next_test_starts_in_the_default_language(settings):
    assert settings.LANGUAGE_CODE != "nl"
    assert translation.get_language() == settings.LANGUAGE_CODE
