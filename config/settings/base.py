"""Settings shared by every environment; each value that differs is read from the environment."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from readmit.ops.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("READMIT_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("READMIT_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("READMIT_ALLOWED_HOSTS", "127.0.0.1,localhost")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "readmit.core",
    "readmit.accounts",
    "readmit.audit",
    "readmit.agreements",
    "readmit.cases",
    "readmit.screening",
    "readmit.relocation",
    "readmit.consular",
    "readmit.exchange",
    "readmit.events",
    "readmit.search",
    "readmit.work",
    "readmit.web",
]

MIDDLEWARE = [
    # First: the request id is on every log line, and the latency covers everything below.
    "readmit.ops.requestid.request_id",
    "django.middleware.security.SecurityMiddleware",
    # Before the login gates, so their redirects carry the headers too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "readmit.web.middleware.security_headers",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The browser's language (or the login page's chooser); the user's own overrides it below.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "readmit.web.middleware.session_timeouts",
    "readmit.web.middleware.second_factor_required",
    "readmit.web.middleware.user_time_zone",
    "readmit.web.middleware.user_language",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "readmit.web.context.membership",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'readmit.sqlite3'}"),
        conn_max_age=int(os.environ.get("READMIT_DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and a background worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;",
    }

# Reports read from a streaming replica when one is configured (readmit/core/dbrouting.py,
# docs/operations.md "Read replica"); writes and every other read use the primary.
if os.environ.get("READMIT_REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["READMIT_REPLICA_DATABASE_URL"],
        conn_max_age=int(os.environ.get("READMIT_DB_CONN_MAX_AGE", "0")),
    )
DATABASE_ROUTERS = ["readmit.core.dbrouting.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:login"

PASSWORD_HASHERS = [
    "readmit.accounts.hashers.BoundedArgon2PasswordHasher",
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
]

LANGUAGE_CODE = "en"
# Interface languages (docs/adr/0017-interface-languages.md): Django's own codes where it has
# them (``sr`` is Serbian in Cyrillic, ``sr-latn`` in Latin script), ISO 639-3 ``cnr`` for
# Montenegrin (``cnr-cyrl`` in Cyrillic; ``readmit.web.i18n.languages`` adds both to Django's
# LANG_INFO). The names are in each language's own words, so a reader finds their own.
LANGUAGES = [
    ("en", "English"),
    ("cnr", "Crnogorski"),
    ("cnr-cyrl", "Црногорски"),
    ("sq", "Shqip"),
    ("sr-latn", "Srpski (latinica)"),
    ("sr", "Српски (ћирилица)"),
    ("it", "Italiano"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Montenegrin dates and numbers (Django has no ``cnr`` formats of its own).
FORMAT_MODULE_PATH = ["readmit.web.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = Path(os.environ.get("READMIT_MEDIA_ROOT", VAR_DIR / "attachments"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Attachments are never served from MEDIA_URL: a view checks the case gate first.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Everything from our own origin, nothing inline, no eval, no framing (docs/security.md).
READMIT_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
READMIT_PERMISSIONS_POLICY = (
    "camera=(), microphone=(), geolocation=(), payment=(), usb=(), "
    "accelerometer=(), gyroscope=(), magnetometer=()"
)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A running task whose worker has not beaten for this long is re-queued by
# `readmit tasks requeue-stale` (readmit/core/tasklease.py).
READMIT_TASK_LEASE_SECONDS = float(os.environ.get("READMIT_TASK_LEASE_SECONDS", "60"))

# Webhooks (docs/api.md "Events"): attempts, backoff base x 2^(n-1) capped, request timeout;
# the hosts webhook URLs may name (empty: any host that resolves to a public address).
READMIT_WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("READMIT_WEBHOOK_MAX_ATTEMPTS", "8"))
READMIT_WEBHOOK_BACKOFF_SECONDS = float(os.environ.get("READMIT_WEBHOOK_BACKOFF_SECONDS", "30"))
READMIT_WEBHOOK_BACKOFF_MAX_SECONDS = float(
    os.environ.get("READMIT_WEBHOOK_BACKOFF_MAX_SECONDS", "21600")
)
READMIT_WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("READMIT_WEBHOOK_TIMEOUT_SECONDS", "10"))
READMIT_WEBHOOK_ALLOWED_HOSTS = [
    h.strip() for h in os.environ.get("READMIT_WEBHOOK_ALLOWED_HOSTS", "").split(",") if h.strip()
]
READMIT_WEBHOOK_ALLOW_PRIVATE = False

# Logs (docs/operations.md "Logs"): text here, one JSON object a line in production; every
# line written during a request carries its id.
READMIT_LOG_FORMAT = os.environ.get("READMIT_LOG_FORMAT", "text")
LOGGING = logging_config(READMIT_LOG_FORMAT, os.environ.get("READMIT_LOG_LEVEL", "INFO"))
# /metrics answers only to "Authorization: Bearer <this>"; unset, /metrics does not exist.
READMIT_METRICS_TOKEN = os.environ.get("READMIT_METRICS_TOKEN", "")

# Readmit's own settings.
READMIT_API_PAGE_SIZE = 50
READMIT_DUE_SOON_DAYS = 3
# The font stack of travel documents, letters, printouts and pages (readmit/documents/fonts.py;
# docs/adr/0018, which replaces the DejaVu font of docs/adr/0004).
READMIT_FONT_DIR = Path(os.environ.get("READMIT_FONT_DIR", "/usr/share/fonts/truetype/noto"))
# API tokens: how long a new token lives unless asked otherwise, and the longest it may.
READMIT_TOKEN_DEFAULT_DAYS = int(os.environ.get("READMIT_TOKEN_DEFAULT_DAYS", "90"))
READMIT_TOKEN_MAX_DAYS = int(os.environ.get("READMIT_TOKEN_MAX_DAYS", "365"))
# Ed25519 seed (64 hex digits) that signs audit checkpoints; see docs/security.md.
READMIT_AUDIT_SIGNING_KEY = os.environ.get("READMIT_AUDIT_SIGNING_KEY", "")
# Field encryption (ADR 0012): key-encryption keys "id:64hex,..." (the current one first) and
# a separate key for blind indexes. Production refuses to start without them.
READMIT_DATA_KEYS = os.environ.get("READMIT_DATA_KEYS", "")
READMIT_BLIND_INDEX_KEY = os.environ.get("READMIT_BLIND_INDEX_KEY", "")
# The blind-index keys READMIT_BLIND_INDEX_KEY replaces ("64hex,..."), kept until
# `readmit keys rotate --blind-index` has finished; lookups try each.
READMIT_BLIND_INDEX_PREVIOUS_KEYS = os.environ.get("READMIT_BLIND_INDEX_PREVIOUS_KEYS", "")

# Logins (docs/security.md "Logins"). Argon2id at OWASP's first recommended setting
# (19 MiB, 2 passes, 1 lane); at most READMIT_PASSWORD_CHECKS_CONCURRENT checks per process.
READMIT_ARGON2 = {
    "memory_cost": int(os.environ.get("READMIT_ARGON2_MEMORY_KIB", "19456")),
    "time_cost": int(os.environ.get("READMIT_ARGON2_TIME_COST", "2")),
    "parallelism": 1,
}
READMIT_PASSWORD_CHECKS_CONCURRENT = int(os.environ.get("READMIT_PASSWORD_CHECKS", "4"))
READMIT_PASSWORD_CHECK_WAIT_SECONDS = 5.0
READMIT_LOGIN_ACCOUNT_FAILURE_LIMIT = int(os.environ.get("READMIT_LOGIN_ACCOUNT_FAILURES", "5"))
READMIT_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("READMIT_LOGIN_ADDRESS_FAILURES", "20"))
READMIT_LOGIN_FAILURE_WINDOW_SECONDS = int(os.environ.get("READMIT_LOGIN_WINDOW_SECONDS", "900"))
READMIT_SESSION_IDLE_SECONDS = int(os.environ.get("READMIT_SESSION_IDLE_SECONDS", "1800"))
READMIT_SESSION_ABSOLUTE_SECONDS = int(os.environ.get("READMIT_SESSION_ABSOLUTE_SECONDS", "43200"))
SESSION_COOKIE_AGE = READMIT_SESSION_ABSOLUTE_SECONDS
OTP_TOTP_ISSUER = "Readmit"
