"""Each page answers a record that is not the user's exactly like a missing one (404).

Every test denies, changes one thing (the user's organisation or role), then allows.
"""

from __future__ import annotations

import uuid

from readmit.cases.models import Case
from tests.factories import audit_rows, make_agreement, make_case


def test_home_lists_only_the_agreements_of_the_users_own_organisation(world, login):
    other = make_agreement(world.me, world.us, kind="readmission")

    page = login("xk_caseworker").get("/").content.decode()
    assert world.agreement.title in page
    assert other.title not in page

    page = login("me_caseworker").get("/").content.decode()
    assert world.agreement.title not in page
    assert other.title in page


def test_case_page_is_not_found_for_a_non_party_and_shown_to_a_party(world, login, case):
    assert login("me_caseworker").get(f"/cases/{case.id}/").status_code == 404
    assert login("xk_caseworker").get(f"/cases/{case.id}/").status_code == 200


def test_another_organisations_case_answers_exactly_like_a_missing_one(world, login, case):
    client = login("me_caseworker")
    theirs = client.get(f"/cases/{case.id}/")
    missing = client.get(f"/cases/{uuid.uuid4()}/")
    assert theirs.status_code == missing.status_code == 404
    assert [t.name for t in theirs.templates] == [t.name for t in missing.templates]
    assert case.reference not in theirs.content.decode()


def test_agreement_page_is_not_found_for_a_non_party_and_shown_to_a_party(world, login):
    url = f"/agreements/{world.agreement.id}/"
    assert login("me_supervisor").get(url).status_code == 404
    assert login("xk_supervisor").get(url).status_code == 200


def test_case_list_shows_only_cases_of_the_users_agreements(world, login, case):
    other = make_case(
        make_agreement(world.me, world.us, kind="readmission"), family_name="Outsidercase"
    )
    page = login("xk_caseworker").get("/cases/").content.decode()
    assert case.reference in page
    assert other.reference not in page

    page = login("me_caseworker").get("/cases/").content.decode()
    assert case.reference not in page
    assert other.reference in page


def test_transition_post_by_a_non_party_is_not_found_and_writes_nothing(world, login, case):
    before = audit_rows()
    data = {"action": "recommend", "version": case.version, "reason": ""}

    response = login("me_caseworker").post(f"/cases/{case.id}/transitions/", data)
    assert response.status_code == 404
    assert audit_rows() == before
    assert Case.objects.get(id=case.id).state == "proposed"

    response = login("xk_caseworker").post(f"/cases/{case.id}/transitions/", data)
    assert response.status_code == 302
    assert Case.objects.get(id=case.id).state == "recommended"


def test_administrator_sees_agreements_but_case_pages_answer_not_found(world, login, case):
    client = login("xk_administrator")
    home = client.get("/")
    assert home.status_code == 200
    assert world.agreement.title in home.content.decode()
    assert client.get(f"/agreements/{world.agreement.id}/").status_code == 200
    assert client.get(f"/cases/{case.id}/").status_code == 404
    assert case.reference not in client.get("/cases/").content.decode()
    data = {"action": "recommend", "version": case.version}
    assert client.post(f"/cases/{case.id}/transitions/", data).status_code == 404

    assert login("xk_caseworker").get(f"/cases/{case.id}/").status_code == 200


def test_auditor_reads_a_case_but_is_offered_no_actions(world, login, case):
    page = login("xk_auditor").get(f"/cases/{case.id}/")
    assert page.status_code == 200
    assert "/transitions/" not in page.content.decode()

    page = login("xk_caseworker").get(f"/cases/{case.id}/")
    assert "/transitions/" in page.content.decode()


def test_auditor_transition_post_is_refused_and_nothing_is_written(world, login, case):
    before = audit_rows()
    data = {"action": "recommend", "version": case.version, "reason": "auditing"}

    response = login("xk_auditor").post(f"/cases/{case.id}/transitions/", data)
    assert response.status_code == 403
    assert "needs the role" in response.content.decode()
    assert Case.objects.get(id=case.id).version == case.version
    assert audit_rows() == before

    response = login("xk_caseworker").post(f"/cases/{case.id}/transitions/", data)
    assert response.status_code == 302
    assert Case.objects.get(id=case.id).version == case.version + 1


def test_pages_need_a_login(client, world, case):
    for url in ("/", "/cases/", f"/cases/{case.id}/", f"/agreements/{world.agreement.id}/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")
