"""``/metrics``: Prometheus text for a scraper holding READMIT_METRICS_TOKEN, nobody else."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from readmit.ops.metrics import token_matches

TOKEN = "scrape-token-for-tests-only-0123456789"


@pytest.fixture
def metrics_token(settings):
    settings.READMIT_METRICS_TOKEN = TOKEN
    return TOKEN


def scrape(client, token=TOKEN):
    return client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {token}")


def sample(text: str, name: str, **labels: str) -> float:
    """The value of one sample of the exposition text."""
    for line in text.splitlines():
        if line.startswith(name + "{") or line.startswith(name + " "):
            found = dict(re.findall(r'(\w+)="([^"]*)"', line.split("}")[0]))
            if all(found.get(k) == v for k, v in labels.items()):
                return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"no sample {name} {labels}")


def test_a_stranger_without_the_token_is_refused_and_sees_no_metric(client, db, metrics_token):
    for headers in ({}, {"HTTP_AUTHORIZATION": "Bearer wrong"}, {"HTTP_AUTHORIZATION": TOKEN}):
        response = client.get("/metrics", **headers)
        assert response.status_code == 401
        assert b"readmit_" not in response.content
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_user_without_the_token_is_refused_too(login, metrics_token):
    response = login("us_supervisor").get("/metrics")
    assert response.status_code == 401


def test_without_a_configured_token_metrics_do_not_exist(client, db, settings):
    settings.READMIT_METRICS_TOKEN = ""
    assert scrape(client, "").status_code == 404
    assert scrape(client, "anything").status_code == 404


def test_request_latency_is_counted_per_route_name_never_per_raw_path(client, world, metrics_token):
    # An anonymous visitor is sent to the login (302): counted under the page's name.
    labels = {"route": "web:case", "method": "GET", "status": "302"}
    before = scrape(client).content.decode()
    try:
        start = sample(before, "readmit_http_request_duration_seconds_count", **labels)
    except AssertionError:
        start = 0.0
    case_id = "7f0c43f6-2f9a-4d1a-9a55-3b1f0c2de001"
    assert client.get(f"/cases/{case_id}/").status_code == 302
    text = scrape(client).content.decode()
    assert sample(text, "readmit_http_request_duration_seconds_count", **labels) == start + 1
    assert case_id not in text
    assert "/cases/" not in text


def test_the_task_queue_depth_counts_the_tasks_waiting_in_the_database(client, db, metrics_token):
    from readmit.audit.tasks import audit_checkpoint_task

    depth = sample(scrape(client).content.decode(), "readmit_task_queue_depth")
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        audit_checkpoint_task.enqueue()
        audit_checkpoint_task.enqueue()
    text = scrape(client).content.decode()
    assert sample(text, "readmit_task_queue_depth") == depth + 2
    assert sample(text, "readmit_webhook_deliveries_failed") == 0
    assert sample(text, "readmit_import_jobs_running") == 0


def test_the_token_is_compared_whole_and_only_as_a_bearer():
    assert token_matches("abc", "Bearer abc")
    assert token_matches("abc", "bearer abc")
    assert not token_matches("abc", "Bearer ab")
    assert not token_matches("abc", "Basic abc")
    assert not token_matches("", "Bearer ")
