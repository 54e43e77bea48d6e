"""Perisai settings, read from the environment (12-factor).

Local use needs nothing set: DEBUG is on, the database is a SQLite file beside manage.py and a
development secret key is used. Production sets DEBUG=false, SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL=postgres://...; the app refuses to start without a secret key when DEBUG is off.
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "csp",
    "django_htmx",
    "simple_history",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # The project's own packages, from the kernel up (docs/design.md, "Shape of the code"); the kernel
    # (perisai) is a plain package with no models or pages, so it is not an app.
    "agents",
    "enrollment",
    "followup",
    "recruitment",
    "reports",
    "incentives",
    "web",
    "web.account",  # the second factor's pages, sign-in hook and admin (after django_otp, whose admin it hides)
    "web.signin",  # sign-in: the client's address, the username's delay, devices, password help
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "web.middleware.HealthCheckMiddleware",  # before the session, so a probe with a cookie reads 503, not 500
    "web.middleware.DatabaseRetryMiddleware",  # a read-only request whose connection a restart cut, once more
    "web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages gzipped for a slow phone connection. After WhiteNoise, which answers static files itself (already
    # compressed at collectstatic); before every middleware that reads or writes the body (Django's ordering).
    # BREACH: Django pads each gzipped body with up to 100 random bytes ("Heal the Breach") and masks the
    # CSRF token afresh in every response, so neither a length nor the token repeats between responses.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "web.middleware.SessionLifetimeMiddleware",  # signed out 12 hours after signing in, before anything asks
    "web.middleware.NoStoreMiddleware",  # nothing a signed-in user sees is stored by a browser or proxy
    "django_otp.middleware.OTPMiddleware",
    "web.account.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "web.middleware.SignInMiddleware",  # the username's wait (429) and the device cookie
]

ROOT_URLCONF = "config.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# A PostgreSQL connection waits out a restart of the server, up to DATABASE_CONNECT_WAIT seconds, so a
# request arriving meanwhile is slower instead of failing (perisai/postgresql/base.py says what remains).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"]["ENGINE"] = "perisai.postgresql"
DATABASE_CONNECT_WAIT = float(os.environ.get("DATABASE_CONNECT_WAIT", "10"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "agents.User"
# Before the password check: axes (username and address), then the username's rising delay (web.signin).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "web.signin.throttle.SignInDelayBackend",
    "agents.permissions.RolePermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Sign-in lockout (django-axes), safe for a shared office behind one NAT: a username is locked only
# from the address that failed, after 5 failures, for 30 minutes; a successful sign-in resets the count.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# How many reverse proxies stand in front of gunicorn (1 behind nginx): the client's address is that many
# entries from the right of X-Forwarded-For, the one our own proxy wrote, whichever of nginx's two usual
# lines sets it ($remote_addr or $proxy_add_x_forwarded_for); what a client writes there itself never counts.
PERISAI_PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0" if DEBUG else "1"))
AXES_CLIENT_IP_CALLABLE = "web.signin.addresses.client_address"  # the entry our proxy wrote, not the client's
# A device the username signed in on before is held neither by axes nor by others' failures; it has a count
# of its own (web.signin.throttle). Across all other devices and addresses the username's failures bring a
# rising delay: 10 free, then 30 s doubling to 15 minutes before each next attempt.
AXES_WHITELIST_CALLABLE = "web.signin.throttle.exempt_from_address_lockout"

# A second factor (an authenticator app's 6-digit code, django-otp) for everyone but agents, who may opt
# in: on by default in production (DEBUG off), optional while DEBUG is on so the demo signs in with the
# password (README, "Second factor"). Whoever has set one up is always asked for it.
PERISAI_REQUIRE_TWO_FACTOR = env_bool("PERISAI_REQUIRE_TWO_FACTOR", not DEBUG)
OTP_TOTP_ISSUER = "Perisai BPJS Ketenagakerjaan"
OTP_TOTP_THROTTLE_FACTOR = 1  # after n wrong codes in a row, wait 2^(n-1) seconds before the next try
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Content-Security-Policy: nothing inline, nothing from elsewhere (the pages load only their own files).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        # The agent's phone app (web.field.offline): its service worker and manifest, from this site only.
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
    }
}

# Sessions end after 30 minutes without a request (staff screens hold NIKs); every request renews them.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
# ... and 12 hours after signing in however busy (ASVS 3.3): then a new sign-in (web.signin.sessions).
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("SESSION_ABSOLUTE_SECONDS", str(12 * 60 * 60)))
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True

# Behind a TLS-terminating reverse proxy in production (see README, "Deploying").
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# Reminders (followup.sending, README "Settings"): the default keeps them in the outbox for staff to read;
# followup.sending.HttpGatewayBackend posts each to an SMS/WhatsApp gateway.
PERISAI_MESSAGE_BACKEND = os.environ.get("PERISAI_MESSAGE_BACKEND", "followup.sending.OutboxBackend")
PERISAI_SMS_GATEWAY_URL = os.environ.get("PERISAI_SMS_GATEWAY_URL", "")
PERISAI_SMS_GATEWAY_TOKEN = os.environ.get("PERISAI_SMS_GATEWAY_TOKEN", "")
PERISAI_SMS_GATEWAY_TIMEOUT = float(os.environ.get("PERISAI_SMS_GATEWAY_TIMEOUT", "10"))

# E-mail to branch staff (notify_staff): printed on the console while developing, SMTP in production.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Perisai <perisai@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Logs go to standard output: plain text locally, one JSON object per line in production.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "config.logging.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# --- Past one machine (#19): report reads on a replica, files every app server shares ---------------------
# README, "Deploying" (more than one machine). With DATABASE_REPLICA_URL set (a PostgreSQL streaming replica
# of DATABASE_URL), the report pages and downloads read it (web.replica says which requests, perisai.replica
# routes them); writes, transactions and a browser's reads for DATABASE_REPLICA_PIN_SECONDS after its own
# write stay on the primary. Unset: one database, no router, nothing changes.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASE_REPLICA_PIN_SECONDS = int(os.environ.get("DATABASE_REPLICA_PIN_SECONDS", "15"))
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["replica"]["ENGINE"] = "perisai.postgresql"
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}  # a test suite run with it set reads its own writes
    # A replica that is away costs a report 2 s at most before it reads the primary (perisai.replica).
    DATABASES["replica"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 2)
    DATABASE_ROUTERS = ["perisai.replica.ReplicaRouter"]
    MIDDLEWARE = [*MIDDLEWARE, "web.replica.ReplicaReadsMiddleware"]  # last: it wraps the view alone

# Where files live: the signed PKS documents ("default") and the files background jobs leave for their
# users ("results", a folder or prefix of the same place). The local folder MEDIA_ROOT unless FILE_STORAGE
# names another storage class, django-storages style, with FILE_STORAGE_OPTIONS (JSON) as its options, e.g.
# FILE_STORAGE=storages.backends.s3.S3Storage FILE_STORAGE_OPTIONS='{"bucket_name": "perisai", ...}'.
# Every app server and worker must see the same files: a shared storage, or MEDIA_ROOT on a shared disk.
FILE_STORAGE = os.environ.get("FILE_STORAGE", "django.core.files.storage.FileSystemStorage")
try:
    FILE_STORAGE_OPTIONS = json.loads(os.environ.get("FILE_STORAGE_OPTIONS") or "{}")
except ValueError as error:
    raise ImproperlyConfigured(f"FILE_STORAGE_OPTIONS must be a JSON object: {error}") from None
if not isinstance(FILE_STORAGE_OPTIONS, dict):
    raise ImproperlyConfigured("FILE_STORAGE_OPTIONS must be a JSON object.")
if FILE_STORAGE == "django.core.files.storage.FileSystemStorage":  # a folder: never served by address
    _results_location = str(Path(FILE_STORAGE_OPTIONS.get("location", MEDIA_ROOT)) / "results")
else:  # a bucket: a prefix inside it
    _results_location = "/".join(filter(None, [FILE_STORAGE_OPTIONS.get("location", "").strip("/"), "results"]))
STORAGES = {
    **STORAGES,
    "default": {"BACKEND": FILE_STORAGE, "OPTIONS": FILE_STORAGE_OPTIONS},
    "results": {"BACKEND": FILE_STORAGE, "OPTIONS": {**FILE_STORAGE_OPTIONS, "location": _results_location}},
}
# --- end of the replica and the shared files ---------------------------------------------------------------

# --- Background jobs (jobs/, web/jobs/; README "Background jobs") -------------------------------------------
# Long work (big exports, national workbooks, large imports' confirmation, the payments feed, reminders) runs
# as a task on a queue: a table in the database by default, or Redis when PERISAI_TASKS_REDIS_URL is set (workers
# on any machine); `manage.py jobs_worker` runs a worker on either (`make run` starts one beside the server).
INSTALLED_APPS += ["django_tasks", "django_tasks_db", "jobs"]
PERISAI_TASKS_REDIS_URL = os.environ.get("PERISAI_TASKS_REDIS_URL", "")
PERISAI_JOBS_TIMEOUT = int(os.environ.get("PERISAI_JOBS_TIMEOUT", str(2 * 60 * 60)))  # seconds a job may run (RQ)
if PERISAI_TASKS_REDIS_URL:
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": PERISAI_TASKS_REDIS_URL, "DEFAULT_TIMEOUT": PERISAI_JOBS_TIMEOUT}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# A participant list (or a national or regional workbook) over more acquisitions is made in the background.
PERISAI_JOBS_ROWS_IN_REQUEST = int(os.environ.get("PERISAI_JOBS_ROWS_IN_REQUEST", "5000"))
# An import or payments file of more rows than this is confirmed in the background.
PERISAI_JOBS_IMPORT_ROWS_IN_REQUEST = int(os.environ.get("PERISAI_JOBS_IMPORT_ROWS_IN_REQUEST", "5000"))
# A payments file larger than this (bytes; about 5,000 rows of CSV) is read and matched in the background too.
PERISAI_JOBS_UPLOAD_BYTES_IN_REQUEST = int(os.environ.get("PERISAI_JOBS_UPLOAD_BYTES_IN_REQUEST", str(400 * 1024)))
PERISAI_JOBS_KEPT_HOURS = int(os.environ.get("PERISAI_JOBS_KEPT_HOURS", "72"))  # then `jobs_sweep` deletes the file
PERISAI_JOBS_STALE_SECONDS = int(os.environ.get("PERISAI_JOBS_STALE_SECONDS", "300"))  # silent worker: start again
# The storage (a key of STORAGES) that keeps result files: "results" when STORAGES names one, else "default".
PERISAI_JOBS_STORAGE = os.environ.get("PERISAI_JOBS_STORAGE", "results" if "results" in STORAGES else "default")
# --- end of background jobs -------------------------------------------------------------------------------

# --- The figures cache (reports/freshness.py) -------------------------------------------------------------------
# The dashboard's figures are kept until the data they are computed from changes (a token the database changes
# with every write, part of each key), so the cache can never show a stale figure; it only saves the work.
# Local memory of each process by default; FIGURES_CACHE_URL=redis://127.0.0.1:6379/1 shares one Redis between
# every app server (Django's own Redis backend, the `redis` package). A cache that cannot be reached costs speed,
# not pages: the figures are computed afresh.
FIGURES_CACHE_URL = os.environ.get("FIGURES_CACHE_URL", "")
FIGURES_CACHE_SECONDS = int(os.environ.get("FIGURES_CACHE_SECONDS", "3600"))  # an unused key is dropped after it
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "figures": (
        {
            "BACKEND": "perisai.caching.TolerantRedisCache",  # Django's RedisCache; Redis down: a miss, not a 500
            "LOCATION": FIGURES_CACHE_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        if FIGURES_CACHE_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "figures",
            "OPTIONS": {"MAX_ENTRIES": 500},
        }
    ),
}
# --- end of the figures cache -------------------------------------------------------------------------------
