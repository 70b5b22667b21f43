"""Small, loud helpers to read settings from the environment (healthchecks style)."""

import os
import re

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def envstr(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def envbool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no).")


def envint(name: str, default: int, *, minimum: int | None = None) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


def envfloat(name: str, default: float, *, minimum: float | None = None) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number.") from exc
    if minimum is not None and value < minimum:
        raise ImproperlyConfigured(f"{name}={value} must be at least {minimum}.")
    return value


def envlist(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


_RATE = re.compile(r"^[1-9][0-9]*/(s|sec|m|min|h|hour|d|day)$")


def envrate(name: str, default: str) -> str | None:
    """A throttle rate such as ``60/min``; ``off`` (or empty) is None: no throttle."""
    raw = os.environ.get(name, default).strip().lower()
    if raw in {"", "off", "none", "0"}:
        return None
    if not _RATE.match(raw):
        raise ImproperlyConfigured(
            f"{name}={raw!r} is not a rate (use e.g. 60/min, 10/s, 1000/hour, 5000/day, or off)."
        )
    return raw


def database_config(url: str, *, base_dir, sqlite_timeout: int, conn_max_age: int = 0) -> dict:
    """Turn DATABASE_URL into a DATABASES['default'] entry.

    Empty: a SQLite file in the project folder, in IMMEDIATE transaction mode with WAL and a
    busy timeout, so concurrent writers queue instead of failing with "database is locked".
    """
    import dj_database_url

    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(base_dir / "db.sqlite3"),
            "OPTIONS": _sqlite_options(sqlite_timeout),
        }
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in {"postgres", "postgresql", "pgsql", "sqlite"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL must start with postgresql:// or sqlite:///, got scheme {scheme!r}."
        )
    try:
        config = dj_database_url.parse(url, conn_max_age=0)
    except Exception as exc:  # noqa: BLE001 - re-raised as a clear configuration error
        raise ImproperlyConfigured(f"DATABASE_URL could not be parsed: {exc}") from exc
    if config["ENGINE"] == "django.db.backends.sqlite3":
        if not config.get("NAME"):
            raise ImproperlyConfigured("DATABASE_URL for SQLite needs a file path.")
        config["OPTIONS"] = _sqlite_options(sqlite_timeout)
    elif not config.get("NAME"):
        raise ImproperlyConfigured("DATABASE_URL for PostgreSQL needs a database name.")
    else:
        # PostgreSQL: keep a worker's connection for conn_max_age seconds instead of opening
        # one per request (a new backend process and cold catalog caches cost ~100 ms of a
        # call-next under load); checked before each request's first query, so a connection
        # broken by a database restart is replaced, not reused.
        config["CONN_MAX_AGE"] = conn_max_age
        config["CONN_HEALTH_CHECKS"] = conn_max_age > 0
    return config


def _sqlite_options(timeout: int) -> dict:
    return {
        "transaction_mode": "IMMEDIATE",
        "timeout": timeout,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
