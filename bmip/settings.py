"""BMIP settings: one module, every value from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE as CSP_NONE
from csp.constants import SELF as CSP_SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from bmip.env import database_config, envbool, envfloat, envint, envlist, envrate, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", False)
SECRET_KEY = envstr("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 - development default only
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_URL = envstr("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_q",
    "sequences",
    "axes",  # login lockout (see "Login lockout" below)
    "csp",  # Content-Security-Policy (see "Content-Security-Policy" below)
    "core",
    "scheduling",
    "kiosk",
    "counter",
    "advice",
    "settlement",
    "activities",
]

MIDDLEWARE = [
    "core.requestid.RequestIdMiddleware",  # first: the id is in every log line (runtime block)
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files (runtime block)
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Issue 12: the Content-Security-Policy header; axes last (answers a locked-out login).
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
    # Issue 15: a database error (restart, failover) in a view is a 503 with Retry-After.
    "core.unavailable.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "bmip.urls"
WSGI_APPLICATION = "bmip.wsgi.application"
ASGI_APPLICATION = "bmip.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "scheduling.context_processors.navigation",
            ],
        },
    },
]

# Form widgets render through TEMPLATES, so templates/django/forms/ can override Django's
# (the select box writes its options in one loop: templates/django/forms/widgets/select.html).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

SQLITE_TIMEOUT_S = envint("SQLITE_TIMEOUT_S", 20, minimum=5)
# Seconds a web or worker process keeps its PostgreSQL connection (0: one per request).
DB_CONN_MAX_AGE_S = envint("DB_CONN_MAX_AGE_S", 60, minimum=0)
DATABASES = {
    "default": database_config(
        envstr("DATABASE_URL"),
        base_dir=BASE_DIR,
        sqlite_timeout=SQLITE_TIMEOUT_S,
        conn_max_age=DB_CONN_MAX_AGE_S,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
# --- Login lockout (django-axes; issue 12) ---------------------------------------------------
# Failed logins are counted per username AND client address together, so one shared desk
# network is never locked out as a whole; after AXES_FAILURE_LIMIT failures that pair is refused
# (429, templates/registration/lockout.html) for AXES_COOLOFF_MINUTES, counted in the database.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses a locked-out pair before the hash
    "django.contrib.auth.backends.ModelBackend",
]
AXES_ENABLED = envbool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # no table of every successful login (address, browser) kept forever
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_LOCKOUT_CALLABLE = "core.lockout.lockout_response"  # registration/lockout.html, 429
# The client address: REMOTE_ADDR unless NUM_PROXIES (the number of reverse proxies in front
# of Django) says to take it from X-Forwarded-For (core.net; docs/security.md, "Proxies").
AXES_CLIENT_IP_CALLABLE = "core.net.client_ip"
# --- end login lockout ----------------------------------------------------------------------

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "nl"
LANGUAGES = [
    ("nl", _("Dutch")),
    ("en", _("English")),
    ("pl", _("Polish")),
    ("ro", _("Romanian")),
    ("bg", _("Bulgarian")),
    ("hu", _("Hungarian")),
    ("lt", _("Lithuanian")),
    ("lv", _("Latvian")),
    ("sk", _("Slovak")),
    ("pt", _("Portuguese")),
    ("es", _("Spanish")),
    ("uk", _("Ukrainian")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(envstr("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "media")))
MEDIA_URL = "media/"

# E-mail: console backend by default (development only: refused with DEBUG=0); "file" writes to EMAIL_FILE_PATH; "smtp" uses the rest.
_EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
}
_email_backend = envstr("EMAIL_BACKEND", "console")
if _email_backend not in _EMAIL_BACKENDS:
    raise ImproperlyConfigured(
        f"EMAIL_BACKEND={_email_backend!r}; choose one of {', '.join(_EMAIL_BACKENDS)}."
    )
if _email_backend == "console" and not DEBUG:
    # The console backend prints names, addresses and calendar files to stdout.
    raise ImproperlyConfigured(
        "EMAIL_BACKEND=console is for development only; with DEBUG=0 choose smtp or file."
    )
EMAIL_BACKEND = _EMAIL_BACKENDS[_email_backend]
EMAIL_FILE_PATH = envstr("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
EMAIL_HOST = envstr("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "BMIP <noreply@bmip.example>")

# --- Shared cache and throttles (issue 12) -----------------------------------------------------
# One cache for all processes (web workers, qcluster): Redis when REDIS_URL is set, else the
# database cache (table bmip_cache, made by `migrate`: core's post_migrate handler). The API
# throttles and anything else that must be shared across processes keep their state here.
if envstr("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": envstr("REDIS_URL"),
            "KEY_PREFIX": "bmip",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "bmip_cache",
        }
    }
# Reverse proxies in front of Django (0: the client address is REMOTE_ADDR and X-Forwarded-For
# is ignored; N: the N-th X-Forwarded-For entry from the right). One rule (core.net.client_ip)
# for the login lockout and the throttles; docs/security.md, "Proxies".
NUM_PROXIES = envint("NUM_PROXIES", 0, minimum=0)
# Throttle rates "N/s|min|hour|day"; "off" turns a scope off. core.api.throttles.
API_THROTTLE_RATES = {
    "anon": envrate("THROTTLE_ANON", "120/min"),  # unauthenticated API requests, per address
    "user": envrate("THROTTLE_USER", "600/min"),  # authenticated API requests, per user
    "kiosk_device": envrate("THROTTLE_KIOSK_DEVICE", "30/min"),  # kiosk check-in/walk-in
    "login": envrate("THROTTLE_LOGIN", "30/min"),  # login form posts, per address
}
# --- end shared cache and throttles -----------------------------------------------------------

# django-q2: ORM broker by default (embedded), Redis when REDIS_URL is set. Runtime values
# (see docs/deploy.md): a task is killed after Q_TIMEOUT_S and handed out again after
# Q_RETRY_S (must be longer, or a slow task would run twice), at most Q_MAX_ATTEMPTS times;
# missed reminder runs are not caught up. Exactly one qcluster runs the scheduler: every
# other worker process runs with Q_SCHEDULER=0 (deploy/bmip-worker@.service, make serve).
REDIS_URL = envstr("REDIS_URL")
Q_TIMEOUT_S = envint("Q_TIMEOUT_S", 300, minimum=10)
Q_RETRY_S = envint("Q_RETRY_S", 360, minimum=11)
if Q_RETRY_S <= Q_TIMEOUT_S:
    raise ImproperlyConfigured(
        f"Q_RETRY_S={Q_RETRY_S} must be longer than Q_TIMEOUT_S={Q_TIMEOUT_S} "
        "(else a running task is handed out a second time)."
    )
Q_CLUSTER = {
    "name": "bmip",
    "workers": envint("Q_WORKERS", 2, minimum=1),
    "timeout": Q_TIMEOUT_S,
    "retry": Q_RETRY_S,
    "max_attempts": envint("Q_MAX_ATTEMPTS", 3, minimum=1),
    "catch_up": False,
    "scheduler": envbool("Q_SCHEDULER", True),
    "ack_failures": True,
    "save_limit": envint("Q_SAVE_LIMIT", 1000, minimum=0),
    "label": "Tasks",
    "sync": envbool("Q_SYNC", False),
}
# Availability searches keep each location's day in the shared cache this many seconds
# (scheduling.availability_cache; dropped at once when counter time there changes). Off (0)
# by default: under the desk-day load test bookings drop a desk's days about once a second,
# and the misses plus cache writes made every step slower (docs/scaling.md); it needs Redis.
AVAILABILITY_CACHE_S = envint("AVAILABILITY_CACHE_S", 0, minimum=0)
# The outbox (core.outbox): a task written with its change and not done OUTBOX_RETRY_AFTER_S
# after it was queued or started is queued again by the sweep, at most OUTBOX_MAX_QUEUED times
# in all. Longer than Q_TIMEOUT_S: by then a started run has finished or been killed.
OUTBOX_RETRY_AFTER_S = envint("OUTBOX_RETRY_AFTER_S", 600, minimum=60)
OUTBOX_MAX_QUEUED = envint("OUTBOX_MAX_QUEUED", 5, minimum=1)
OUTBOX_KEEP_DAYS = envint("OUTBOX_KEEP_DAYS", 7, minimum=1)
if OUTBOX_RETRY_AFTER_S <= Q_TIMEOUT_S:
    raise ImproperlyConfigured(
        f"OUTBOX_RETRY_AFTER_S={OUTBOX_RETRY_AFTER_S} must be longer than Q_TIMEOUT_S={Q_TIMEOUT_S} "
        "(else the sweep queues a task that is still running)."
    )
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["poll"] = 1

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # No HTTP Basic: it sent the password with every request, escaped any lockout and cost a
        # full password hash per request.
        # API tokens first: its challenge makes a refused token a 401 (core/api/authentication.py).
        "core.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON only: DRF's browsable API (an HTML page with forms per endpoint) failed axe-core
    # (no lang, unnamed buttons, contrast, an unfocusable scrolling box) and is a second user
    # interface; people read the API in Swagger UI and ReDoc (/api/v1/docs/, /api/v1/redoc/).
    # Developers keep it with DEBUG on.
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        *(["rest_framework.renderers.BrowsableAPIRenderer"] if DEBUG else []),
    ],
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
    # Throttles: see "Shared cache and throttles" above.
    "DEFAULT_THROTTLE_CLASSES": [
        "core.api.throttles.AnonThrottle",
        "core.api.throttles.UserThrottle",
    ],
    "NUM_PROXIES": NUM_PROXIES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "BMIP counter system API",
    "DESCRIPTION": "Booking, tickets, queue, back-office and settlements of the Brabant "
    "Migration Information Point.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc from the project's own static files (no CDN).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.error_schema_postprocess",
        "core.api.schema.database_bounds_postprocess",
        "core.api.schema.error_responses_postprocess",
    ],
    "ENUM_NAME_OVERRIDES": {
        "AppointmentStatusEnum": "scheduling.constants.AppointmentStatus",
        "GroupBookingStatusEnum": "scheduling.constants.GroupBookingStatus",
        "LegStateEnum": "scheduling.constants.LegState",
        "ParticipantKindEnum": "activities.constants.ParticipantKind",
        "KindEnum": "settlement.constants.SettlementLineKind",
        "OutcomeEnum": "counter.constants.Outcome",
        "ReportOutcomeEnum": "advice.constants.ReportOutcome",
        "ReportStatusEnum": "advice.constants.ReportStatus",
        "ReportCategoryEnum": "advice.constants.ReportCategory",
        "ReportChannelEnum": "advice.constants.ReportChannel",
    },
}

# Domain configuration (policy values; see README "Configuration").
LOCK_TIMEOUT_S = envint("LOCK_TIMEOUT_S", 5, minimum=1)
# Interpreter-needed clients get legs this many times longer (rounded up to whole minutes).
INTERPRETER_DURATION_FACTOR = envfloat("INTERPRETER_DURATION_FACTOR", 1.5, minimum=1.0)
# Longest date range one availability search may cover.
AVAILABILITY_MAX_DAYS = envint("AVAILABILITY_MAX_DAYS", 92, minimum=1)
TICKET_TOKEN_GRACE_DAYS = envint("TICKET_TOKEN_GRACE_DAYS", 1, minimum=0)
# Group bookings up to this many visits get their tickets PDF at once; larger ones in the background.
TICKET_GROUP_SYNC_MAX = envint("TICKET_GROUP_SYNC_MAX", 10, minimum=0)
# The operating municipality has a legal basis to store the BSN (UAVG art. 46).
BSN_LEGAL_BASIS = envbool("BSN_LEGAL_BASIS", False)
DATA_RETENTION_DAYS = envint("DATA_RETENTION_DAYS", 365, minimum=1)
# Statistics: counts below this are shown as "<N" (core/suppression.py, docs/statistics.md).
STATS_SUPPRESS_BELOW = envint("STATS_SUPPRESS_BELOW", 5, minimum=2)
# Each app's purge of personal data past DATA_RETENTION_DAYS, run daily by one task.
# Order matters: scheduling closes stale visits and clears clients first; counter then
# rewrites the invoice lines of cleared clients.
RETENTION_PURGERS = [
    "scheduling.services.retention.clients_personal_data_purge",
    "counter.services.retention.service_records_bsn_purge",
    "counter.services.retention.counter_free_text_purge",
    "core.idempotency.idempotency_records_purge",
    "core.audit.audit_notes_purge",
    "advice.services.retention.reports_reporter_purge",
]
# End of the desk day (scheduling.services.day_close, daily task): each hook is called with
# before= (midnight that ended the days to close), now= and actor= and returns a count. Kiosk
# closes queue numbers still waiting, called or held for the reception (their visits: no-show).
DAY_CLOSE_HOOKS = ["kiosk.services.calls.queue_day_close"]
# Report point (advice app): the reporter's name and contact are removed this many days after
# the case closes; the public form and the follow-up page accept this many posts per hour
# from one address (counted in the cache).
REPORT_REPORTER_RETENTION_DAYS = envint("REPORT_REPORTER_RETENTION_DAYS", 90, minimum=1)
REPORT_RATE_LIMIT = envint("REPORT_RATE_LIMIT", 5, minimum=1)
REPORT_STATUS_RATE_LIMIT = envint("REPORT_STATUS_RATE_LIMIT", 20, minimum=1)
# Reports from one kiosk per hour (all its users share it, so more than from one address).
REPORT_KIOSK_RATE_LIMIT = envint("REPORT_KIOSK_RATE_LIMIT", 20, minimum=1)
# Side effects of counter's record service in the apps above it, by event: each dotted path is
# called with record= and actor= inside the record's transaction (core.hooks), so counter
# never imports them. A completed BRP/RNI registration writes its settlement line; voiding
# it writes the reversal. Under the state-per-newcomer financing variant a registration also
# writes the state's claim line (and a void its reversal); an extra service the government
# parties pay ("extra_service_funded", funded= and actor=) writes its claim lines.
RECORD_HOOKS = {
    "registration_recorded": [
        "settlement.services.lines.settlement_lines_for_registration",
        "settlement.services.claims.claim_line_for_newcomer",
    ],
    "registration_voided": [
        "settlement.services.lines.settlement_lines_reverse_registration",
        "settlement.services.claims.claim_line_reverse_newcomer",
    ],
    "extra_service_funded": ["settlement.services.claims.claim_lines_for_funded_service"],
    "extra_service_voided": ["settlement.services.claims.claim_lines_reverse_funded_service"],
}
# The life of a leg (scheduling.services.legs.leg_finish), by event, called in its transaction:
# "finish_guard" (leg=, completed=, actor=) may refuse: counter refuses to finish a leg whose
# service needs a record (registration, insurance intake, referral) before the record exists.
# "finished" (leg=, actor=, now=) follows the change: kiosk moves the queue ticket on, so the
# console and the visit page read one state (the leg's) whichever screen finished it.
# "reopen_guard" (leg=, actor=) may refuse an undo: counter refuses while the leg has a record.
# "lock" (leg_id=), through scheduling.locking.leg_numbers_lock: kiosk locks the leg's queue
# numbers, so a path that finishes a leg without holding its number (counter's record) takes
# it before the leg and the visit, as the console does (the lock order in scheduling.locking).
LEG_HOOKS = {
    "finish_guard": ["counter.services.records.leg_finish_guard"],
    "reopen_guard": ["counter.services.records.leg_reopen_guard"],
    "finished": ["kiosk.services.calls.ticket_follow_leg"],
    "lock": ["kiosk.services.calls.ticket_lock_for_leg"],
}
# Prices for the screens below counter (the kiosk and its reception console): each dotted path
# is called with services= and on= and returns {service id: Decimal amount} of the fee-bearing
# ones; counter answers from its tariffs, so kiosk never imports counter.
# Signed tickets of a kind the kiosk does not know (activity tickets, kind A2): each hook
# returns None ("not mine") or the message for the kiosk screen; a refusal is a DomainError.
TICKET_CHECK_IN_HOOKS = ["activities.services.door.kiosk_ticket_check_in"]
SERVICE_PRICE_HOOKS = ["counter.selectors.records.service_prices"]
# Extra kiosk pages of other apps (kiosk.views.kiosk_more, /kiosk/<location>/more/<page>/):
# kiosk lets in only a paired kiosk of the location, then calls the page's hook with
# request=, location=, device_id=, home_url= and base_template= (the kiosk layout), which
# returns the response. KIOSK_MENU_HOOKS (location=) return the start screen's buttons as
# (page, label). Advice's report form is one (kiosk and advice never import each other).
KIOSK_PAGE_HOOKS = {"report": ["advice.views.kiosk_report"]}
KIOSK_MENU_HOOKS = ["advice.views.kiosk_menu_entries"]
# Settlement statements per "month" (default) or "quarter"; change only at the start of a year.
SETTLEMENT_PERIOD = envstr("SETTLEMENT_PERIOD", "month")
if SETTLEMENT_PERIOD not in ("month", "quarter"):
    raise ImproperlyConfigured(f"SETTLEMENT_PERIOD={SETTLEMENT_PERIOD!r}; choose month or quarter.")
# Group bookings: largest roster in one booking, and how long a proposed plan is held.
GROUP_BOOKING_MAX_SIZE = envint("GROUP_BOOKING_MAX_SIZE", 200, minimum=1)
# Fair share: most of a desk's open counter minutes in an ISO week one employer may book
# (percent; 100 switches the rule off). Coordinators may override with a reason.
FAIR_SHARE_MAX_PERCENT = envint("FAIR_SHARE_MAX_PERCENT", 40, minimum=1)
# Capacity page: utilisation (booked / open minutes, percent) from which a day or week warns.
CAPACITY_WARN_PERCENT = envint("CAPACITY_WARN_PERCENT", 85, minimum=1)
# Largest roster upload (bytes); a bigger request is refused with 413 before it is parsed.
UPLOAD_MAX_BYTES = envint("UPLOAD_MAX_BYTES", 2 * 1024 * 1024, minimum=1024)
GROUP_BOOKING_HOLD_MINUTES = envint("GROUP_BOOKING_HOLD_MINUTES", 10, minimum=1)
# Waitlist (docs/waitlist.md): how long an offer holds the freed places, the longest date
# range an employer may wait for, and how many open entries one employer may have.
WAITLIST_OFFER_HOURS = envint("WAITLIST_OFFER_HOURS", 24, minimum=1)
WAITLIST_MAX_WEEKS = envint("WAITLIST_MAX_WEEKS", 12, minimum=1)
WAITLIST_MAX_OPEN_ENTRIES = envint("WAITLIST_MAX_OPEN_ENTRIES", 10, minimum=1)
# Hours before an appointment that the reminder e-mail goes out.
REMINDER_HOURS_BEFORE = envint("REMINDER_HOURS_BEFORE", 48, minimum=1)

# Kiosk and display devices (kiosk.models.KioskDevice): how long a pairing code shown in the
# admin stays valid, and the cookie that keeps the device secret on the device.
KIOSK_PAIRING_MINUTES = envint("KIOSK_PAIRING_MINUTES", 15, minimum=1)
KIOSK_DEVICE_COOKIE = "bmip_kiosk_device"
# A kiosk form (e.g. the report form) goes back to the kiosk start after this long untouched.
KIOSK_IDLE_SECONDS = envint("KIOSK_IDLE_SECONDS", 120, minimum=30)

# Demo data, in order: each app adds its own seeder (a callable returning an object with
# ``logins`` and ``created_appointments`` or None). Keeps scheduling free of kiosk/counter imports.
DEMO_SEEDERS = [
    "scheduling.services.demo.demo_seed",
    "kiosk.demo.kiosk_demo_seed",
    "counter.services.demo.counter_demo_seed",
    "settlement.services.demo.settlement_demo_seed",
    "activities.demo.activities_demo_seed",
    "advice.services.demo.advice_demo_seed",
]

# --- Runtime: static files, logging, readiness (issue 15; docs/deploy.md) ----------------
# WhiteNoise serves STATIC_ROOT (after ``collectstatic``) from every web process; nginx may
# serve /static/ itself (deploy/nginx). STATIC_MANIFEST=1 (production, after collectstatic)
# switches to hashed, compressed file names with far-future caching; off by default so
# ``make demo``, the tests and the bench scripts need no collectstatic.
# STATIC_COMPRESS=0 skips the gzip/brotli copies (minutes of CPU on a small machine; nginx
# then compresses on the fly, as `make serve` does).
STATIC_MANIFEST = envbool("STATIC_MANIFEST", False)
STATIC_COMPRESS = envbool("STATIC_COMPRESS", True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if STATIC_COMPRESS
            else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        )
        if STATIC_MANIFEST
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Without a collected STATIC_ROOT (development, tests) WhiteNoise looks files up per request.
WHITENOISE_AUTOREFRESH = DEBUG or not STATIC_ROOT.is_dir()
# Sessions live in the database (django.contrib.sessions' default backend): they survive a
# Redis restart and every web process sees them; clear expired ones with ``clearsessions``.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# /readyz: a worker cluster must have reported within this many seconds; a schedule whose
# next run is older than the grace counts as overdue.
READYZ_WORKER_MAX_AGE_S = envint("READYZ_WORKER_MAX_AGE_S", 30, minimum=1)
READYZ_REQUIRE_WORKER = envbool("READYZ_REQUIRE_WORKER", True)
READYZ_SCHEDULE_GRACE_S = envint("READYZ_SCHEDULE_GRACE_S", 600, minimum=60)
# LOG_FORMAT=json: one JSON object per line with the request id (core.requestid); "plain"
# otherwise. Every record carries request_id ("-" outside a request).
LOG_FORMAT = envstr("LOG_FORMAT", "plain")
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT={LOG_FORMAT!r}; choose plain or json.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.requestid.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "core.requestid.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "INFO")},
    # weasyprint logs every rendering step at INFO; one access line per request only when
    # LOG_REQUESTS=1 (gunicorn's or nginx's access log usually suffices).
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "bmip.request": {"level": "INFO" if envbool("LOG_REQUESTS", False) else "WARNING"},
    },
}
# --- end runtime block --------------------------------------------------------------------

# --- HTTPS and cookies in production (issue 12; `check --deploy` reports nothing) ------------
# Defaults follow DEBUG: with DEBUG=0 every request is redirected to HTTPS, cookies are sent
# over HTTPS only and browsers are told (HSTS) to use HTTPS for a year. The demo and the
# tests (DEBUG=1 or their own settings, http://localhost) keep plain HTTP.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEBUG)
# A load balancer probes over plain HTTP (inside the private network): health and readiness
# are never redirected, whatever SECURE_SSL_REDIRECT says.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEBUG)
# HSTS: one year by default in production (first move of a host to HTTPS: start with 3600).
# includeSubDomains covers the host names below BMIP's own (not the municipality's domain).
# Preload is the domain owner's decision (it asks browsers to hard-code HTTPS): off unless
# SECURE_HSTS_PRELOAD=1, and its check (W021) is silenced while it is off.
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEBUG else 365 * 24 * 3600, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
# Behind a TLS-terminating proxy: "HEADER,value", e.g. HTTP_X_FORWARDED_PROTO,https (the proxy
# must set that header itself and drop it from clients). Empty: not behind such a proxy.
_proxy_ssl_header = envlist("SECURE_PROXY_SSL_HEADER", [])
if _proxy_ssl_header and (
    len(_proxy_ssl_header) != 2 or not _proxy_ssl_header[0].startswith("HTTP_")
):
    raise ImproperlyConfigured(
        "SECURE_PROXY_SSL_HEADER must be HEADER,value with HEADER as in request.META, "
        "e.g. HTTP_X_FORWARDED_PROTO,https."
    )
SECURE_PROXY_SSL_HEADER = tuple(_proxy_ssl_header) if _proxy_ssl_header else None
# --- end HTTPS and cookies ------------------------------------------------------------------

# --- Content-Security-Policy (django-csp; issue 12) --------------------------------------------
# Everything from this site only; no inline script, no on*= handler, no style attribute (the
# templates keep their behaviour in static/js/bmip.js, tests/security/test_csp.py scans them).
# The API docs pages (Swagger UI, ReDoc) add what their bundles need: bmip/urls.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [CSP_SELF],
        "script-src": [CSP_SELF],
        "style-src": [CSP_SELF],
        "img-src": [CSP_SELF, "data:"],
        "font-src": [CSP_SELF],
        "connect-src": [CSP_SELF],
        "object-src": [CSP_NONE],
        "base-uri": [CSP_SELF],
        "form-action": [CSP_SELF],
        "frame-ancestors": [CSP_NONE],
    }
}
# --- end Content-Security-Policy ------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
# Staff sessions end after a working day (seconds; default 10 hours).
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 10 * 3600, minimum=300)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
