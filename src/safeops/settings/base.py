"""Settings for every environment. Behaviour is switched by environment variables only.

See docs/configuration.md for each variable.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from safeops.core.errors import sentry_init
from safeops.core.logging import logging_settings
from safeops.settings.env import env_bool, env_float, env_int, env_list, env_str

SRC_DIR = Path(__file__).resolve().parent.parent.parent
BASE_DIR = SRC_DIR.parent
VAR_DIR = Path(env_str("SAFEOPS_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)

_INSECURE_DEV_KEY = "django-insecure-development-only-never-in-production"
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set SECRET_KEY to a long random value "
            '(python -c "import secrets; print(secrets.token_urlsafe(50))"), '
            "or set DEBUG=true for local development only."
        )
    SECRET_KEY = _INSECURE_DEV_KEY
elif not DEBUG and (len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5):
    # Django's own rule for a weak key (check security.W009), made fatal in production.
    raise ImproperlyConfigured(
        f"SECRET_KEY is too weak: it has {len(SECRET_KEY)} characters and "
        f"{len(set(SECRET_KEY))} different ones; production needs at least 50 and 5. Make one "
        'with python -c "import secrets; print(secrets.token_urlsafe(50))".'
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "safeops.home.apps.SafeopsAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "leaflet",
    "axes",
    "csp",
    "channels",
    "safeops.core",
    "safeops.accounts",
    "safeops.schools",
    "safeops.zones",
    "safeops.staff",
    "safeops.scenarios",
    "safeops.dispatch",
    "safeops.drills",
    "safeops.safetyplans",
    "safeops.facilities",
    "safeops.incidents",
    "safeops.training",
    "safeops.threats",
    "safeops.resources",
    "safeops.referrals",
    "safeops.ssoreports",
    "safeops.patrol",
    "safeops.roster",
    "safeops.fleet",
    "safeops.home",
    "safeops.reports",
    "safeops.demo",
]

MIDDLEWARE = [
    "safeops.core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "safeops.core.i18n.QueryLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    # Last, so its refusals pass through the others: NUL characters and oversized bodies.
    "safeops.core.inputs.InputLimitsMiddleware",
]

ROOT_URLCONF = "safeops.urls"
ASGI_APPLICATION = "safeops.asgi.application"
WSGI_APPLICATION = "safeops.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "safeops" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "safeops.core.i18n.language_query",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "safeops.home.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite in var/ by default, so a new user needs nothing installed.
DATABASE_URL = env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'safeops.sqlite3'}")
# 0: a connection per request (returned to the pool when DB_POOL is on).
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", default=0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for a writer instead of failing at once; IMMEDIATE avoids lock upgrades mid-transaction.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DB_POOL", default=True
):
    # psycopg's connection pool (one per server process): requests borrow an open connection
    # instead of connecting each time. Django requires CONN_MAX_AGE 0 with a pool.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        # Connections kept open, so a surge after a quiet spell opens few.
        "min_size": env_int("DB_POOL_MIN_SIZE", default=6),
        "max_size": env_int("DB_POOL_MAX_SIZE", default=12),
        "timeout": env_int("DB_POOL_TIMEOUT", default=3),
    }

# Threads a server process runs requests' synchronous code on (views, middleware): each request
# borrows one for its duration, the others wait their turn (safeops.core.asgihandler). Below
# DB_POOL_MAX_SIZE, which background threads share too. Four: more threads contend for the one
# interpreter lock and cost more CPU per call under load (the dispatch surge, docs/dispatch.md).
SERVER_THREADS = env_int("SERVER_THREADS", default=4)

# A new server process loads what its first requests would read before it accepts
# (safeops.core.warmup, from gunicorn's post_worker_init).
SERVER_WARMUP = env_bool("SERVER_WARMUP", default=True)

# Seconds a server process keeps values read on every request (an officer's access scope, the
# district's dispatch settings); its own writes drop them at once (safeops.core.caches).
PROCESS_CACHE_SECONDS = env_int("PROCESS_CACHE_SECONDS", default=5)

# Keep API tokens and access scopes per process, keyed by the database's access generation (one
# small query a request instead of two; a change to access voids them in every process at once:
# safeops.core.accessgen). false: read both from the database on every request.
ACCESS_CACHE = env_bool("ACCESS_CACHE", default=True)

# Reload an expired snapshot (the officers' positions and loads, every school's place) in a
# background thread while callers keep the previous one, so an expiry never holds up a request;
# off in tests, which reload inline.
BACKGROUND_REFRESH = env_bool("BACKGROUND_REFRESH", default=True)

# Background jobs (safeops.core.jobs, docs/architecture.md). A claim (lease) lasts
# JOBS_CLAIM_SECONDS and is renewed while the job runs; a crash is retried after
# JOBS_RETRY_BASE_SECONDS doubled per attempt (with jitter, at most JOBS_RETRY_MAX_SECONDS);
# finished jobs are deleted after JOBS_KEEP_DONE_DAYS, failed ones after JOBS_KEEP_FAILED_DAYS.
JOBS_CLAIM_SECONDS = env_int("JOBS_CLAIM_SECONDS", default=15 * 60)
JOBS_RETRY_BASE_SECONDS = env_int("JOBS_RETRY_BASE_SECONDS", default=30)
JOBS_RETRY_MAX_SECONDS = env_int("JOBS_RETRY_MAX_SECONDS", default=3600)
JOBS_KEEP_DONE_DAYS = env_int("JOBS_KEEP_DONE_DAYS", default=7)
JOBS_KEEP_FAILED_DAYS = env_int("JOBS_KEEP_FAILED_DAYS", default=30)

# /readyz (safeops.core.health): a worker must have reported within READY_WORKER_MAX_AGE_SECONDS
# and no due job may wait longer than READY_JOB_LAG_MAX_SECONDS; 0 turns that check off.
READY_WORKER_MAX_AGE_SECONDS = env_int("READY_WORKER_MAX_AGE_SECONDS", default=60)
READY_JOB_LAG_MAX_SECONDS = env_int("READY_JOB_LAG_MAX_SECONDS", default=300)

# Notifications (safeops.core.notify, docs/notifications.md). Steps per priority: channel:seconds
# after the alert, in order; a failed or skipped step brings the next forward. The call tree
# pages its next tier after NOTIFY_CALL_TREE_STEP_SECONDS without an acknowledgement.
NOTIFY_STEPS_P1 = env_str("NOTIFY_STEPS_P1", "in_app:0,push:0,sms:30,voice:60")
NOTIFY_STEPS_P2 = env_str("NOTIFY_STEPS_P2", "in_app:0,push:0,sms:120")
NOTIFY_STEPS_P3 = env_str("NOTIFY_STEPS_P3", "in_app:0,push:0")
NOTIFY_CALL_TREE_STEP_SECONDS = env_int("NOTIFY_CALL_TREE_STEP_SECONDS", default=120)
# A job worker takes up to NOTIFY_STEPS_BATCH due alerts at once and sends their pushes, texts
# and calls on NOTIFY_SEND_THREADS threads (network waits, not processor work).
NOTIFY_STEPS_BATCH = env_int("NOTIFY_STEPS_BATCH", default=100)
NOTIFY_SEND_THREADS = env_int("NOTIFY_SEND_THREADS", default=32)
# The site's public address, for links in texts and the provider's status callbacks.
NOTIFY_PUBLIC_URL = env_str("NOTIFY_PUBLIC_URL", "")
# Web Push (VAPID): `safeops vapid-keys` prints a pair.
VAPID_PUBLIC_KEY = env_str("VAPID_PUBLIC_KEY", "")
VAPID_PRIVATE_KEY = env_str("VAPID_PRIVATE_KEY", "")
VAPID_SUBJECT = env_str("VAPID_SUBJECT", "mailto:safety-office@example.org")
# SMS and voice: console (the log), file (JSON lines in NOTIFY_SMS_FILE) or twilio (any
# Twilio-compatible REST API at TWILIO_BASE_URL).
NOTIFY_SMS_BACKEND = env_str("NOTIFY_SMS_BACKEND", "console")
NOTIFY_SMS_FILE = env_str("NOTIFY_SMS_FILE", "")
TWILIO_BASE_URL = env_str("TWILIO_BASE_URL", "https://api.twilio.com")
TWILIO_ACCOUNT_SID = env_str("TWILIO_ACCOUNT_SID", "")
TWILIO_AUTH_TOKEN = env_str("TWILIO_AUTH_TOKEN", "")
TWILIO_FROM = env_str("TWILIO_FROM", "")
# Signed alarms (POST /api/intake/alerts, docs/dispatch.md): a request whose signed timestamp is
# further than this from the server's clock is refused (a replayed or delayed alarm).
INTAKE_SIGNATURE_WINDOW_SECONDS = env_int("INTAKE_SIGNATURE_WINDOW_SECONDS", default=300)
if not 30 <= INTAKE_SIGNATURE_WINDOW_SECONDS <= 3600:
    raise ImproperlyConfigured(
        "INTAKE_SIGNATURE_WINDOW_SECONDS must be between 30 and 3600 seconds, not "
        f"{INTAKE_SIGNATURE_WINDOW_SECONDS} (300, five minutes, suits senders with synchronised "
        "clocks)."
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Client address, login lockout, API throttling and tip limits (docs/configuration.md).
# Behind the TLS proxy, the client's address is the X-Forwarded-For entry TRUSTED_PROXY_COUNT
# places from the right, else REMOTE_ADDR: safeops.core.clientaddr.client_address, the only
# reader of that header (rate limits, lockout, throttling).
BEHIND_PROXY = env_bool("BEHIND_PROXY", default=False)
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=1 if BEHIND_PROXY else 0)
# django-axes: lock a username+address pair after LOGIN_FAILURE_LIMIT failures, and an address
# after LOGIN_ADDRESS_FAILURE_LIMIT failures across usernames (safeops.accounts.lockout).
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", default=5)
LOGIN_ADDRESS_FAILURE_LIMIT = env_int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
AXES_COOLOFF_TIME = env_int("LOGIN_COOLOFF_MINUTES", default=15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "safeops.accounts.lockout.LoginLockoutHandler"
AXES_CLIENT_IP_CALLABLE = "safeops.core.clientaddr.client_address"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# API calls per token-authenticated user ("N/s", "N/min", "N/hour", "N/day"); over it: 429.
API_TOKEN_RATE = env_str("API_TOKEN_RATE", "3000/min")
# Longest tip text ("what happened") the tip line accepts, in characters.
TIP_TEXT_MAX_CHARS = env_int("TIP_TEXT_MAX_CHARS", default=5000)

LANGUAGE_CODE = "en-us"
TIME_ZONE = env_str("TIME_ZONE", "America/Kentucky/Louisville")
USE_I18N = True
# English and Spanish (docs/accessibility-and-languages.md). The language comes from `?lang=`
# (the public tip line: no cookie), then the language cookie, then the browser's Accept-Language.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [SRC_DIR / "safeops" / "locale"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [SRC_DIR / "safeops" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = VAR_DIR / "media"
# Largest accepted upload (safety-plan floor plans, finding photos), in megabytes.
SAFEOPS_UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", default=10) * 1024 * 1024
# The discipline guard's encoder (decision 0024) reads about 10 ms of CPU a text: each server
# process reads at most this many texts a second on average (bursts of twice as many); past
# that, in a surge, the guard decides by its rules and linear models (docs/discipline-guard.md).
# 0 never reads; "inf" always does.
DISCIPLINE_ENCODER_PER_SECOND = env_float("DISCIPLINE_ENCODER_PER_SECOND", default=5.0)

# Security baseline. Cookies are Secure unless running plain HTTP for development.
SECURE_COOKIES = env_bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("SESSION_HOURS", default=12) * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
# HSTS (sent on HTTPS responses only): a year by default in production, off in development.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True

# A proxy's or orchestrator's health checks reach these over plain HTTP (docs/configuration.md).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Map tiles. Empty means no base layer: markers and zones still draw on a blank map.
MAP_TILES_URL = env_str("MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env_str("MAP_TILES_ATTRIBUTION", "&copy; OpenStreetMap contributors")
LEAFLET_CONFIG = {
    "TILES": [("Map", MAP_TILES_URL, {"attribution": MAP_TILES_ATTRIBUTION})]
    if MAP_TILES_URL
    else [],
    "RESET_VIEW": False,
}


def _origin(url: str) -> str | None:
    parts = urlsplit(url.replace("{s}", "a"))
    if not parts.scheme or not parts.netloc:
        return None
    host = parts.netloc.replace("a.", "*.", 1) if "{s}" in url else parts.netloc
    return f"{parts.scheme}://{host}"


_tile_origin = _origin(MAP_TILES_URL) if MAP_TILES_URL else None
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_tile_origin] if _tile_origin else [])],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

# Live updates: in-memory channel layer by default, Redis when REDIS_URL is set.
REDIS_URL = env_str("REDIS_URL")
# With Redis: the publish/subscribe layer. A group send is one PUBLISH; the list-based
# channels_redis.core layer spent a ZREMRANGEBYSCORE, a ZRANGE and a script per group and
# message, a fifth of a server process's time in a surge. Delivery is at most once, as a
# WebSocket's is anyway: a client that missed something resumes from its last sequence number.
REDIS_CHANNEL_LAYER = "channels_redis.pubsub.RedisPubSubChannelLayer"
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": REDIS_CHANNEL_LAYER,
        "CONFIG": {"hosts": [REDIS_URL]},
    }
    if REDIS_URL
    else {"BACKEND": "channels.layers.InMemoryChannelLayer"}
}
# Django's cache holds the API token throttle's counts: shared by every server process through
# Redis when REDIS_URL is set, else per process (one process serves without Redis anyway).
CACHES = {
    "default": {
        # One connection pool per process (Django's own opens one per request under ASGI).
        "BACKEND": "safeops.core.rediscache.SharedRedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "safeops",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "safeops@localhost")

NINJA_PAGINATION_PER_PAGE = 100

# --- Operations (docs/operations.md): logs, error reports, metrics, database timeouts ---------
# Logs: text or JSON lines with a request id; client addresses and secret links are scrubbed
# from every record (safeops.core.logging); one access line per request (core.middleware).
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}.")
LOGGING_CONFIG = "safeops.core.logging.configure"
LOGGING = logging_settings(
    level=env_str("LOG_LEVEL", "INFO"),
    fmt=LOG_FORMAT,
    access_level="INFO" if env_bool("ACCESS_LOG", default=True) else "WARNING",
)
# The proxy's X-Request-ID is kept only behind a trusted proxy; otherwise each request gets one.
REQUEST_ID_FROM_PROXY = env_bool("BEHIND_PROXY", default=False)
# django-axes names the username in its log lines, never the address.
AXES_CLIENT_STR_CALLABLE = "safeops.core.logging.axes_client_str"
# Error reports to Sentry (or a compatible service) when set; student data is scrubbed.
SENTRY_DSN = env_str("SENTRY_DSN")
SENTRY_ENVIRONMENT = env_str("SENTRY_ENVIRONMENT", "production")
SENTRY_TRACES_SAMPLE_RATE = env_float("SENTRY_TRACES_SAMPLE_RATE", default=0.0)
sentry_init(
    dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT, traces_sample_rate=SENTRY_TRACES_SAMPLE_RATE
)
# /metrics answers this bearer token, or loopback callers when not behind a proxy.
METRICS_TOKEN = env_str("METRICS_TOKEN")
METRICS_ALLOW_LOOPBACK = env_bool("METRICS_ALLOW_LOOPBACK", default=not REQUEST_ID_FROM_PROXY)
# An unreachable database fails a request within seconds: PostgreSQL's connect timeout here and
# the pool's wait (DB_POOL_TIMEOUT, 3 s, above); the page is then a static 503 (templates/503.html).
DB_CONNECT_TIMEOUT = env_int("DB_CONNECT_TIMEOUT", default=3)
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = DB_CONNECT_TIMEOUT
    # Parameters travel apart from the statement (server-side binding): no quoting in Python,
    # and a pooled connection's server prepares a statement after its fifth use
    # (docs/decisions/0021-request-cost.md, section 8). Off for a transaction-mode pgbouncer.
    DATABASES["default"]["OPTIONS"]["server_side_binding"] = env_bool(
        "DB_SERVER_SIDE_BINDING", default=True
    )
# Shown on the static error pages under "call 911" (e.g. the district's safety line).
EMERGENCY_GUIDANCE = env_str("EMERGENCY_GUIDANCE")

# The district this installation serves, shown in the header.
SAFEOPS_DISTRICT_LABEL = env_str("DISTRICT_LABEL", "")

# Addresses of the reverse proxy whose X-Forwarded-* headers uvicorn trusts.
FORWARDED_ALLOW_IPS = env_str("FORWARDED_ALLOW_IPS", "127.0.0.1")
AXES_VERBOSE = env_bool("LOGIN_LOG_VERBOSE", default=False)

# Closed-loop referrals (docs/referrals.md): days a status may stand before a follow-up reminder
# ("status:days,..."), the provider link's lifetime, and the onboarding checklist's radius.
REFERRAL_FOLLOW_UP_DAYS = env_str(
    "REFERRAL_FOLLOW_UP_DAYS", "sent:3,contacted:5,accepted:7,declined:5,services_started:30"
)
REFERRAL_PROVIDER_LINK_DAYS = env_int("REFERRAL_PROVIDER_LINK_DAYS", default=30)
ONBOARDING_RADIUS_KM = env_int("ONBOARDING_RADIUS_KM", default=16)

# Community resource directory (docs/resource-directory.md): a record unverified for more than
# this many days is flagged and its owner gets a verification task.
RESOURCE_STALE_AFTER_DAYS = env_int("RESOURCE_STALE_AFTER_DAYS", default=180)
# The official Open Referral HSDS schemas (datapackage.json, schema/*.json), read in place.
HSDS_SCHEMA_DIR = Path(
    env_str("HSDS_SCHEMA_DIR", str(BASE_DIR.parent / "shared" / "standards" / "hsds"))
)

# Threat assessment (docs/threat-assessment.md). FIELD_ENCRYPTION_KEY: Fernet keys, comma-separated,
# the first encrypts and all decrypt (rotation); required unless DEBUG. Closed cases and tips are
# purged THREAT_RETENTION_DAYS after closing (safeops purge-expired-cases).
FIELD_ENCRYPTION_KEYS = env_list("FIELD_ENCRYPTION_KEY", default=[])
THREAT_RETENTION_DAYS = env_int("THREAT_RETENTION_DAYS", default=5 * 365)
TIP_RATE_LIMIT_PER_HOUR = env_int("TIP_RATE_LIMIT_PER_HOUR", default=5)

# Backups (docs/backup.md): where `safeops backup` writes when not given --out.
BACKUP_DIR = Path(env_str("BACKUP_DIR") or VAR_DIR / "backups")
