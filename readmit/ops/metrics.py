"""Prometheus metrics, served at ``/metrics`` to a scraper holding ``READMIT_METRICS_TOKEN``.

Several gunicorn workers report together through prometheus-client's multiprocess mode:
with ``PROMETHEUS_MULTIPROC_DIR`` set (``readmit serve`` sets it), each process writes its
samples to files there and a scrape sums them (``config/gunicorn.py`` marks dead workers).

Labels are route *names* (``web:case``), methods and status codes: never a raw path, an id or
anything personal. The gauges (task queue depth, failed webhook deliveries, import jobs
running) are counted in the database at scrape time, so every worker answers the same.
"""

from __future__ import annotations

import hmac
import os
from collections.abc import Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

REQUEST_LATENCY = Histogram(
    "readmit_http_request_duration_seconds",
    "Time to answer a request, by route name, method and status code.",
    ["route", "method", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)


def observe_request(route: str, method: str, status: int, seconds: float) -> None:
    REQUEST_LATENCY.labels(route=route, method=method, status=str(status)).observe(seconds)


class DatabaseGauges(Collector):
    """Counted at scrape time from the database (the same answer from every worker)."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from django.db import DatabaseError

        try:
            yield from self._counted()
        except DatabaseError:
            # The request metrics still answer; /readyz says what is wrong with the database.
            return

    def _counted(self) -> Iterator[GaugeMetricFamily]:
        from django_tasks_db.models import DBTaskResult

        from readmit.events.models import DeliveryStatus, WebhookDelivery
        from readmit.relocation.models import ImportState, ListImport

        queue = GaugeMetricFamily(
            "readmit_task_queue_depth",
            "Background tasks waiting in the database queue (status READY).",
        )
        queue.add_metric([], DBTaskResult.objects.filter(status="READY").count())
        yield queue
        failed = GaugeMetricFamily(
            "readmit_webhook_deliveries_failed",
            "Webhook deliveries that exhausted their attempts.",
        )
        failed.add_metric([], WebhookDelivery.objects.filter(status=DeliveryStatus.FAILED).count())
        yield failed
        running = GaugeMetricFamily(
            "readmit_import_jobs_running", "Proposal-list import jobs running now."
        )
        running.add_metric([], ListImport.objects.filter(state=ImportState.RUNNING).count())
        yield running


def exposition() -> tuple[bytes, str]:
    """The text a scrape receives: every worker's samples (multiprocess) plus the gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        from prometheus_client import REGISTRY

        registry = CollectorRegistry()
        registry.register(_Forward(REGISTRY))
    registry.register(DatabaseGauges())
    return generate_latest(registry), CONTENT_TYPE_LATEST


class _Forward(Collector):
    """This process's own samples (single-process mode)."""

    def __init__(self, source: CollectorRegistry) -> None:
        self.source = source

    def collect(self) -> Iterator[object]:  # type: ignore[override]
        yield from self.source.collect()


def token_matches(configured: str, authorization: str) -> bool:
    """``Authorization: Bearer <configured>``, compared in constant time."""
    scheme, _, given = authorization.partition(" ")
    if scheme.lower() != "bearer" or not configured:
        return False
    return hmac.compare_digest(given.strip().encode(), configured.encode())
