"""The audit log's filters (event, user, case reference, days in the reader's zone), its
readable lines and its CSV and XLSX exports: each filter gives exactly the matching events,
never another agreement's, and an export is audited with its formula cells neutralised."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from readmit.accounts.roles import Role
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case
from readmit.cases.services import case_transition
from readmit.core import clock
from tests.factories import log_in, make_agreement, make_case, make_user

# 23:30 UTC on 10 March is 00:30 on 11 March in Kosovo (Europe/Belgrade, UTC+1 then).
LATE_EVENING_UTC = dt.datetime(2026, 3, 10, 23, 30, tzinfo=dt.UTC)


def _page_seqs(client: Client, query: dict[str, str]) -> set[int]:
    response = client.get("/audit/", query)
    assert response.status_code == 200, response.content.decode()[:300]
    return {int(n) for n in re.findall(r"<tr>\s*<td>(\d+)</td>", response.content.decode())}


def _csv_rows(client: Client, query: dict[str, str]) -> list[dict[str, str]]:
    response: Any = client.get("/audit/export.csv", query)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def _seqs(client: Client, query: dict[str, str]) -> set[int]:
    """The events the page lists and the CSV holds: always the same."""
    page = _page_seqs(client, query)
    exported = {int(row["seq"]) for row in _csv_rows(client, query)}
    assert page == exported
    return page


def _seq_set(events: Any) -> set[int]:
    return set(events.values_list("seq", flat=True))


@pytest.fixture
def two_cases(world: Any) -> tuple[Case, Case]:
    first = make_case(world.agreement, by=world.user("us_caseworker"), family_name="Krasniqi")
    second = make_case(world.agreement, by=world.user("us_caseworker"), family_name="Berisha")
    case_transition(case_id=first.id, action="recommend", acting_user=world.user("xk_caseworker"))
    case_transition(case_id=second.id, action="recommend", acting_user=world.user("xk_caseworker"))
    return first, second


def test_each_filter_gives_exactly_the_matching_events(world, two_cases):
    first, _second = two_cases
    auditor = log_in(Client(), world.user("xk_auditor"))
    transitioned = AuditEvent.objects.filter(event_type=AuditEventType.CASE_TRANSITIONED)
    assert len(_seq_set(transitioned)) == 2
    event = str(int(AuditEventType.CASE_TRANSITIONED))
    assert _seqs(auditor, {"event": event}) == _seq_set(transitioned)
    by_caseworker = AuditEvent.objects.filter(actor_username="xk_caseworker")
    assert _seqs(auditor, {"actor": "XK_Caseworker"}) == _seq_set(by_caseworker)
    of_first = AuditEvent.objects.filter(case_id=first.id)
    assert len(_seq_set(of_first)) >= 2
    assert _seqs(auditor, {"case": first.reference}) == _seq_set(of_first)
    both = {"event": event, "case": first.reference, "actor": "xk_caseworker"}
    assert _seqs(auditor, both) == _seq_set(transitioned.filter(case_id=first.id))


def test_days_are_counted_in_the_readers_time_zone(world, monkeypatch):
    case = make_case(world.agreement, by=world.user("us_caseworker"))
    monkeypatch.setattr(clock, "now", lambda: LATE_EVENING_UTC)
    case_transition(case_id=case.id, action="recommend", acting_user=world.user("xk_caseworker"))
    monkeypatch.undo()
    late = _seq_set(AuditEvent.objects.filter(occurred_at=LATE_EVENING_UTC))
    assert late
    auditor = log_in(Client(), world.user("xk_auditor"))
    assert _seqs(auditor, {"date_from": "2026-03-11", "date_to": "2026-03-11"}) == late
    assert _seqs(auditor, {"date_from": "2026-03-10", "date_to": "2026-03-10"}) == set()
    assert late <= _seqs(auditor, {"date_from": "2026-03-01"})


def test_a_range_that_ends_before_it_starts_is_refused_naming_the_field(world, two_cases):
    auditor = log_in(Client(), world.user("xk_auditor"))
    query = {"date_from": "2026-03-11", "date_to": "2026-03-01"}
    page = auditor.get("/audit/", query)
    assert page.status_code == 422 and 'id="id_date_to_error"' in page.content.decode()
    exported = AuditEvent.objects.filter(event_type=AuditEventType.AUDIT_LOG_EXPORTED)
    assert auditor.get("/audit/export.csv", query).status_code == 422
    assert not exported.exists()


def test_an_auditor_of_one_agreement_never_sees_another_agreements_events_through_any_filter(
    world,
):
    other = make_agreement(world.us, world.me)
    foreign = make_case(other, by=world.user("us_caseworker"), family_name="Radulović")
    foreign_events = _seq_set(AuditEvent.objects.filter(case_id=foreign.id))
    assert foreign_events
    filters: list[dict[str, str]] = [
        {},
        {"case": foreign.reference},
        {"actor": "us_caseworker"},
        {"event": str(int(AuditEventType.CASE_CREATED))},
        {"date_from": clock.today().isoformat(), "date_to": clock.today().isoformat()},
    ]
    outsider = log_in(Client(), world.user("xk_auditor"))
    party = log_in(Client(), world.user("me_auditor"))
    for query in filters:
        seen = _seqs(outsider, query)
        assert not seen & foreign_events, query
        assert not AuditEvent.objects.filter(seq__in=seen, agreement_id=other.id).exists()
    assert foreign_events <= _seqs(party, {"case": foreign.reference})


def test_each_line_says_who_did_what_to_which_case_and_when(world, two_cases):
    first, _second = two_cases
    auditor = log_in(Client(), world.user("xk_auditor"))
    query = {"case": first.reference, "event": str(int(AuditEventType.CASE_TRANSITIONED))}
    page = auditor.get("/audit/", query).content.decode()
    assert "Case transitioned" in page and "xk_caseworker" in page
    assert f'href="/cases/{first.id}/">{first.reference}</a>' in page
    (row,) = _csv_rows(auditor, query)
    event = AuditEvent.objects.get(seq=int(row["seq"]))
    assert (row["who"], row["event"], row["case"]) == (
        "xk_caseworker",
        "Case transitioned",
        first.reference,
    )
    assert row["when"].endswith("+01:00")  # Kosovo's zone in winter
    assert dt.datetime.fromisoformat(row["when"]) == event.occurred_at.replace(microsecond=0)
    assert "action: recommend" in row["details"]


@pytest.mark.parametrize("who", ["xk_caseworker", "xk_administrator", "xk_supervisor"])
def test_only_auditors_read_or_export_the_audit_log(world, who):
    client = log_in(Client(), world.user(who))
    for path in ("/audit/", "/audit/export.csv", "/audit/export.xlsx"):
        assert client.get(path).status_code == 403, path
    assert not AuditEvent.objects.filter(event_type=AuditEventType.AUDIT_LOG_EXPORTED).exists()


def test_an_export_is_audited_and_its_formula_cells_are_neutralised(world):
    risky = make_user(world.xk, Role.CASEWORKER, username="@risky")
    case = make_case(world.agreement, by=world.user("us_caseworker"))
    case_transition(case_id=case.id, action="recommend", acting_user=risky)
    auditor = log_in(Client(), world.user("xk_auditor"))
    (row,) = _csv_rows(
        auditor, {"actor": "@risky", "event": str(int(AuditEventType.CASE_TRANSITIONED))}
    )
    assert row["who"] == "'@risky"
    response = auditor.get("/audit/export.xlsx", {"actor": "@risky"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert cells and set(cells) == {"'@risky"}
    exports = AuditEvent.objects.filter(event_type=AuditEventType.AUDIT_LOG_EXPORTED)
    assert [e.data["format"] for e in exports.order_by("seq")] == ["csv", "xlsx"]
    last = exports.order_by("seq").last()
    assert last is not None and last.actor_username == "xk_auditor"
    assert last.data["filters"] == {"actor": "@risky"} and last.data["rows"] == len(cells)


def test_the_audit_log_page_costs_the_same_queries_however_many_events_it_lists(world):
    auditor = log_in(Client(), world.user("xk_auditor"))

    def add_cases(n: int) -> None:
        for _ in range(n):
            case = make_case(world.agreement, by=world.user("us_caseworker"))
            case_transition(
                case_id=case.id, action="recommend", acting_user=world.user("xk_caseworker")
            )

    def measure() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            lines = _page_seqs(auditor, {"actor": "xk_caseworker"})
        return len(lines), len(queries)

    add_cases(2)
    few_lines, few_queries = measure()
    add_cases(6)
    many_lines, many_queries = measure()
    assert many_lines > few_lines
    assert many_queries == few_queries
    assert Case.objects.count() == 8
