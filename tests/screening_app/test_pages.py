"""One pass through the screening pages: upload with errors, run, review by htmx, duplicates."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from readmit.screening.models import MatchStatus, ScreeningMatch, WatchlistVersion
from tests.factories import audit_rows, make_case
from tests.screening_app.conftest import make_dzevat


def test_a_bad_upload_shows_the_line_and_imports_nothing_then_a_good_one_screens(
    world, watchlist, samples, login, django_capture_on_commit_callbacks
):
    make_dzevat(world.agreement)
    client = login("xk_caseworker")
    url = reverse("web:watchlist_import", args=[watchlist.id])
    bad = SimpleUploadedFile("bad.csv", b"id,name\nA1,\n", content_type="text/csv")
    response = client.post(url, {"file": bad, "format": "csv"})
    assert response.status_code == 422
    assert "bad.csv, line 2, column &#x27;name&#x27;" in response.content.decode()
    assert not WatchlistVersion.objects.exists()
    good = SimpleUploadedFile("watchlist.csv", (samples / "watchlist.csv").read_bytes())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"file": good})
    assert response.status_code == 302
    assert WatchlistVersion.objects.get().entry_count == 5
    page = client.get(reverse("web:agreement_screening", args=[world.agreement.id]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Xhevat Ukshini" in body and "Dževat=Xhevat" in body
    assert "fictional-list v1" in body


def test_a_reviewer_dismisses_a_match_in_place_and_an_empty_reason_is_shown_back(
    world, watchlist, samples, login, django_capture_on_commit_callbacks
):
    from readmit.screening.services import watchlist_import

    make_case(world.agreement, given_names="Dževat", family_name="Ukšini", birth_year=1979)
    with django_capture_on_commit_callbacks(execute=True):
        watchlist_import(
            watchlist=watchlist,
            path_or_file=samples / "watchlist.csv",
            acting_user=world.user("xk_caseworker"),
        )
    match = ScreeningMatch.objects.get()
    client = login("xk_caseworker")
    url = reverse("web:match_review", args=[match.id])
    response = client.post(url, {"decision": "dismissed", "reason": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "A reason is required." in response.content.decode()
    response = client.post(
        url, {"decision": "dismissed", "reason": "Different village"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="match-{match.id}"' in response.content.decode()
    match.refresh_from_db()
    assert match.status == MatchStatus.DISMISSED
    # The sending side sees the queue but may not decide; an outsider gets a 404.
    assert (
        login("us_caseworker").post(url, {"decision": "confirmed", "reason": "x"}).status_code
        == 403
    )
    assert (
        login("me_supervisor")
        .get(reverse("web:agreement_screening", args=[world.agreement.id]))
        .status_code
        == 404
    )
    assert (
        login("me_supervisor").get(reverse("web:watchlist", args=[watchlist.id])).status_code == 404
    )


def test_the_watchlist_and_duplicate_pages_render_for_their_users(world, watchlist, login):
    make_case(world.agreement, given_names="Ana", family_name="Lumi", birth_year=1990)
    make_case(world.agreement, given_names="Ana", family_name="Lumi", birth_year=1990)
    client = login("us_caseworker")
    assert "Fictional public-order list" in client.get(reverse("web:watchlists")).content.decode()
    assert client.post(reverse("web:duplicates_find")).status_code == 302
    page = client.get(reverse("web:duplicates")).content.decode()
    assert "Possible" in page and "Ana Lumi" in page


def test_a_supervisor_adds_a_list_to_the_agreement_from_its_screening_page(world, login):
    from readmit.screening.models import AgreementWatchlist
    from readmit.screening.services import watchlist_create

    us_list = watchlist_create(
        name="US list",
        slug="us-list",
        owner=world.us,
        source_kind="csv",
        acting_user=world.user("us_supervisor"),
    )
    url = reverse("web:agreement_watchlist_choose", args=[world.agreement.id])
    form = {"watchlist": str(us_list.id), "threshold": "0.9"}
    assert login("us_caseworker").post(url, form).status_code == 403
    page = (
        login("us_supervisor")
        .get(reverse("web:agreement_screening", args=[world.agreement.id]))
        .content.decode()
    )
    assert "US list" in page
    assert login("us_supervisor").post(url, form).status_code == 302
    assert AgreementWatchlist.objects.get(watchlist=us_list).threshold == 0.9


def test_the_screening_page_offers_only_the_callers_own_lists_and_refuses_another_owners(
    world, watchlist, login
):
    """Finding 14 on the page: Kosovo's national list is not offered to the US, and posting
    it for another agreement is refused with 403; nothing is written."""
    from readmit.screening.models import AgreementWatchlist
    from tests.factories import make_agreement

    us_me = make_agreement(world.us, world.me)
    page = (
        login("us_supervisor")
        .get(reverse("web:agreement_screening", args=[us_me.id]))
        .content.decode()
    )
    assert f'value="{watchlist.id}"' not in page
    before = (audit_rows(), AgreementWatchlist.objects.count())
    url = reverse("web:agreement_watchlist_choose", args=[us_me.id])
    response = login("us_supervisor").post(url, {"watchlist": str(watchlist.id)})
    assert response.status_code == 403
    assert (audit_rows(), AgreementWatchlist.objects.count()) == before


def test_a_person_the_matcher_cannot_read_is_listed_for_a_manual_check_on_the_queue_and_the_case(
    world, watchlist, samples, login, django_capture_on_commit_callbacks
):
    from readmit.screening.services import watchlist_import

    unread = make_case(world.agreement, given_names="ጌታቸው", family_name="ረዳ", nationality="ET")
    read = make_case(world.agreement, given_names="Marisol", family_name="Ocampo")
    with django_capture_on_commit_callbacks(execute=True):
        watchlist_import(
            watchlist=watchlist,
            path_or_file=samples / "watchlist.csv",
            acting_user=world.user("xk_caseworker"),
        )
    client = login("us_caseworker")
    body = client.get(reverse("web:agreement_screening", args=[world.agreement.id])).content
    page = body.decode()
    assert f'data-not-screenable="{unread.id}"' in page
    assert f'data-not-screenable="{read.id}"' not in page
    assert "NOT SCREENABLE</strong>: script not read: Ethiopic" in page
    assert "No match awaits review." not in page  # never an empty-looking queue
    assert "<strong>1</strong></td></tr>" in page  # the run's not-screenable count
    case_page = client.get(reverse("web:case", args=[unread.id])).content.decode()
    assert 'data-screening="not_screenable"' in case_page
    assert "script not read: Ethiopic" in case_page
    other = client.get(reverse("web:case", args=[read.id])).content.decode()
    assert 'data-screening="no_match"' in other
    # A non-party sees neither the queue nor the case.
    outsider = login("me_supervisor")
    assert (
        outsider.get(reverse("web:agreement_screening", args=[world.agreement.id])).status_code
        == 404
    )
    assert outsider.get(reverse("web:case", args=[unread.id])).status_code == 404
