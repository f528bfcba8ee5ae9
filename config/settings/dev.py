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
