"""``python -m bench.api_load``: the API and the web pages under 32 concurrent clients.

On the bench database (``bench.cases``; ``--cases N`` adds cases until there are N), this
starts the real server (``readmit serve``: gunicorn with ``--workers`` processes, default
two per core plus one) on a free loopback port against the same database, creates an API
token for the US caseworker of the demo (``us-dhs-caseworker``), logs the same user in
through the real login pages (password, then a TOTP code from the demo's published key)
for a session cookie, and picks 2,000 random cases that user can see. Then locust
(``bench/locustfile.py``, headless, in a process of its own) runs each endpoint alone with
``--users`` clients (32) that send one request after another, for at most ``--seconds``
and at most ``--requests`` requests per endpoint, loopback only:

- ``/healthz``: the baseline, the same server's cheapest answer;
- ``GET /api/v1/cases/{id}`` (a random visible case) and ``GET /api/v1/cases`` (the first
  page, with and without an agreement and state filter);
- the web case list ``/cases/``, a case page ``/cases/{id}/`` and the overview ``/``.

Printed per endpoint: requests, failures, throughput, p50, p95, p99 (locust's percentiles:
whole milliseconds), and the ratios to ``/healthz``. Targets (docs/performance.md): case
detail p99 <= 50 ms and >= 40 % of the health endpoint's throughput at 32 clients; case list
and overview p95 <= 300 ms; over 1,000,000 cases.

The server runs the test settings (no debug, fixed public field keys: the ones the bench
wrote the rows with), as ``tests/ops`` serve it. Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import http.cookiejar
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.cases import bench_cases, django_setup, generate, world_ready

ROOT = Path(__file__).resolve().parents[1]
USER = "us-dhs-caseworker"
API = (("healthz", "/healthz"), ("api_case", "case detail"), ("api_list", "case list"))
WEB = (("web_list", "web case list"), ("web_case", "web case page"), ("web_overview", "overview"))


@dataclass
class Figures:
    label: str
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def serving(workers: int, var: Path) -> Iterator[str]:
    """``readmit serve`` on a free loopback port with ``workers`` processes; its base URL."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings.test"),
        "READMIT_VAR_DIR": str(var),
        "PROMETHEUS_MULTIPROC_DIR": str(var / "prometheus"),
        "READMIT_WEB_MAX_REQUESTS": "1000000",  # no worker restarts in the middle of a run
    }
    log = var / "server.log"
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
                "0",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited: {log.read_text()[-3000:]}")
            with contextlib.suppress(OSError):
                if urllib.request.urlopen(base + "/healthz", timeout=5).status == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"the server did not start: {log.read_text()[-3000:]}")
            time.sleep(0.3)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def session_cookie(base: str, username: str) -> str:
    """Log ``username`` in through the real pages (password, then TOTP); the Cookie header."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from readmit.demo.load import DEMO_PASSWORD

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def post(path: str, fields: dict[str, str]) -> str:
        opener.open(base + path, timeout=60).read()
        csrf = next(c.value for c in jar if c.name == "csrftoken")
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": csrf or ""}).encode()
        with opener.open(base + path, data=data, timeout=60) as response:
            return str(response.geturl())

    post("/login/", {"username": username, "password": DEMO_PASSWORD})
    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    oath = TOTP(device.bin_key, device.step, device.t0, device.digits, 0)
    step = max(oath.t() + device.drift, device.last_t + 1)
    oath.time = device.t0 + step * device.step
    landed = post("/login/verify/", {"token": f"{oath.token():0{device.digits}d}"})
    if "/login/" in urllib.parse.urlsplit(landed).path:
        raise RuntimeError(f"the bench could not log {username} in (landed on {landed})")
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def locust(
    base: str, tag: str, *, users: int, seconds: int, requests: int, env: dict[str, str], out: Path
) -> Figures:
    """One headless locust run of the task tagged ``tag``; its figures."""
    prefix = out / tag
    command = [
        sys.executable,
        "-m",
        "locust",
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--only-summary",
        "--loglevel",
        "WARNING",
        "-H",
        base,
        "-u",
        str(users),
        "-r",
        str(users),
        "-t",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--tags",
        tag,
        "--csv",
        str(prefix),
    ]
    done = subprocess.run(
        command,
        env={**os.environ, **env, "BENCH_MAX_REQUESTS": str(requests)},
        check=False,
        capture_output=True,
        timeout=seconds + 120,
    )
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if r["Name"] != "Aggregated"]
    if not rows:
        raise RuntimeError(f"locust made no request for {tag}: {done.stderr[-2000:]!r}")
    row = rows[0]

    def number(key: str) -> float:
        value = row.get(key) or "nan"
        return float("nan") if value == "N/A" else float(value)

    return Figures(
        tag,
        int(row["Request Count"]),
        int(row["Failure Count"]),
        number("Requests/s"),
        number("50%"),
        number("95%"),
        number("99%"),
    )


def case_sample(user: Any, size: int) -> list[str]:
    """``size`` random ids of cases ``user`` can see (the bench's own cases when there are)."""
    from django.db import connection

    from readmit.cases.selectors import case_list

    visible = case_list(user)
    if connection.vendor == "postgresql":
        # A random sample without sorting a million rows: every k-th visible case.
        total = visible.count()
        ids = list(visible.order_by("id").values_list("id", flat=True)[: size * 50])
        step = max(1, min(len(ids), total) // size)
        return [str(i) for i in ids[::step][:size]]
    return [str(i) for i in visible.order_by("?").values_list("id", flat=True)[:size]]


def run(args: argparse.Namespace) -> int:
    from django.db import connection

    from readmit.accounts.models import User
    from readmit.accounts.services import token_create
    from readmit.agreements.models import Agreement

    world_ready()
    missing = args.cases - bench_cases()
    if missing > 0:
        print(f"writing {missing:,} more cases (bench.cases)", file=sys.stderr)
        generate(missing)
    user = User.objects.get(username=USER)
    _, token = token_create(user=user, name="bench", acting_user=user)
    ids = case_sample(user, 2000)
    agreement = Agreement.objects.get(reference="us-xk-relocation").id
    engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    total = bench_cases()
    workers = args.workers or 2 * (os.cpu_count() or 1) + 1
    with tempfile.TemporaryDirectory(prefix="readmit-bench-") as tmp:
        var = Path(tmp)
        (var / "ids.txt").write_text("\n".join(ids))
        with serving(workers, var) as base:
            cookie = session_cookie(base, USER)
            env = {
                "BENCH_TOKEN": token,
                "BENCH_CASE_IDS": str(var / "ids.txt"),
                "BENCH_AGREEMENT": str(agreement),
                "BENCH_COOKIE": cookie,
            }
            load = {"users": args.users, "seconds": args.seconds, "requests": args.requests}
            figures = {
                tag: locust(base, tag, env=env, out=var, **load)
                for tag, _ in (*API, *(() if args.api_only else WEB))
            }
    print(
        f"== API and pages under {args.users} clients: {total:,} bench cases ({engine}), "
        f"{workers} gunicorn workers, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f} =="
    )
    print(f"   each endpoint alone for at most {args.seconds} s or {args.requests:,} requests")
    health = figures["healthz"]
    for tag, label in (*API, *(() if args.api_only else WEB)):
        f = figures[tag]
        print(
            f"{label:<15} {f.requests:>6} req {f.failures:>4} failed {f.rps:8.1f} req/s "
            f"({f.rps / health.rps:5.2f}x healthz)  p50 {f.p50:5.0f} ms  p95 {f.p95:5.0f} ms  "
            f"p99 {f.p99:5.0f} ms ({f.p99 / max(health.p99, 1):5.1f}x healthz)"
        )
    detail = figures["api_case"]
    print(
        f"targets   case detail p99 {detail.p99:.0f} ms (<= 50), throughput "
        f"{detail.rps / health.rps:.0%} of healthz (>= 40 %)"
        + (
            ""
            if args.api_only
            else f"; p95 case list {figures['web_list'].p95:.0f} ms, overview "
            f"{figures['web_overview'].p95:.0f} ms (<= 300)"
        )
    )
    failed = sum(f.failures for f in figures.values())
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--cases", type=int, default=0, help="at least N bench cases first")
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers")
    parser.add_argument("--users", type=int, default=32, help="concurrent clients (32)")
    parser.add_argument("--seconds", type=int, default=20, help="per endpoint, at most (20)")
    parser.add_argument("--requests", type=int, default=20_000, help="per endpoint, at most")
    parser.add_argument("--api-only", action="store_true", help="leave the web pages out")
    args = parser.parse_args(argv)
    django_setup()
    return run(args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
