"""Gunicorn settings for ``readmit serve`` (docs/operations.md "Deploy").

Every value can be overridden on the command line or by gunicorn's own ``GUNICORN_CMD_ARGS``.
Prometheus' multiprocess mode needs a directory shared by the workers, emptied when the
server starts and told when a worker dies; it must be set before any worker imports
prometheus_client, which is why it is set here.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

_var = Path(os.environ.get("READMIT_VAR_DIR", Path(__file__).resolve().parent.parent / "var"))
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", str(_var / "prometheus"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

wsgi_app = "config.wsgi:application"
worker_class = "sync"
timeout = int(os.environ.get("READMIT_WEB_TIMEOUT", "60"))
graceful_timeout = 30
# A worker is replaced after this many requests (and a little jitter): bounds slow leaks.
max_requests = int(os.environ.get("READMIT_WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Django's request log line (readmit.request) is the access log; gunicorn's own is off.
accesslog = None
errorlog = "-"
forwarded_allow_ips = os.environ.get("READMIT_FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server: Any) -> None:
    """Empty the metrics directory: samples of a previous run's workers are not ours."""
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)


def child_exit(server: Any, worker: Any) -> None:
    """A dead worker's gauges must not be summed any more (its counters stay)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
