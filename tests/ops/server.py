"""A real ``readmit serve`` (gunicorn) on a free loopback port, for tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def request(
    url: str,
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    """(status, headers, body) of one HTTP request; error statuses are answers too."""
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@contextlib.contextmanager
def serve(env: dict[str, str], *, workers: int, log: Path) -> Iterator[str]:
    """Start ``readmit serve`` with ``workers`` processes; yield its base URL; stop it."""
    with serve_process(env, workers=workers, task_workers=0, log=log) as (base, _):
        yield base


@contextlib.contextmanager
def serve_process(
    env: dict[str, str], *, workers: int, task_workers: int, log: Path
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``readmit serve`` with background workers too; yields (base URL, the process)."""
    port = free_port()
    with log.open("w") as output:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "readmit.cli",
                "serve",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--task-workers",
                str(task_workers),
            ],
            cwd=ROOT,
            env={**os.environ, **env},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 120
            while True:
                if process.poll() is not None:
                    raise AssertionError(f"the server exited: {log.read_text()[-3000:]}")
                try:
                    if request(base + "/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError(f"the server did not start: {log.read_text()[-3000:]}")
                time.sleep(0.3)
            yield base, process
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def worker_pids(log: Path) -> set[str]:
    """The worker pids gunicorn reported booting."""
    return {
        line.rsplit("pid: ", 1)[1].strip().rstrip("]")
        for line in log.read_text().splitlines()
        if "Booting worker with pid" in line
    }


def server_env(tmp_path: Path, **extra: Any) -> dict[str, str]:
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "READMIT_VAR_DIR": str(tmp_path / "var"),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus"),
    }
    env.update({k: str(v) for k, v in extra.items()})
    return env
