"""Dotted-path hooks: how a lower app reaches a higher one without importing it.

A hook setting names functions by their dotted path, either as a list (``RETENTION_PURGERS``,
``DEMO_SEEDERS``) or as a dict of lists per event (``RECORD_HOOKS``). The lower app calls
``hooks_call(setting_name[, event], **kwargs)``; each function is imported when it is called
and receives the keyword arguments. A hook runs in the caller's transaction, so an exception
in a hook rolls the caller's change back. A missing setting means no hooks.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


def hook_paths(setting_name: str, event: str | None = None, /) -> list[str]:
    """The dotted paths listed in ``settings.<setting_name>`` (for ``event`` if a dict)."""
    value = getattr(settings, setting_name, None)
    if value is None:
        return []
    if isinstance(value, dict):
        if event is None:
            raise ImproperlyConfigured(f"{setting_name} is a dict of events: name the event.")
        value = value.get(event, [])
    elif event is not None:
        raise ImproperlyConfigured(f"{setting_name} is a list: it has no event {event!r}.")
    if not isinstance(value, list | tuple) or not all(isinstance(p, str) for p in value):
        where = f"{setting_name}[{event!r}]" if event else setting_name
        raise ImproperlyConfigured(f"{where} must be a list of dotted paths.")
    return list(value)


def hook_load(setting_name: str, dotted: str) -> Callable:
    try:
        return import_string(dotted)
    except ImportError as exc:
        raise ImproperlyConfigured(f"{setting_name}: cannot import {dotted!r} ({exc}).") from exc


def hooks_call(setting_name: str, event: str | None = None, /, **kwargs) -> dict[str, Any]:
    """Call every hook of ``setting_name`` (and ``event``) in order with ``kwargs``;
    returns each hook's result by its dotted path."""
    return {
        dotted: hook_load(setting_name, dotted)(**kwargs)
        for dotted in hook_paths(setting_name, event)
    }
