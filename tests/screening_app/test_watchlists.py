"""Watchlists in the application: versions, refusals that write nothing, who sees what."""

from __future__ import annotations

import io

import pytest

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.core.errors import Forbidden, NotFound, ValidationFailed
from readmit.screening.models import AgreementWatchlist, Watchlist, WatchlistEntry, WatchlistVersion
from readmit.screening.selectors import access_watchlist, visible_watchlists
from readmit.screening.services import (
    agreement_watchlist_add,
    watchlist_create,
    watchlist_import,
)
from tests.factories import make_agreement


def test_each_import_is_a_new_numbered_version_with_its_own_entries(
    world, watchlist, samples, django_capture_on_commit_callbacks
):
    importer = world.user("xk_caseworker")
    with django_capture_on_commit_callbacks(execute=True):
        first = watchlist_import(
            watchlist=watchlist, path_or_file=samples / "watchlist.csv", acting_user=importer
        )
        second = watchlist_import(
            watchlist=watchlist,
            path_or_file=io.BytesIO(b"id,name\nN1,Ana Lumi\n"),
            fmt="csv",
            filename="update.csv",
            acting_user=importer,
        )
    assert (first.number, second.number) == (1, 2)
    assert (first.entry_count, second.entry_count) == (5, 1)
    assert first.entries.count() == 5 and second.entries.count() == 1
    assert second.source_filename == "update.csv"
    assert len(first.sha256) == 64 and first.sha256 != second.sha256
    assert first.imported_by == importer
    event = AuditEvent.objects.filter(event_type=AuditEventType.WATCHLIST_IMPORTED).last()
    assert event is not None
    assert event.data["number"] == 2 and event.data["entries"] == 1


@pytest.mark.parametrize(
    ("fmt", "filename", "count", "skipped"),
    [("ftm", "watchlist.ftm.jsonl", 3, 2), ("un-xml", "un-consolidated.xml", 3, 1)],
)
def test_ftm_and_un_files_import_through_the_same_service(
    world, watchlist, samples, fmt, filename, count, skipped
):
    version = watchlist_import(
        watchlist=watchlist,
        path_or_file=samples / filename,
        fmt=fmt,
        acting_user=world.user("xk_supervisor"),
    )
    assert (version.entry_count, version.skipped_count) == (count, skipped)


def test_a_bad_file_imports_nothing_and_says_where_the_problem_is(world, watchlist):
    before = (
        WatchlistVersion.objects.count(),
        WatchlistEntry.objects.count(),
        AuditEvent.objects.count(),
    )
    bad = io.BytesIO(b"id,name,birth_date\nA1,Ana Lumi,1990\nA2,Ben Lumi,19xx\n")
    with pytest.raises(ValidationFailed) as caught:
        watchlist_import(
            watchlist=watchlist,
            path_or_file=bad,
            fmt="csv",
            filename="bad.csv",
            acting_user=world.user("xk_caseworker"),
        )
    assert caught.value.message.startswith("bad.csv, line 3, column 'birth_date'")
    after = (
        WatchlistVersion.objects.count(),
        WatchlistEntry.objects.count(),
        AuditEvent.objects.count(),
    )
    assert after == before


def test_only_the_owning_organisation_imports_and_outsiders_cannot_even_see_the_list(
    world, watchlist, samples
):
    path = samples / "watchlist.csv"
    with pytest.raises(NotFound):
        watchlist_import(
            watchlist=watchlist, path_or_file=path, acting_user=world.user("me_supervisor")
        )
    with pytest.raises(Forbidden):  # the sending party sees the list but does not own it
        watchlist_import(
            watchlist=watchlist, path_or_file=path, acting_user=world.user("us_supervisor")
        )
    assert not WatchlistVersion.objects.exists()
    watchlist_import(
        watchlist=watchlist, path_or_file=path, acting_user=world.user("xk_caseworker")
    )
    assert WatchlistVersion.objects.count() == 1


def test_a_watchlist_is_visible_to_its_owner_and_to_parties_of_agreements_using_it(world):
    own = watchlist_create(
        name="Montenegrin list",
        slug="me-list",
        owner=world.me,
        source_kind="csv",
        acting_user=world.user("me_administrator"),
    )
    assert own in visible_watchlists(world.user("me_caseworker"))
    with pytest.raises(NotFound):
        access_watchlist(world.user("us_caseworker"), own.slug)
    # Montenegro joins an agreement with the US that uses its list: now the US sees it.
    agreement = make_agreement(world.us, world.me)
    agreement_watchlist_add(
        agreement=agreement, watchlist=own, acting_user=world.user("me_supervisor")
    )
    assert access_watchlist(world.user("us_caseworker"), own.slug) == own
    with pytest.raises(NotFound):
        access_watchlist(world.user("xk_caseworker"), str(own.id))


def test_a_caseworker_cannot_choose_an_agreements_lists_but_a_supervisor_can(world):
    created = watchlist_create(
        name="US list",
        slug="us-list",
        owner=world.us,
        source_kind="ftm",
        acting_user=world.user("us_supervisor"),
    )
    with pytest.raises(Forbidden):
        agreement_watchlist_add(
            agreement=world.agreement, watchlist=created, acting_user=world.user("us_caseworker")
        )
    with pytest.raises(NotFound):  # not a party to the agreement
        agreement_watchlist_add(
            agreement=world.agreement, watchlist=created, acting_user=world.user("me_supervisor")
        )
    link = agreement_watchlist_add(
        agreement=world.agreement,
        watchlist=created,
        acting_user=world.user("us_supervisor"),
        threshold=0.9,
    )
    assert link.threshold == 0.9


def test_creating_a_list_needs_a_supervisor_or_administrator_of_the_owner(world):
    with pytest.raises(Forbidden):
        watchlist_create(
            name="L",
            slug="l",
            owner=world.xk,
            source_kind="csv",
            acting_user=world.user("xk_caseworker"),
        )
    with pytest.raises(Forbidden):
        watchlist_create(
            name="L",
            slug="l",
            owner=world.xk,
            source_kind="csv",
            acting_user=world.user("us_supervisor"),
        )
    assert not Watchlist.objects.filter(slug="l").exists()


def test_only_a_watchlists_owner_attaches_it_and_only_to_its_own_agreements(world, watchlist):
    """Finding 14: the US sees Kosovo's national list through their agreement; it may not
    attach it to its agreement with Montenegro (nor to any other), and nothing is written."""
    us_me, us_xk = make_agreement(world.us, world.me), make_agreement(world.us, world.xk)
    before = (AuditEvent.objects.count(), AgreementWatchlist.objects.count())
    for agreement in (us_me, us_xk):
        with pytest.raises(Forbidden) as refused:
            agreement_watchlist_add(
                agreement=agreement, watchlist=watchlist, acting_user=world.user("us_supervisor")
            )
        assert refused.value.type == "watchlist-owner"
        assert "Only the owner" in refused.value.message
    with pytest.raises(NotFound):  # the owner cannot reach an agreement it is not party to
        agreement_watchlist_add(
            agreement=us_me, watchlist=watchlist, acting_user=world.user("xk_supervisor")
        )
    assert (AuditEvent.objects.count(), AgreementWatchlist.objects.count()) == before
    other = make_agreement(world.me, world.xk)
    link = agreement_watchlist_add(
        agreement=other, watchlist=watchlist, acting_user=world.user("xk_supervisor")
    )
    assert link.agreement_id == other.id
