"""Benchmark: login lockout (django-axes).

How many wrong passwords one user name from one address gets before the login is refused,
the time of a wrong-password attempt (a full password hash) and of a refused attempt (the
lockout check, no hash), median over REFUSED_RUNS each, in ms, with the production password
hasher. Builds its own throw-away database: a SQLite temp file, or a scratch PostgreSQL
database when DATABASE_URL is set.

    .venv/bin/python bench/login.py
"""

import os
import sys

# bench/queue.py would shadow the standard library's queue module: keep this folder last
# on sys.path (it stays importable for _common).
_BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _BENCH_DIR] + [_BENCH_DIR]

import statistics
import time

from _common import bench_database, emit

BENCH = "login"
REFUSED_RUNS = 20
MAX_ATTEMPTS = 100
LOGIN = "/accounts/login/"


def main() -> None:
    os.environ.setdefault("THROTTLE_LOGIN", "off")  # this measures the lockout alone
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")  # plain http://testserver
    with bench_database("login", debug=False):
        run()


def _timed_post(client, password, ip) -> tuple[int, float]:
    started = time.perf_counter()
    response = client.post(LOGIN, {"username": "bench-desk", "password": password}, REMOTE_ADDR=ip)
    return response.status_code, (time.perf_counter() - started) * 1000


def run() -> None:
    import logging

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    logging.getLogger("axes").setLevel(logging.ERROR)
    logging.getLogger("django.request").setLevel(logging.ERROR)
    setup_test_environment()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    get_user_model().objects.create_user("bench-desk", password="right-password-123")
    client = Client()

    attempts, failed_ms = 0, []
    for attempts in range(1, MAX_ATTEMPTS + 1):
        status, ms = _timed_post(client, f"wrong-{attempts}", "10.9.9.9")
        if status == 429:
            break
        failed_ms.append(ms)
    emit(BENCH, "failure_limit_setting", settings.AXES_FAILURE_LIMIT, "attempts")
    emit(BENCH, "wrong_passwords_until_refused", attempts, "attempts")

    refused = []
    for n in range(REFUSED_RUNS):
        password = "right-password-123" if n % 2 else f"wrong-again-{n}"
        status, ms = _timed_post(client, password, "10.9.9.9")
        assert status == 429, status
        refused.append(ms)
    emit(BENCH, "right_password_after_lockout_status", 429, "http_status")
    emit(BENCH, "wrong_password_attempt_median", round(statistics.median(failed_ms), 1), "ms")
    emit(BENCH, "refused_attempt_median", round(statistics.median(refused), 1), "ms")

    status, _ms = _timed_post(Client(), "right-password-123", "10.9.9.10")
    emit(BENCH, "same_user_other_address_status", status, "http_status")


if __name__ == "__main__":
    main()
