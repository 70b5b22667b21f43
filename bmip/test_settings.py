"""Test overrides: fast hasher, locmem e-mail and cache, django-q2 synchronous."""

import os

os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("EMAIL_BACKEND", "locmem")  # console is refused without DEBUG
# Plain http://testserver and the live server: no HTTPS redirect, cookies, HSTS (issue 12).
for _name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
    os.environ.setdefault(_name, "0")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")

from bmip.settings import *  # noqa: E402,F403
from bmip.settings import DATABASES, Q_CLUSTER  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
DATABASES["default"].setdefault("TEST", {})
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not :memory:, so threaded tests share one database.
    DATABASES["default"]["TEST"]["NAME"] = os.environ.get(
        "SQLITE_TEST_NAME",
        str(BASE_DIR / ".test-db.sqlite3"),  # noqa: F405
    )
LANGUAGE_CODE = "en"

# --- Security (issue 12) --------------------------------------------------------------------
# Login lockout stays ON (tests log in with force_login; tests/security/test_login_lockout.py
# checks it). Per-process cache and no throttles: tests/security/test_throttling.py turns the
# rates on with override_settings (core.api.throttles reads them per request).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
API_THROTTLE_RATES = dict.fromkeys(("anon", "user", "kiosk_device", "login"))
