"""Letters, the printable case summary, exports to XLSX and PDF, and the font files, through
the real pages: the same gates as the API (wrong party 404, wrong role 403), audited, and the
data-sharing policy for the other party."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Attachment
from readmit.reporting.exports import COLUMNS
from tests.documents.conftest import ARABIC, CYRILLIC, LATIN, in_state, named
from tests.documents.pdftext import pdf_text
from tests.factories import audit_rows, make_agreement, make_case


def letters(case) -> int:
    return Attachment.objects.filter(case=case, kind="letter").count()


# Letters from the case page ----------------------------------------------------------------


def test_the_case_page_offers_languages_by_name_defaulting_to_the_notice_language(
    login, world, relocation
):
    case = in_state(world, relocation, "transfer_scheduled")  # notice given in Haitian Creole
    page = login("us_caseworker").get(f"/cases/{case.id}/").content.decode()
    assert '<option value="ht" lang="ht" selected>Kreyòl ayisyen (Haitian Creole)</option>' in page
    assert "Crnogorski (Montenegrin)" in page
    assert '<option value="transfer_notice">' in page
    assert '<input name="language"' not in page  # chosen from a list, never typed


def test_a_caseworker_writes_a_letter_from_the_case_page_and_it_is_listed_with_the_files(
    login, world, relocation
):
    case = in_state(world, relocation, "selected", ARABIC)
    client = login("us_caseworker")
    response = client.post(f"/cases/{case.id}/letters/", {"kind": "selected", "language": "ar"})
    assert response.status_code == 302
    letter = Attachment.objects.get(case=case, kind="letter")
    assert named(*ARABIC) in pdf_text(letter.file.read())
    page = client.get(f"/cases/{case.id}/").content.decode()
    assert letter.filename in page
    download = client.get(f"/cases/{case.id}/attachments/{letter.id}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_a_letter_with_a_language_not_in_the_list_is_refused_on_the_page(login, world, relocation):
    case = in_state(world, relocation, "selected")
    client = login("us_caseworker")
    before = audit_rows()
    client.post(f"/cases/{case.id}/letters/", {"kind": "selected", "language": "xx"})
    page = client.get(f"/cases/{case.id}/").content.decode()
    assert "The letter was not written" in page and "Language of the person" in page
    assert letters(case) == 0 and audit_rows() == before


def test_the_letter_form_refuses_the_wrong_party_with_404_and_the_wrong_role_with_403(
    login, world, relocation
):
    case = in_state(world, relocation, "selected")
    data = {"kind": "selected", "language": "en"}
    assert login("me_caseworker").post(f"/cases/{case.id}/letters/", data).status_code == 404
    assert login("us_auditor").post(f"/cases/{case.id}/letters/", data).status_code == 403
    assert letters(case) == 0


# The printable case summary -----------------------------------------------------------------


def test_the_case_summary_is_marked_with_who_printed_it_when_and_the_notice_and_is_audited(
    login, world, relocation
):
    case = in_state(world, relocation, "selected", CYRILLIC)
    response = login("us_caseworker").get(f"/cases/{case.id}/summary/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Printed by us_caseworker on " in page
    assert "Personal data. Printed for the case work" in page
    assert f'<span dir="auto" id="summary-name">{named(*CYRILLIC)}</span>' in page
    assert response["Cache-Control"] == "private, no-store"
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_SUMMARY_PRINTED)
    assert event.case_id == case.id and event.actor_username == "us_caseworker"


def test_the_other_partys_summary_follows_the_data_sharing_terms_and_is_a_personal_data_read(
    login, world
):
    agreement = make_agreement(
        world.us,
        world.xk,
        terms={
            "quota": {"limit": 5, "period": "rolling_year"},
            "data_sharing": {"categories": ["identity", "nationality"]},
        },
    )
    case = make_case(agreement, given_names=LATIN[0], family_name=LATIN[1], languages=["es"])
    number = case.person.documents.get().number
    page = login("xk_caseworker").get(f"/cases/{case.id}/summary/").content.decode()
    assert named(*LATIN) in page  # identity is always shared
    assert number not in page
    assert page.count("Not shared under this agreement.") == 3  # languages, documents, needs
    read = AuditEvent.objects.get(event_type=AuditEventType.PERSONAL_DATA_READ)
    assert read.data["channel"] == "print"
    own = login("us_caseworker").get(f"/cases/{case.id}/summary/").content.decode()
    assert number in own


def test_the_case_summary_refuses_the_wrong_party_with_404_and_the_wrong_role_with_403(
    login, world, relocation
):
    case = in_state(world, relocation, "selected")
    assert login("me_supervisor").get(f"/cases/{case.id}/summary/").status_code == 404
    assert login("xk_auditor").get(f"/cases/{case.id}/summary/").status_code == 403
    assert not AuditEvent.objects.filter(event_type=AuditEventType.CASE_SUMMARY_PRINTED).exists()


# Exports of the filtered list ---------------------------------------------------------------


def _sheet_rows(response) -> list[dict[str, str]]:
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(book["cases"].iter_rows(values_only=True))
    header = [str(c) for c in rows[0]]
    return [
        dict(zip(header, ["" if v is None else str(v) for v in row], strict=True))
        for row in rows[1:]
    ]


def test_the_filtered_list_exports_to_xlsx_with_the_same_rows_as_the_page_and_is_audited(
    login, world
):
    shown = make_case(world.agreement, family_name="Петровић", given_names="Јован")
    make_case(world.agreement, family_name="=HYPERLINK(1)", given_names="Ana")
    other = make_agreement(world.us, world.xk)
    make_case(other, family_name="Elsewhere")
    client = login("us_caseworker")
    query = f"agreement={world.agreement.id}&q=Петровић"
    page = client.get(f"/cases/?{query}").content.decode()
    assert shown.reference in page
    response = client.get(f"/cases/export.xlsx?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = _sheet_rows(response)
    assert [r["reference"] for r in rows] == [shown.reference]
    assert rows[0]["family_name"] == "Петровић"
    event = AuditEvent.objects.get(event_type=AuditEventType.CASES_EXPORTED)
    assert event.data["format"] == "xlsx" and event.data["rows"] == 1
    everything = _sheet_rows(client.get(f"/cases/export.xlsx?agreement={world.agreement.id}"))
    assert "'=HYPERLINK(1)" in {r["family_name"] for r in everything}  # never a formula
    assert len(everything) == 2


def test_the_xlsx_export_withholds_the_other_partys_personal_data_as_the_csv_does(login, world):
    make_case(world.agreement, family_name="Петровић", given_names="Јован")
    rows = _sheet_rows(login("xk_caseworker").get("/cases/export.xlsx"))
    assert len(rows) == 1
    assert rows[0]["family_name"] == rows[0]["given_names"] == ""
    assert rows[0]["personal_data"].startswith("withheld")
    assert list(rows[0]) == list(COLUMNS)


def test_the_pdf_export_prints_the_filtered_rows_marked_with_who_printed_it_and_the_notice(
    login, world
):
    case = make_case(world.agreement, family_name="الزهراء", given_names="فاطمة")
    make_case(world.agreement, family_name="Hidden", given_names="Ana")
    response = login("us_supervisor").get(f"/cases/export.pdf?q={case.reference}")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Printed by us_supervisor on" in text
    assert "Personal data." in text
    assert "الزهراء" in text and case.reference in text
    assert "Hidden" not in text
    event = AuditEvent.objects.get(event_type=AuditEventType.CASES_EXPORTED)
    assert event.data["format"] == "pdf" and event.data["rows"] == 1


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_an_export_filtered_on_an_agreement_the_user_cannot_see_answers_404(login, world, fmt):
    hidden = make_agreement(world.us, world.me, kind="readmission")
    response = login("xk_caseworker").get(f"/cases/export.{fmt}?agreement={hidden.id}")
    assert response.status_code == 404


# Fonts ---------------------------------------------------------------------------------------


def test_the_pages_font_files_are_served_to_anyone_and_nothing_else_is(client, db):
    response = client.get("/fonts/NotoSansBengali-Regular.ttf")
    assert response.status_code == 200
    assert response["Content-Type"] == "font/ttf"
    assert b"".join(response.streaming_content)[:4] in {b"\x00\x01\x00\x00", b"OTTO"}
    assert client.get("/fonts/DejaVuSans.ttf").status_code == 404
    assert client.get("/fonts/..%2F..%2Fpasswd").status_code == 404


def test_without_the_fonts_a_letter_is_refused_naming_the_package_and_nothing_is_written(
    api, world, relocation, settings, tmp_path
):
    import json

    settings.READMIT_FONT_DIR = tmp_path
    case = in_state(world, relocation, "selected")
    before = audit_rows()
    response = api.client.post(
        f"/api/v1/cases/{case.id}/letters",
        data=json.dumps({"kind": "selected", "language": "bn"}),
        content_type="application/json",
        **api._auth(world.user("us_caseworker"), None),
    )
    assert response.status_code == 503
    assert "fonts-noto-core" in response.json()["detail"]
    assert "NotoSansBengali-Regular.ttf" in response.json()["detail"]
    assert letters(case) == 0 and audit_rows() == before


def test_without_the_fonts_the_demo_says_which_files_and_package_are_missing(settings, tmp_path):
    from readmit.documents.fonts import missing_report

    installed = settings.READMIT_FONT_DIR
    assert missing_report() == ""  # this machine, like CI, has fonts-noto-core
    settings.READMIT_FONT_DIR = tmp_path
    report = missing_report()
    assert "NotoSansArabic-Regular.ttf" in report and "NotoSansBengali-Bold.ttf" in report
    assert "fonts-noto-core" in report
    settings.READMIT_FONT_DIR = installed


def test_a_pdf_longer_than_the_limit_is_refused_naming_the_way_out_and_writes_nothing(
    login, world, monkeypatch
):
    from readmit.reporting import exports

    monkeypatch.setattr(exports, "PDF_MAX_ROWS", 1)
    make_case(world.agreement)
    make_case(world.agreement)
    client = login("us_caseworker")
    response = client.get("/cases/export.pdf")
    assert response.status_code == 422
    assert "Narrow the filters, or export XLSX or CSV" in response.content.decode()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.CASES_EXPORTED).exists()
    assert client.get("/cases/export.xlsx").status_code == 200
