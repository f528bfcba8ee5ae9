"""The load ``bench.api_load`` puts on a running Readmit: run by locust, never imported by it.

Configured by the environment ``bench.api_load`` sets: ``BENCH_TOKEN`` (an API token),
``BENCH_CASE_IDS`` (a file of case ids that token can see, one a line),
``BENCH_AGREEMENT`` (an agreement id for the list's filter), ``BENCH_COOKIE`` (a logged-in
session cookie, for the web pages) and ``BENCH_MAX_REQUESTS`` (the run stops after that many
requests, whatever ``--run-time`` allows). Each task carries a tag, and each run of locust
selects one with ``--tags``, so that every endpoint is measured alone at full concurrency.
The host must be a loopback address: the bench refuses any other.
"""

from __future__ import annotations

import os
import random
from typing import Any
from urllib.parse import urlsplit

import gevent
from locust import events, tag, task
from locust.contrib.fasthttp import FastHttpUser

IDS = [line.strip() for line in open(os.environ["BENCH_CASE_IDS"]) if line.strip()]  # noqa: SIM115
TOKEN = os.environ.get("BENCH_TOKEN", "")
AGREEMENT = os.environ.get("BENCH_AGREEMENT", "")
COOKIE = os.environ.get("BENCH_COOKIE", "")
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "20000"))
_sent = 0


_environment: list[Any] = []


@events.init.add_listener
def _keep(environment: Any, **kwargs: Any) -> None:
    _environment.append(environment)


@events.test_start.add_listener
def _loopback_only(environment: Any, **kwargs: Any) -> None:
    host = urlsplit(environment.host or "").hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"the load test runs against loopback only, not {host!r}")


@events.request.add_listener
def _bounded(**kwargs: Any) -> None:
    """Stop the whole run once ``MAX_REQUESTS`` requests were made."""
    global _sent
    _sent += 1
    if _sent == MAX_REQUESTS and _environment and _environment[0].runner is not None:
        gevent.spawn(_environment[0].runner.quit)


class Client(FastHttpUser):
    """One of the concurrent clients: no think time, one request after another."""

    def on_start(self) -> None:
        self.api = {"Authorization": f"Bearer {TOKEN}"}
        self.web = {"Cookie": COOKIE}

    @tag("healthz")
    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="/healthz")

    @tag("api_case")
    @task
    def case_detail(self) -> None:
        self.client.get(
            f"/api/v1/cases/{random.choice(IDS)}",
            headers=self.api,
            name="GET /api/v1/cases/{id}",
        )

    @tag("api_list")
    @task
    def case_list(self) -> None:
        if random.random() < 0.5:
            path = "/api/v1/cases?limit=50"
        else:
            path = f"/api/v1/cases?agreement={AGREEMENT}&state=proposed&limit=50"
        self.client.get(path, headers=self.api, name="GET /api/v1/cases")

    @tag("web_list")
    @task
    def web_list(self) -> None:
        self.client.get("/cases/", headers=self.web, name="web /cases/")

    @tag("web_case")
    @task
    def web_case(self) -> None:
        self.client.get(
            f"/cases/{random.choice(IDS)}/",
            headers=self.web,
            name="web /cases/{id}/",
        )

    @tag("web_overview")
    @task
    def web_overview(self) -> None:
        self.client.get("/", headers=self.web, name="web / (overview)")
