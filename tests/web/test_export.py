"""The case list exports as CSV: only what the user sees, audited, formula-safe."""

from __future__ import annotations

import csv
import io

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.reporting.exports import safe_cell
from tests.factories import make_case


def _rows(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_party_exports_its_cases_with_names_as_written_and_the_export_is_audited(login, world):
    make_case(world.agreement, family_name="Петровић", given_names="Јован")
    make_case(world.agreement, family_name="=HYPERLINK(1)", given_names="Ana")
    response = login("xk_caseworker").get("/cases/export.csv?state=proposed")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert len(rows) == 2 == int(response["X-Readmit-Rows"])
    assert {r["family_name"] for r in rows} == {"Петровић", "'=HYPERLINK(1)"}
    event = AuditEvent.objects.filter(event_type=AuditEventType.CASES_EXPORTED).get()
    assert event.actor_username == "xk_caseworker"
    assert event.data["rows"] == 2


def test_another_states_user_exports_none_of_them(login, world):
    make_case(world.agreement)
    rows = _rows(login("me_caseworker").get("/cases/export.csv"))
    assert rows == []
    assert len(_rows(login("us_caseworker").get("/cases/export.csv"))) == 1


def test_administrators_export_no_case_files(login, world):
    make_case(world.agreement)
    assert _rows(login("xk_administrator").get("/cases/export.csv")) == []


def test_cells_a_spreadsheet_would_run_are_neutralised():
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-2") == "'-2"
    assert safe_cell("Đukanović") == "Đukanović"
    assert safe_cell(None) == ""
