import pytest
from django.core.exceptions import ImproperlyConfigured

from core.hooks import hook_paths, hooks_call

CALLS = []


def record_call(**kwargs):
    CALLS.append(kwargs)
    return len(CALLS)


HERE = f"{__name__}.record_call"


@pytest.fixture(autouse=True)
def _clear_calls():
    CALLS.clear()


def test_list_hooks_are_called_in_order_with_the_keyword_arguments(settings):
    settings.TEST_HOOKS = [HERE, HERE]
    assert hooks_call("TEST_HOOKS", x=1) == {HERE: 2}  # one result per path, the last
    assert CALLS == [{"x": 1}, {"x": 1}]


def test_event_hooks_call_only_the_hooks_of_the_event(settings):
    settings.TEST_HOOKS = {"done": [HERE], "undone": []}
    hooks_call("TEST_HOOKS", "undone", x=1)
    hooks_call("TEST_HOOKS", "unknown", x=1)
    assert CALLS == []
    hooks_call("TEST_HOOKS", "done", x=2)
    assert CALLS == [{"x": 2}]


def test_a_missing_setting_means_no_hooks(settings):
    assert hook_paths("NO_SUCH_HOOKS") == []
    assert hooks_call("NO_SUCH_HOOKS", "event", x=1) == {}


def test_misconfigured_hooks_are_loud(settings):
    settings.TEST_HOOKS = {"done": [HERE]}
    with pytest.raises(ImproperlyConfigured, match="name the event"):
        hooks_call("TEST_HOOKS")
    settings.TEST_HOOKS = [HERE]
    with pytest.raises(ImproperlyConfigured, match="has no event"):
        hooks_call("TEST_HOOKS", "done")
    settings.TEST_HOOKS = HERE
    with pytest.raises(ImproperlyConfigured, match="list of dotted paths"):
        hooks_call("TEST_HOOKS")
    settings.TEST_HOOKS = ["tests.core.test_hooks.no_such_function"]
    with pytest.raises(ImproperlyConfigured, match="TEST_HOOKS: cannot import"):
        hooks_call("TEST_HOOKS")
