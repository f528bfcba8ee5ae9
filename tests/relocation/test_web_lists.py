"""The list upload page: per-row errors, nothing imported, the valid-rows checkbox, then
each case with its criteria results."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook

from readmit.cases.models import Case
from readmit.relocation.lists import CSV_COLUMNS
from readmit.relocation.models import ProposalList
from tests.factories import log_in
from tests.relocation.conftest import SAMPLE_PATH

BAD_LINE = "US-2026-0099,Bad,Row,1990,W,VE,,,,,no,,\n"


def login(world, key: str) -> Client:
    client = Client()
    log_in(client, world.user(key))
    return client


def upload(
    client: Client,
    agreement,
    content: bytes,
    *,
    name: str = "list.csv",
    reference: str = "US-XK-WEB-1",
    only_valid: bool = False,
):
    data = {"reference": reference, "file": SimpleUploadedFile(name, content)}
    if only_valid:
        data["only_valid_rows"] = "on"
    return client.post(f"/agreements/{agreement.id}/lists/new/", data)


def test_a_list_with_a_bad_row_shows_the_row_and_column_and_imports_nothing(world, agreement):
    client = login(world, "us_caseworker")
    assert client.get(f"/agreements/{agreement.id}/lists/new/").status_code == 200
    content = SAMPLE_PATH.read_bytes() + BAD_LINE.encode()
    response = upload(client, agreement, content)
    assert response.status_code == 422
    page = response.content.decode()
    assert "1 of 7 rows need correcting" in page
    assert '<td class="num">8</td><td><code>sex</code></td>' in page
    assert "Import only the valid rows" in page
    assert ProposalList.objects.count() == 0
    assert Case.objects.filter(agreement=agreement).count() == 0


def test_importing_only_the_valid_rows_shows_each_case_with_its_criteria(world, agreement):
    client = login(world, "us_caseworker")
    content = SAMPLE_PATH.read_bytes() + BAD_LINE.encode()
    response = upload(client, agreement, content, only_valid=True)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "6 of 7 rows imported" in page
    assert page.count('data-outcome="pass"') >= 6
    assert 'data-outcome="fail"' in page  # the 2023 assault conviction (violence, 10 years)
    assert 'data-outcome="unknown"' in page  # the row whose record is "unknown"
    assert "No recent conviction" in page
    # The receiving side sees the same list; an outsider cannot.
    assert login(world, "xk_caseworker").get(response["Location"]).status_code == 200
    assert login(world, "me_caseworker").get(response["Location"]).status_code == 404


def test_an_xlsx_list_is_accepted_and_an_unreadable_file_is_named(world, agreement):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(CSV_COLUMNS))
    sheet.append(["X-1", "Ana", "Quintero", "1988-04-12", "F", "VE", "", "", "", "", "no", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = login(world, "us_caseworker")
    response = upload(client, agreement, buffer.getvalue(), name="list.xlsx")
    assert response.status_code == 302
    assert ProposalList.objects.get().source == "web-xlsx"
    broken = upload(client, agreement, b"given_names\nAna\n", reference="other")
    assert broken.status_code == 422
    assert "lacks the column(s): external_id, family_name" in broken.content.decode()


def test_the_receiving_side_cannot_upload_and_an_outsider_gets_404(world, agreement):
    page = login(world, "xk_supervisor").get(f"/agreements/{agreement.id}/lists/new/")
    assert "Only caseworkers and supervisors of the sending party" in page.content.decode()
    refused = upload(login(world, "xk_supervisor"), agreement, SAMPLE_PATH.read_bytes())
    assert refused.status_code == 403
    outsider = login(world, "me_caseworker").get(f"/agreements/{agreement.id}/lists/new/")
    assert outsider.status_code == 404


def test_the_return_plan_form_records_the_plan_of_the_open_stay(world, agreement, site):
    from readmit.relocation.models import ReceptionStay
    from tests.relocation.conftest import person, submit, to_reception

    case = submit(world, agreement, [person()]).cases[0]
    to_reception(world, case, site)
    client = login(world, "xk_caseworker")
    response = client.post(f"/cases/{case.id}/return-plan/", {"plan": "Flight to Caracas"})
    assert response.status_code == 302
    assert ReceptionStay.objects.get(case=case).return_plan == "Flight to Caracas"
    empty = client.post(f"/cases/{case.id}/return-plan/", {"plan": ""})
    assert empty.status_code == 422
    outsider = login(world, "me_caseworker").post(f"/cases/{case.id}/return-plan/", {"plan": "x"})
    assert outsider.status_code == 404


def test_the_list_page_reads_a_fixed_number_of_queries_however_long_the_list(world, agreement):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.relocation.conftest import person, submit

    client = login(world, "xk_caseworker")
    counts = []
    for size in (2, 8):
        result = submit(world, agreement, [person() for _ in range(size)])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/lists/{result.proposal_list.id}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
