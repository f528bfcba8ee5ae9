"""The case list exports as CSV: only what the user sees, audited, formula-safe."""

from __future__ import annotations

import csv
import io

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.reporting.exports import safe_cell
from tests.factories import make_agreement, make_case


def _rows(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8").lstrip("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_party_exports_its_cases_with_names_as_written_and_the_export_is_audited(login, world):
    make_case(world.agreement, family_name="Петровић", given_names="Јован")
    make_case(world.agreement, family_name="=HYPERLINK(1)", given_names="Ana")
    response = login("us_caseworker").get("/cases/export.csv?state=proposed")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert len(rows) == 2 == int(response["X-Readmit-Rows"])
    assert {r["family_name"] for r in rows} == {"Петровић", "'=HYPERLINK(1)"}
    event = AuditEvent.objects.filter(event_type=AuditEventType.CASES_EXPORTED).get()
    assert event.actor_username == "us_caseworker"
    assert event.data["rows"] == 2


def test_another_states_user_exports_none_of_them(login, world):
    make_case(world.agreement)
    rows = _rows(login("me_caseworker").get("/cases/export.csv"))
    assert rows == []
    assert len(_rows(login("us_caseworker").get("/cases/export.csv"))) == 1


def test_administrators_export_no_case_files_in_any_format(login, world):
    make_case(world.agreement)
    client = login("xk_administrator")
    for fmt in ("csv", "xlsx", "pdf"):
        assert client.get(f"/cases/export.{fmt}").status_code == 403
    assert not AuditEvent.objects.filter(event_type=AuditEventType.CASES_EXPORTED).exists()


def test_cells_a_spreadsheet_would_run_are_neutralised():
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-2") == "'-2"
    assert safe_cell("Đukanović") == "Đukanović"
    assert safe_cell(None) == ""


def test_the_other_partys_people_are_exported_without_personal_data_while_onward_sharing_needs_consent(  # noqa: E501
    login, world
):
    case = make_case(world.agreement, family_name="Петровић", given_names="Јован")
    assert world.agreement.parsed_terms.data_sharing.onward_sharing_needs_consent
    rows = _rows(login("xk_caseworker").get("/cases/export.csv"))
    assert [r["reference"] for r in rows] == [case.reference]  # the case itself is listed
    row = rows[0]
    assert row["family_name"] == row["given_names"] == row["birth_date"] == ""
    assert row["nationalities"] == ""
    assert row["personal_data"].startswith("withheld: onward sharing needs the consent")
    event = AuditEvent.objects.filter(event_type=AuditEventType.CASES_EXPORTED).get()
    assert event.data["personal_data_withheld"] == 1
    # The organisation that recorded the person exports it whole.
    own = _rows(login("us_caseworker").get("/cases/export.csv"))[0]
    assert own["family_name"] == "Петровић" and own["personal_data"] == "exported"


def test_the_other_partys_people_are_exported_whole_where_the_agreement_needs_no_consent(
    login, world
):
    agreement = make_agreement(
        world.us,
        world.xk,
        terms={
            "quota": {"limit": 5, "period": "rolling_year"},
            "data_sharing": {"onward_sharing_needs_consent": False},
        },
    )
    make_case(agreement, family_name="Quintero")
    rows = _rows(login("xk_caseworker").get(f"/cases/export.csv?agreement={agreement.id}"))
    assert [r["family_name"] for r in rows] == ["Quintero"]
