"""Production serving: gunicorn with several worker processes, configured by
``config/gunicorn.py`` (docs/operations.md "Deploy", docs/adr/0013)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

CONFIG = Path(__file__).resolve().parents[2] / "config" / "gunicorn.py"


def default_workers() -> int:
    """Gunicorn's rule of thumb, two per core plus one."""
    return 2 * (os.cpu_count() or 1) + 1


def gunicorn_argv(*, bind: str, workers: int | None) -> list[str]:
    executable = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    return [
        executable,
        "--config",
        str(CONFIG),
        "--bind",
        bind,
        "--workers",
        str(workers or default_workers()),
        "config.wsgi:application",
    ]


def task_worker_argv() -> list[str]:
    """One background worker of the database queue (django-tasks' ``db_worker``)."""
    return [sys.executable, "-m", "readmit.cli", "manage", "db_worker"]


def run(*, bind: str, workers: int | None, task_workers: int) -> int:
    """Gunicorn in the foreground and ``task_workers`` background workers beside it, as
    separate processes; a TERM or INT stops them all. Answers gunicorn's exit code."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    argv = gunicorn_argv(bind=bind, workers=workers)
    if task_workers == 0:
        os.execv(argv[0], argv)  # noqa: S606
    children = [subprocess.Popen(task_worker_argv()) for _ in range(task_workers)]  # noqa: S603
    web = subprocess.Popen(argv)  # noqa: S603

    def stop(signum: int, frame: object) -> None:
        for process in (web, *children):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = web.wait()
    stop(signal.SIGTERM, None)
    for child in children:
        child.wait()
    return code
