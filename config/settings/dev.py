"""Development and demo: SQLite in var/, debug pages on, a fixed local secret."""

from __future__ import annotations

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = True
SECRET_KEY = os.environ.get("READMIT_SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
VAR_DIR.mkdir(parents=True, exist_ok=True)
# Demo and development run tasks in-process: no worker to start.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Local receivers (127.0.0.1) are fine on a laptop.
READMIT_WEBHOOK_ALLOW_PRIVATE = True

# Fixed, public development keys for field encryption: never use them anywhere else.
READMIT_DATA_KEYS = (
    os.environ.get("READMIT_DATA_KEYS")
    or "dev1:5f0c4a6e8b2d1f3a7c9e0b4d6f8a2c1e3b5d7f9a0c2e4b6d8f1a3c5e7b9d0f2a"
)
READMIT_BLIND_INDEX_KEY = (
    os.environ.get("READMIT_BLIND_INDEX_KEY")
    or "0e1d2c3b4a5968778695a4b3c2d1e0f00f1e2d3c4b5a69788796a5b4c3d2e1f0"
)
# E-mail notifications are printed, not sent, in development and the demo.
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
