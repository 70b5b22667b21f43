"""Request ids, JSON logs, the gunicorn config and the runtime settings."""

import importlib.util
import json
import logging
import subprocess
import sys
from pathlib import Path

import pytest

from core.requestid import JsonFormatter, RequestIdFilter, request_id_var

PROJECT_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_every_response_carries_a_request_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]
    assert len(first) == 32 and first != second


@pytest.mark.django_db
def test_the_proxys_request_id_is_echoed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "nginx-4f2a9c0d11"})
    assert response["X-Request-ID"] == "nginx-4f2a9c0d11"


@pytest.mark.django_db
def test_a_request_id_with_odd_characters_is_replaced(client):
    response = client.get("/healthz", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert "<" not in response["X-Request-ID"] and len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_log_lines_during_a_request_carry_its_id(client, caplog, settings):
    logging.getLogger("bmip.request").setLevel(logging.INFO)
    caplog.handler.addFilter(RequestIdFilter())
    try:
        with caplog.at_level(logging.INFO, logger="bmip.request"):
            client.get("/healthz", headers={"X-Request-ID": "abc12345xyz"})
    finally:
        logging.getLogger("bmip.request").setLevel(logging.WARNING)
    line = next(r for r in caplog.records if r.name == "bmip.request")
    assert line.request_id == "abc12345xyz"
    assert line.status == 200 and line.path == "/healthz"
    assert request_id_var.get() == "-"  # reset after the request


def test_json_log_format_is_one_object_per_line_with_request_id():
    record = logging.makeLogRecord(
        {"name": "scheduling", "levelname": "WARNING", "msg": "slot %s taken", "args": (7,)}
    )
    record.status = 409
    token = request_id_var.set("req-0001abcd")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "slot 7 taken"
    assert entry["level"] == "WARNING" and entry["logger"] == "scheduling"
    assert entry["request_id"] == "req-0001abcd"
    assert entry["status"] == 409
    assert entry["time"].endswith("+00:00")


def test_json_log_includes_the_traceback():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.makeLogRecord({"msg": "failed", "exc_info": sys.exc_info()})
    entry = json.loads(JsonFormatter().format(record))
    assert "ValueError: boom" in entry["exc_info"]


def _settings_in_fresh_interpreter(env: dict, expr: str) -> subprocess.CompletedProcess:
    base = {"PATH": "/usr/bin:/bin", "SECRET_KEY": "x", "EMAIL_BACKEND": "locmem"}
    return subprocess.run(
        [sys.executable, "-c", f"import bmip.settings as s; print({expr})"],
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
        cwd=PROJECT_DIR,
    )


def test_redis_url_selects_the_redis_broker():
    result = _settings_in_fresh_interpreter(
        {"REDIS_URL": "redis://127.0.0.1:6379/3"},
        "s.Q_CLUSTER.get('redis'), 'orm' in s.Q_CLUSTER",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "redis://127.0.0.1:6379/3 False"


def test_without_redis_url_the_orm_broker_is_used():
    result = _settings_in_fresh_interpreter({}, "s.Q_CLUSTER.get('orm'), 'redis' in s.Q_CLUSTER")
    assert result.stdout.strip() == "default False", result.stderr


def test_task_retry_must_be_longer_than_its_timeout():
    result = _settings_in_fresh_interpreter({"Q_TIMEOUT_S": "300", "Q_RETRY_S": "300"}, "1")
    assert result.returncode != 0
    assert "Q_RETRY_S=300 must be longer than Q_TIMEOUT_S=300" in result.stderr


def test_queue_settings_are_bounded_and_the_scheduler_can_be_switched_off():
    result = _settings_in_fresh_interpreter(
        {"Q_SCHEDULER": "0"},
        "s.Q_CLUSTER['timeout'] < s.Q_CLUSTER['retry'], s.Q_CLUSTER['max_attempts'], "
        "s.Q_CLUSTER['catch_up'], s.Q_CLUSTER['scheduler']",
    )
    assert result.stdout.strip() == "True 3 False False", result.stderr


def test_static_manifest_switches_to_compressed_hashed_files():
    result = _settings_in_fresh_interpreter(
        {"STATIC_MANIFEST": "1"}, "s.STORAGES['staticfiles']['BACKEND']"
    )
    assert result.stdout.strip() == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_unknown_log_format_is_refused():
    result = _settings_in_fresh_interpreter({"LOG_FORMAT": "xml"}, "1")
    assert result.returncode != 0 and "LOG_FORMAT='xml'" in result.stderr


def _gunicorn_config(monkeypatch, **env):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("gconf", PROJECT_DIR / "deploy/gunicorn.conf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gunicorn_config_takes_workers_threads_timeout_from_the_environment(monkeypatch):
    conf = _gunicorn_config(
        monkeypatch, WEB_WORKERS="3", WEB_THREADS="4", WEB_TIMEOUT="45", WEB_BIND="127.0.0.1:8100"
    )
    assert (conf.workers, conf.threads, conf.worker_class) == (3, 4, "gthread")
    assert conf.timeout == 45 and conf.bind == "127.0.0.1:8100"


def test_gunicorn_config_defaults(monkeypatch):
    for name in ("WEB_WORKERS", "WEB_THREADS", "WEB_TIMEOUT", "WEB_BIND"):
        monkeypatch.delenv(name, raising=False)
    conf = _gunicorn_config(monkeypatch)
    assert conf.workers >= 3 and conf.worker_class == "sync" and conf.timeout == 30
    assert conf.bind == "127.0.0.1:8000"


def test_gunicorn_freezes_the_loaded_application_before_forking_a_worker(monkeypatch):
    """Objects made before the fork are out of the workers' garbage collections: a full
    collection no longer walks the whole application on some unlucky request."""
    import gc

    conf = _gunicorn_config(monkeypatch)
    assert conf.preload_app
    try:
        before = gc.get_freeze_count()
        conf.pre_fork(server=None, worker=None)
        assert gc.get_freeze_count() > max(before, 10_000)
    finally:
        gc.unfreeze()


def test_gunicorn_config_refuses_zero_workers(monkeypatch):
    with pytest.raises(ValueError, match="WEB_WORKERS=0"):
        _gunicorn_config(monkeypatch, WEB_WORKERS="0")
