"""Production: every secret and host comes from the environment; refuses to start without them."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from readmit.core.crypto import KeyConfigError, parse_keyring
from readmit.ops.logs import logging_config

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = False
SECRET_KEY = os.environ.get("READMIT_SECRET_KEY", "")
if len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("READMIT_SECRET_KEY must be set to at least 32 random characters.")
if "DATABASE_URL" not in os.environ:
    raise ImproperlyConfigured("DATABASE_URL must be set in production (PostgreSQL).")
# Field encryption keys (ADR 0012): refuse to start without them, or with malformed ones.
READMIT_DATA_KEYS = os.environ.get("READMIT_DATA_KEYS", "")
READMIT_BLIND_INDEX_KEY = os.environ.get("READMIT_BLIND_INDEX_KEY", "")
READMIT_BLIND_INDEX_PREVIOUS_KEYS = os.environ.get("READMIT_BLIND_INDEX_PREVIOUS_KEYS", "")
try:
    parse_keyring(READMIT_DATA_KEYS, READMIT_BLIND_INDEX_KEY, READMIT_BLIND_INDEX_PREVIOUS_KEYS)
except KeyConfigError as error:
    raise ImproperlyConfigured(f"{error} (see docs/security.md, Key management)") from None
SESSION_COOKIE_SECURE = env_bool("READMIT_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("READMIT_SSL_REDIRECT", False)
# HSTS on by default (one year); READMIT_HSTS_SECONDS=0 turns it off (e.g. while testing TLS).
SECURE_HSTS_SECONDS = int(os.environ.get("READMIT_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("READMIT_HSTS_INCLUDE_SUBDOMAINS", False)
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("READMIT_CSRF_ORIGINS", "").split(",") if o]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
}
# One JSON object a line unless told otherwise (docs/operations.md "Logs").
READMIT_LOG_FORMAT = os.environ.get("READMIT_LOG_FORMAT", "json")
LOGGING = logging_config(READMIT_LOG_FORMAT, os.environ.get("READMIT_LOG_LEVEL", "INFO"))
# E-mail notifications over SMTP (docs/operations.md "Configure"); no host: none are sent.
EMAIL_HOST = os.environ.get("READMIT_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("READMIT_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("READMIT_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("READMIT_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("READMIT_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("READMIT_EMAIL_FROM", "readmit@localhost")
if not EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
