import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from bmip.env import database_config, envbool, envint

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _import_settings(env: dict) -> subprocess.CompletedProcess:
    """Import bmip.settings in a fresh interpreter with exactly ``env``."""
    return subprocess.run(
        [sys.executable, "-c", "import bmip.settings"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT_DIR,
    )


def test_default_database_is_sqlite_with_immediate_transactions(tmp_path):
    config = database_config("", base_dir=tmp_path, sqlite_timeout=20)
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == str(tmp_path / "db.sqlite3")
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert config["OPTIONS"]["timeout"] >= 5
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_postgres_url_is_parsed(tmp_path):
    config = database_config(
        "postgresql://postgres@127.0.0.1:5432/bmip", base_dir=tmp_path, sqlite_timeout=20
    )
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "bmip"
    assert config["HOST"] == "127.0.0.1"
    assert config["CONN_MAX_AGE"] == 0 and not config["CONN_HEALTH_CHECKS"]


def test_postgres_connections_are_kept_and_checked_when_asked(tmp_path):
    # One connection per request cost a new backend (and cold catalog caches) every time.
    config = database_config(
        "postgresql://postgres@127.0.0.1:5432/bmip",
        base_dir=tmp_path,
        sqlite_timeout=20,
        conn_max_age=60,
    )
    assert config["CONN_MAX_AGE"] == 60
    assert config["CONN_HEALTH_CHECKS"]  # a connection broken by a restart is replaced


@pytest.mark.parametrize(
    "url, fragment",
    [
        ("mysql://root@localhost/db", "must start with postgresql://"),
        ("nonsense", "must start with postgresql://"),
        ("postgresql://postgres@127.0.0.1:5432/", "needs a database name"),
    ],
)
def test_bad_database_url_gives_clear_error(tmp_path, url, fragment):
    with pytest.raises(ImproperlyConfigured, match=fragment):
        database_config(url, base_dir=tmp_path, sqlite_timeout=20)


def test_envbool_and_envint_are_loud(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        envbool("X_FLAG", False)
    monkeypatch.setenv("X_FLAG", "yes")
    assert envbool("X_FLAG", False) is True
    monkeypatch.setenv("X_NUM", "ten")
    with pytest.raises(ImproperlyConfigured, match="X_NUM"):
        envint("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "2")
    with pytest.raises(ImproperlyConfigured, match="at least 5"):
        envint("X_NUM", 10, minimum=5)


def test_settings_module_refuses_missing_secret_key_without_debug():
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "0", "SECRET_KEY": ""}
    result = _import_settings(env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_bad_database_url_stops_the_settings_module():
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "1", "DATABASE_URL": "mysql://x@y/z"}
    result = _import_settings(env)
    assert result.returncode != 0
    assert "DATABASE_URL must start with postgresql://" in result.stderr


def test_console_email_backend_is_refused_without_debug():
    """Finding 8: in production the console backend printed names, addresses and calendar
    files to stdout."""
    env = {"PATH": "/usr/bin:/bin", "DEBUG": "0", "SECRET_KEY": "x" * 50}
    result = _import_settings(env)
    assert result.returncode != 0
    assert "EMAIL_BACKEND=console is for development only" in result.stderr
    env["EMAIL_BACKEND"] = "smtp"
    ok = _import_settings(env)
    assert ok.returncode == 0, ok.stderr
