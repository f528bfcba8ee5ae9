"""Probes, request ids and structured logs (docs/operations.md "Monitor")."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from readmit.audit.models import AuditEvent
from readmit.ops.logs import JsonFormatter, logging_config
from readmit.ops.requestid import RequestIdFilter
from tests.factories import make_case


def test_healthz_answers_without_a_login_and_without_touching_the_database(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert len(queries) == 0


def test_readyz_answers_ok_with_each_check_when_the_database_is_migrated(client, db):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "task_queue": "ok"},
    }


def test_the_probes_write_no_audit_event_and_show_no_personal_data(client, world):
    case = make_case(world.agreement, by=world.user("us_caseworker"))
    before = AuditEvent.objects.count()
    bodies = [client.get(path).content.decode() for path in ("/healthz", "/readyz")]
    assert AuditEvent.objects.count() == before
    for body in bodies:
        assert case.person.family_name not in body and str(case.id) not in body


def test_the_probes_answer_a_session_without_its_second_factor_instead_of_redirecting(
    client, world
):
    from tests.web.test_logins import _password

    _password(client, "xk_caseworker")
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200


def test_a_safe_incoming_request_id_is_echoed_and_an_unsafe_one_is_replaced(client, db):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.9")["X-Request-ID"] == "lb-7f3a.9"
    for unsafe in ("a b", "x" * 65, "id\nforged log line", "Ana Quintero <1988-04-12>"):
        echoed = client.get("/healthz", HTTP_X_REQUEST_ID=unsafe)["X-Request-ID"]
        assert echoed != unsafe
        assert len(echoed) == 32 and echoed.isalnum()


def test_every_response_has_its_own_generated_request_id(client, db):
    ids = {client.get("/healthz")["X-Request-ID"] for _ in range(5)}
    assert len(ids) == 5


def test_a_problem_document_carries_the_request_id_of_its_response(client, db):
    response = client.get("/api/v1/cases", HTTP_X_REQUEST_ID="trace-42")
    assert response.status_code == 401
    assert response.json()["request_id"] == "trace-42" == response["X-Request-ID"]
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]["Problem"]
    assert "request_id" in schema["properties"]


@pytest.fixture
def json_lines():
    """The root logger writes JSON to a buffer, through the filter and formatter of
    ``logging_config("json", ...)``."""
    config = logging_config("json", "INFO")
    assert config["formatters"]["readmit"]["()"] == "readmit.ops.logs.JsonFormatter"
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)


def test_every_log_line_of_a_request_is_one_json_object_with_its_request_id(
    client, world, json_lines
):
    logging.getLogger("readmit.test").info("outside any request")
    response = client.get("/login/", HTTP_X_REQUEST_ID="req-1")
    assert response.status_code == 200
    lines = json_lines()
    outside = next(line for line in lines if line["message"] == "outside any request")
    assert outside["request_id"] == ""
    access = [line for line in lines if line["logger"] == "readmit.request"]
    assert len(access) == 1
    assert access[0]["request_id"] == "req-1"
    assert access[0]["route"] == "web:login"
    assert access[0]["status"] == 200
    assert access[0]["level"] == "INFO"
    assert isinstance(access[0]["duration_ms"], float)


def test_the_access_line_leaves_out_the_query_string(client, world, json_lines, login):
    login("us_caseworker").get("/cases/?q=Quintero")
    access = [line for line in json_lines() if line["logger"] == "readmit.request"]
    assert access and all("Quintero" not in json.dumps(line) for line in access)


def test_an_unknown_log_format_is_refused_by_name():
    with pytest.raises(ValueError, match="READMIT_LOG_FORMAT"):
        logging_config("yaml", "INFO")


def test_text_logs_carry_the_request_id_too():
    config = logging_config("text", "INFO")
    assert "%(request_id)s" in config["formatters"]["readmit"]["format"]
    assert config["handlers"]["console"]["filters"] == ["request_id"]
