"""The search page, the search box and saved searches, through the real pages."""

from __future__ import annotations

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.search.models import SavedSearch
from tests.factories import audit_rows


def test_the_search_page_finds_a_person_typed_without_diacritics_and_says_why(
    client, login, people
):
    login("us_caseworker")
    response = client.get("/search/", {"q": "Vesna Lazovic"})
    assert response.status_code == 200
    page = response.content.decode()
    assert people.ref("lazovic") in page
    assert people.ref("saint_fleur") not in page
    assert "same letters" in page
    assert 'action="/search/"' in page  # the box in the navigation


def test_the_search_page_never_shows_another_partys_person(client, login, people, outsider_case):
    login("us_caseworker")
    page = client.get("/search/", {"q": "Vesna Lazović"}).content.decode()
    assert people.ref("lazovic") in page
    assert outsider_case.reference not in page


def test_the_search_page_is_refused_to_a_role_without_case_files(client, login, people):
    login("us_administrator")
    assert client.get("/search/", {"q": "Lazovic"}).status_code == 403
    login("us_caseworker")
    assert client.get("/search/", {"q": "Lazovic"}).status_code == 200


def test_the_other_partys_search_is_audited_as_a_read_of_personal_data(client, login, people):
    login("xk_caseworker")
    before = AuditEvent.objects.filter(event_type=AuditEventType.PERSONAL_DATA_READ).count()
    page = client.get("/search/", {"q": "Lazovic"}).content.decode()
    assert people.ref("lazovic") in page
    reads = AuditEvent.objects.filter(event_type=AuditEventType.PERSONAL_DATA_READ)
    assert reads.count() == before + 1
    assert reads.order_by("-seq").first().data["channel"] == "page-search"


def test_a_saved_search_is_created_listed_run_and_deleted_with_an_audit_row_each(
    client, login, people, world
):
    login("us_caseworker")
    before = audit_rows()
    response = client.post("/search/saved/", {"name": "Montenegrins", "query": "Lazovic"})
    assert response.status_code == 302
    saved = SavedSearch.objects.get(user=world.user("us_caseworker"))
    assert audit_rows() == before + 1
    page = client.get("/search/").content.decode()
    assert "Montenegrins" in page
    run = client.get(f"/search/saved/{saved.id}/", follow=True)
    assert people.ref("lazovic") in run.content.decode()
    assert client.post(f"/search/saved/{saved.id}/delete/").status_code == 302
    assert not SavedSearch.objects.filter(id=saved.id).exists()
    events = AuditEvent.objects.filter(object_id=str(saved.id)).values_list("event_type", flat=True)
    assert sorted(events) == [
        AuditEventType.SAVED_SEARCH_CREATED,
        AuditEventType.SAVED_SEARCH_DELETED,
    ]


def test_a_saved_search_without_a_name_is_refused_next_to_the_field_and_writes_nothing(
    client, login, people
):
    login("us_caseworker")
    before = audit_rows()
    response = client.post("/search/saved/", {"name": "  ", "query": "Lazovic"})
    assert response.status_code == 422
    assert 'class="field-error"' in response.content.decode()
    assert SavedSearch.objects.count() == 0
    assert audit_rows() == before


def test_a_saved_search_name_is_used_once_per_user(client, login, people):
    login("us_caseworker")
    assert client.post("/search/saved/", {"name": "Mine", "query": "Lazovic"}).status_code == 302
    response = client.post("/search/saved/", {"name": "Mine", "query": "Nunez"})
    assert response.status_code == 422
    assert "already used" in response.content.decode()
    assert SavedSearch.objects.count() == 1


def test_another_users_saved_search_is_not_found(client, login, people, world):
    login("us_supervisor")
    client.post("/search/saved/", {"name": "Supervisor's", "query": "Lazovic"})
    saved = SavedSearch.objects.get(user=world.user("us_supervisor"))
    login("us_caseworker")
    assert client.get(f"/search/saved/{saved.id}/").status_code == 404
    assert client.post(f"/search/saved/{saved.id}/delete/").status_code == 404
    assert "Supervisor&#x27;s" not in client.get("/search/").content.decode()
    assert SavedSearch.objects.filter(id=saved.id).exists()
