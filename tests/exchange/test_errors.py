from __future__ import annotations

import re
from pathlib import Path

from tests.exchange.conftest import assert_problem

ROOT = Path(__file__).resolve().parents[2]


def test_an_unknown_endpoint_answers_a_404_problem(api, world):
    assert_problem(api.get("/api/v1/nothing/here", world.user("us_caseworker")), 404, "not-found")


def test_the_interactive_docs_page_is_disabled_because_it_needs_a_cdn(api, world):
    assert_problem(api.get("/api/v1/docs"), 404, "not-found")


def test_an_unsupported_method_answers_a_405_problem(api, world):
    token = api.token(world.user("us_caseworker"))
    response = api.client.delete("/api/v1/cases", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert_problem(response, 405, "method-not-allowed")
    assert response["Allow"] == "GET"


def test_a_problem_names_the_request_it_answers(api, world):
    body = assert_problem(
        api.get("/api/v1/cases/42", world.user("us_caseworker")), 404, "not-found"
    )
    assert body["instance"] == "/api/v1/cases/42"


def test_an_unexpected_error_answers_a_500_problem_that_leaks_nothing(
    api, world, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("database password is hunter2")

    monkeypatch.setattr("readmit.exchange.routers.agreements.visible_agreements", broken)
    response = api.get("/api/v1/agreements", world.user("us_caseworker"))
    assert_problem(response, 500, "internal-error")
    assert b"hunter2" not in response.content
    assert b"RuntimeError" not in response.content
    assert "hunter2" in caplog.text  # logged for the operators, not told to the client


# Arguments of a call, allowing parentheses nested three deep (f-strings with joins).
_ARGS = r"\((?:[^()]|\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\))*?"
_REFUSALS = "|".join(
    [
        "ApplicationError",
        "NotFound",
        "Forbidden",
        "TransitionRefused",
        "PreconditionFailed",
        "ValidationFailed",
        "PreconditionRequired",
    ]
)
# The packages whose refusals can reach a client of this API (services the routers call and
# the transition hooks they run). Add a package here when the API starts calling into it.
BEHIND_THE_API = {
    "core",
    "accounts",
    "agreements",
    "cases",
    "relocation",
    "exchange",
    "consular",
    "screening",
    "events",
    "documents",
    "search",
    "work",
}
PATTERNS = [
    re.compile(r'\brule="([a-z][a-z-]+)"'),  # TransitionRefused(..., rule=...)
    # rule = "one" if ... else "other"
    re.compile(r'\brule = "([a-z][a-z-]+)" if '),
    re.compile(r'\brule = "[a-z][a-z-]+" if [^\n]* else "([a-z][a-z-]+)"'),
    re.compile(rf'(?:{_REFUSALS}){_ARGS}(?<![\w.])type="([a-z][a-z-]+)"'),
    re.compile(r'\bdefault_type\b[^=\n]*=\s*"([a-z][a-z-]+)"'),
    re.compile(r'\bslug="([a-z][a-z-]+)"'),  # problems the API answers itself
]


def _problem_types_in_code() -> set[str]:
    """Every stable problem type a service, the workflow or this API can answer."""
    found: set[str] = set()
    for path in (ROOT / "readmit").rglob("*.py"):
        if path.relative_to(ROOT / "readmit").parts[0] not in BEHIND_THE_API:
            continue
        text = path.read_text(encoding="utf-8")
        for pattern in PATTERNS:
            found |= set(pattern.findall(text))
    return found


def test_the_problem_type_scan_finds_rules_roles_and_the_apis_own_types():
    assert {
        "bad-request",
        "quota-exceeded",
        "workflow",
        "wrong-party",
        "wrong-role",
        "not-found",
        "precondition-required",
        "unauthenticated",
        "internal-error",
    } <= _problem_types_in_code()


def _documented_table() -> set[str]:
    """The types of the error table of docs/api.md: rows ``| status | `type` | meaning |``."""
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    return set(re.findall(r"^\| \d{3} \| `([a-z][a-z-]+)` \|", text, re.MULTILINE))


def test_every_type_in_the_error_table_is_one_the_code_can_answer():
    stale = _documented_table() - _problem_types_in_code()
    assert not stale, f"docs/api.md lists problem types no code answers: {sorted(stale)}"


def test_every_problem_type_is_in_the_error_table():
    missing = _problem_types_in_code() - _documented_table()
    assert not missing, f"add these problem types to the table in docs/api.md: {sorted(missing)}"


def test_every_problem_type_is_documented_in_the_api_guide():
    documented = set(re.findall(r"`([a-z][a-z-]+)`", (ROOT / "docs" / "api.md").read_text()))
    missing = _problem_types_in_code() - documented
    assert not missing, f"document these problem types in docs/api.md: {sorted(missing)}"
