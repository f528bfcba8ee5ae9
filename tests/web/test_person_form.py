"""The person form: the owning organisation's caseworkers change names, other names, birth
date, nationalities and documents through the same service and checks as the API PATCH;
a form opened before someone else's change is refused, saves nothing and keeps what was
typed; the other party is refused 403, an outsider gets 404."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.cases.models import Case, IdentityDocument, Person
from readmit.cases.people import person_update
from readmit.cases.services import DocumentInput
from readmit.screening.models import DuplicateCandidate
from tests.factories import audit_rows, make_case


@pytest.fixture
def case(world):  # type: ignore[no-untyped-def]
    return make_case(
        world.agreement,
        by=world.user("us_caseworker"),
        given_names="Ana",
        family_name="Testperson",
        birth_year=1988,
        documents=[DocumentInput("passport", "P7700123", "VE")],
    )


def url(case: Case) -> str:
    return reverse("web:person_edit", args=[case.id])


def form_of(client: Any, case: Case) -> dict[str, Any]:
    """The form's fields as the page fills them in (what a browser would send back)."""
    response = client.get(url(case))
    assert response.status_code == 200, response.content.decode()[:500]
    form = response.context["form"]
    data = {name: form[name].value() for name in form.fields}
    return {k: ("" if v is None else v) for k, v in data.items() if k != "remove_documents"}


def test_the_owner_s_caseworker_changes_names_birth_date_nationalities_and_adds_a_document(
    world, login, case, django_capture_on_commit_callbacks
):
    client = login("us_caseworker")
    page = client.get(reverse("web:case", args=[case.id])).content.decode()
    assert url(case) in page
    data = form_of(client, case)
    assert (data["family_name"], data["birth_date"], data["nationalities"]) == (
        "Testperson",
        "1988",
        "VE",
    )
    data.update(
        given_names="Dževat",
        family_name="Ukšini",
        other_names="alias | Uksini | Xhevat",
        birth_date="1979-04-12",
        nationalities="XK, VE",
        document_type="id_card",
        document_number="ID 4455",
        document_country="XK",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url(case), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    person = Person.objects.get(id=case.person_id)
    assert (person.given_names, person.family_name) == ("Dževat", "Ukšini")
    assert (person.birth_year, person.birth_month, person.birth_day) == (1979, 4, 12)
    assert sorted(person.nationalities.values_list("code", flat=True)) == ["VE", "XK"]
    assert list(person.other_names.values_list("kind", "family_name", "given_names")) == [
        ("alias", "Uksini", "Xhevat")
    ]
    assert IdentityDocument.objects.filter(person=person, type="id_card").get().number == "ID 4455"
    updated = AuditEvent.objects.get(event_type=AuditEventType.PERSON_UPDATED, case_id=case.id)
    assert updated.actor_id == world.user("us_caseworker").id
    assert updated.data["changed"] == [
        "birth_date",
        "family_name",
        "given_names",
        "nationalities",
        "other_names",
    ]
    assert "Ukšini" not in str(updated.data)
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.PERSON_DOCUMENT_ADDED, case_id=case.id
    ).exists()
    assert AuditEvent.objects.filter(event_type=AuditEventType.DUPLICATES_FOUND).exists()


def test_a_document_recorded_in_error_is_removed(world, login, case):
    client = login("us_caseworker")
    data = form_of(client, case)
    document = IdentityDocument.objects.get(person_id=case.person_id)
    response = client.post(url(case), {**data, "remove_documents": [str(document.id)]})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not IdentityDocument.objects.filter(id=document.id).exists()
    assert AuditEvent.objects.filter(event_type=AuditEventType.PERSON_DOCUMENT_REMOVED).exists()


def test_a_stale_form_is_refused_saves_nothing_and_keeps_what_was_typed(world, login, case):
    client = login("us_caseworker")
    data = form_of(client, case)
    # Someone else changes the person after the form was opened.
    person_update(
        case=case, changes={"given_names": "Rosa"}, acting_user=world.user("us_supervisor")
    )
    before = audit_rows()
    data.update(family_name="Quintero", document_type="passport", document_number="Q1")
    data["document_country"] = "VE"
    response = client.post(url(case), data)
    assert response.status_code == 412
    body = response.content.decode()
    assert "changed by someone else since you opened the form" in body
    assert 'value="Quintero"' in body and 'value="Q1"' in body
    person = Person.objects.get(id=case.person_id)
    assert (person.given_names, person.family_name) == ("Rosa", "Testperson")
    assert IdentityDocument.objects.filter(person=person).count() == 1
    assert audit_rows() == before
    # The form now carries the current version: saving again (after checking) applies it.
    again = response.context["form"]
    resent = {name: again[name].value() or "" for name in again.fields}
    resent.pop("remove_documents")
    assert client.post(url(case), resent).status_code == 302
    person.refresh_from_db()
    assert person.family_name == "Quintero"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"family_name": ""}, "family_name", "family_name: is required"),
        ({"birth_date": "1979-13"}, "birth_date", "birth_date"),
        ({"nationalities": "VE, ZZZ"}, "nationalities", "'ZZZ' is not a country code"),
        ({"other_names": "nickname | Uksini"}, "other_names", "is not one of alias"),
        ({"family_name": "Укшини"}, "family_name_latin", "Latin form must be given"),
        (
            {"document_type": "passport", "document_number": "", "document_country": "VE"},
            "document_number",
            "number: is required",
        ),
    ],
)
def test_bad_input_is_refused_next_to_the_field_and_writes_nothing(
    world, login, case, change, field, message
):
    client = login("us_caseworker")
    data = {**form_of(client, case), **change}
    before = audit_rows()
    response = client.post(url(case), data)
    assert response.status_code == 422, response.content.decode()[:2000]
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    person = Person.objects.get(id=case.person_id)
    assert (person.family_name, person.birth_year) == ("Testperson", 1988)
    assert audit_rows() == before


def test_the_form_is_all_or_nothing_a_bad_document_keeps_the_names_unchanged(world, login, case):
    client = login("us_caseworker")
    data = {**form_of(client, case), "family_name": "Quintero"}
    data.update(document_type="passport", document_number="Q1", document_country="QQ")
    response = client.post(url(case), data)
    assert response.status_code == 422
    assert Person.objects.get(id=case.person_id).family_name == "Testperson"
    assert not DuplicateCandidate.objects.exists()


def test_the_other_party_is_refused_403_and_an_outsider_gets_404(world, login, case):
    for key, status in (("xk_caseworker", 403), ("me_caseworker", 404)):
        client = login(key)
        assert client.get(url(case)).status_code == status
        response = client.post(url(case), {"family_name": "Forged", "version": "1"})
        assert response.status_code == status
        page = client.get(reverse("web:case", args=[case.id]))
        assert url(case) not in page.content.decode()
    assert Person.objects.get(id=case.person_id).family_name == "Testperson"


def test_a_role_that_does_not_edit_people_is_refused_403(world, login, case):
    client = login("us_auditor")
    assert client.get(url(case)).status_code == 403
    assert client.post(url(case), {"family_name": "Forged"}).status_code == 403
    assert Person.objects.get(id=case.person_id).family_name == "Testperson"
