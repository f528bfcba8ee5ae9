"""``/healthz``, ``/readyz`` and ``/metrics``: open without a login (the probes carry no data,
metrics has its own bearer token), never audited as reads, no personal data."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from readmit.ops import health, metrics


@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is alive and answers; touches no database."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready for traffic: 200, or 503 with the first failing check's reason."""
    checks = health.readiness()
    failed = [c for c in checks if not c.ok]
    body = {
        "status": "unavailable" if failed else "ok",
        "checks": {c.name: "ok" if c.ok else c.reason for c in checks},
    }
    if failed:
        body["reason"] = failed[0].reason
    return JsonResponse(body, status=503 if failed else 200)


@never_cache
@require_GET
def metrics_view(request: HttpRequest) -> HttpResponse:
    """Prometheus exposition for a scraper holding ``READMIT_METRICS_TOKEN``.

    Without a configured token the endpoint does not exist (404): a proxy on the same host
    makes every request look like loopback, so no address is trusted instead.
    """
    configured = settings.READMIT_METRICS_TOKEN
    if not configured:
        return JsonResponse({"status": "not found"}, status=404)
    if not metrics.token_matches(configured, request.headers.get("Authorization", "")):
        response = JsonResponse({"status": "unauthenticated"}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="readmit-metrics"'
        return response
    body, content_type = metrics.exposition()
    return HttpResponse(body, content_type=content_type)
