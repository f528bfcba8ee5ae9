"""A national watchlist's entries stay with its owner; a shared (public) list is readable.

Every party of an agreement sees which lists it screens against and how each match was
reviewed, but only the owner reads who is on a list, unless the owner shares it.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.screening.selectors import entries_visible, readable_watchlist_ids
from readmit.screening.services import (
    agreement_watchlist_add,
    screening_run_start,
    watchlist_create,
    watchlist_import,
)
from tests.factories import audit_rows
from tests.screening_app.conftest import make_dzevat

ENTRY = "Xhevat Ukshini"  # on the sample list; the case below is its Serbian spelling


@pytest.fixture
def screened(world, watchlist, samples, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    watchlist_import(
        watchlist=watchlist,
        path_or_file=samples / "watchlist.csv",
        acting_user=world.user("xk_supervisor"),
    )
    make_dzevat(world.agreement)
    with django_capture_on_commit_callbacks(execute=True):
        screening_run_start(agreement=world.agreement, acting_user=world.user("xk_caseworker"))
    return watchlist


def test_a_new_list_is_not_shared_and_its_owner_reads_it(world, watchlist):
    assert watchlist.shared_with_parties is False
    assert entries_visible(world.user("xk_caseworker"), watchlist)
    assert not entries_visible(world.user("us_caseworker"), watchlist)  # a party, not the owner
    assert watchlist.id in readable_watchlist_ids(world.user("xk_caseworker"))
    assert watchlist.id not in readable_watchlist_ids(world.user("us_supervisor"))
    assert watchlist.id not in readable_watchlist_ids(world.user("me_supervisor"))


def test_the_other_party_sees_the_list_and_the_review_but_not_who_is_on_it(world, screened, login):
    list_url = reverse("web:watchlist", args=[screened.id])
    screening_url = reverse("web:agreement_screening", args=[world.agreement.id])

    owner_list = login("xk_caseworker").get(list_url).content.decode()
    assert ENTRY in owner_list
    owner_queue = login("xk_caseworker").get(screening_url).content.decode()
    assert ENTRY in owner_queue and "Dževat=Xhevat" in owner_queue

    party_list = login("us_caseworker").get(list_url)
    assert party_list.status_code == 200
    page = party_list.content.decode()
    assert screened.name in page and 'data-entries="withheld"' in page
    assert ENTRY not in page and "WL-001" not in page
    party_queue = login("us_caseworker").get(screening_url).content.decode()
    assert "Ukšini" in party_queue  # its own proposed person
    assert 'data-entry="withheld"' in party_queue
    assert ENTRY not in party_queue and "Xhevat" not in party_queue and "WL-001" not in party_queue

    assert login("me_supervisor").get(list_url).status_code == 404  # party to nothing here


def test_a_shared_list_is_readable_by_the_parties(world, samples, login):
    public = watchlist_create(
        name="Public sanctions list",
        slug="public-sanctions",
        owner=world.xk,
        source_kind="csv",
        shared_with_parties=True,
        acting_user=world.user("xk_supervisor"),
    )
    agreement_watchlist_add(
        agreement=world.agreement, watchlist=public, acting_user=world.user("xk_supervisor")
    )
    watchlist_import(
        watchlist=public,
        path_or_file=samples / "watchlist.csv",
        acting_user=world.user("xk_supervisor"),
    )
    assert entries_visible(world.user("us_caseworker"), public)
    page = login("us_caseworker").get(reverse("web:watchlist", args=[public.id])).content.decode()
    assert ENTRY in page
    created = AuditEvent.objects.filter(
        event_type=AuditEventType.WATCHLIST_CREATED, object_id=str(public.id)
    ).get()
    assert created.data["shared_with_parties"] is True


def test_sharing_is_chosen_on_the_creation_form(world, login):
    client = login("xk_supervisor")
    form = {
        "owner": str(world.xk.id),
        "name": "UN consolidated list",
        "slug": "un-list",
        "source_kind": "un_xml",
        "shared_with_parties": "on",
    }
    assert client.post(reverse("web:watchlist_new"), form).status_code == 302
    form = {**form, "name": "Police list", "slug": "police-list", "source_kind": "csv"}
    del form["shared_with_parties"]
    assert client.post(reverse("web:watchlist_new"), form).status_code == 302
    from readmit.screening.models import Watchlist

    assert Watchlist.objects.get(slug="un-list").shared_with_parties is True
    assert Watchlist.objects.get(slug="police-list").shared_with_parties is False


def test_the_owner_shares_and_unshares_with_a_reason_and_it_is_audited(world, screened, login):
    from readmit.core.errors import ValidationFailed
    from readmit.screening.services import watchlist_set_sharing

    with pytest.raises(ValidationFailed):
        watchlist_set_sharing(
            watchlist=screened, shared=True, reason=" ", acting_user=world.user("xk_supervisor")
        )
    url = reverse("web:watchlist_sharing", args=[screened.id])
    client = login("xk_supervisor")
    assert client.post(url, {"shared": "on", "reason": "Agreed with the USA"}).status_code == 302
    screened.refresh_from_db()
    assert screened.shared_with_parties is True
    assert (
        ENTRY
        in login("us_caseworker").get(reverse("web:watchlist", args=[screened.id])).content.decode()
    )
    client = login("xk_supervisor")
    assert client.post(url, {"reason": "Agreement ended"}).status_code == 302
    screened.refresh_from_db()
    assert screened.shared_with_parties is False
    events = AuditEvent.objects.filter(
        event_type=AuditEventType.WATCHLIST_SHARING_CHANGED, object_id=str(screened.id)
    ).order_by("seq")
    assert [e.data["shared_with_parties"] for e in events] == [True, False]
    assert events.last().data["reason"] == "Agreement ended"


@pytest.mark.parametrize(
    ("who", "status"), [("xk_caseworker", 403), ("us_supervisor", 403), ("me_supervisor", 404)]
)
def test_only_the_owners_managers_change_sharing(world, screened, login, who, status):
    url = reverse("web:watchlist_sharing", args=[screened.id])
    before = audit_rows()
    assert login(who).post(url, {"shared": "on", "reason": "Let us see"}).status_code == status
    screened.refresh_from_db()
    assert screened.shared_with_parties is False
    assert audit_rows() == before
    if status == 403:
        page = login(who).get(reverse("web:watchlist", args=[screened.id])).content.decode()
        assert "Save sharing" not in page


def test_a_missing_reason_is_shown_on_the_page_and_changes_nothing(world, screened, login):
    url = reverse("web:watchlist_sharing", args=[screened.id])
    response = login("xk_supervisor").post(url, {"shared": "on", "reason": ""})
    assert response.status_code == 422
    assert "A reason is required." in response.content.decode()
    screened.refresh_from_db()
    assert screened.shared_with_parties is False
