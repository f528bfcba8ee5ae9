"""Test settings: SQLite in memory unless DATABASE_URL names another database (CI: PostgreSQL)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dj_database_url

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-0123456789abcdef"
ALLOWED_HOSTS = ["*"]
if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            # The test database is Django's in-memory one (no TEST NAME): private to each
            # test process, so parallel runs never share a file.
            "NAME": os.path.join(tempfile.gettempdir(), "readmit-test.sqlite3"),
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
        }
    }
# Fast hashing in tests only; production keeps Argon2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# One media directory per pytest-xdist worker ("gw0", "gw1", ...), so parallel workers never
# share files.
MEDIA_ROOT = Path(tempfile.gettempdir()) / (
    "readmit-test-media-" + os.environ.get("PYTEST_XDIST_WORKER", "main")
)
# A fixed, public test key for audit checkpoints: never use it anywhere else.
READMIT_AUDIT_SIGNING_KEY = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# The test receiver listens on 127.0.0.1.
READMIT_WEBHOOK_ALLOW_PRIVATE = True
READMIT_WEBHOOK_TIMEOUT_SECONDS = 5.0
# Fixed, public test keys for field encryption: never use them anywhere else.
READMIT_DATA_KEYS = "dev1:5f0c4a6e8b2d1f3a7c9e0b4d6f8a2c1e3b5d7f9a0c2e4b6d8f1a3c5e7b9d0f2a"
READMIT_BLIND_INDEX_KEY = "0e1d2c3b4a5968778695a4b3c2d1e0f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
