"""The screening endpoints of the exchange contract, with the visibility rules of the web.

``POST /agreements/{id}/screening-runs`` starts a run, ``GET /screening-runs/{id}`` shows it,
``GET /cases/{id}/matches`` lists a case's matches and ``POST /matches/{id}/review`` decides
one. Every party sees the outcome and the reason; only the list's owner sees the entry behind
a match unless the list is shared; a non-party gets 404, a wrong role 403.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.screening.models import MatchStatus, RunStatus, ScreeningMatch, ScreeningRun
from readmit.screening.services import watchlist_import, watchlist_set_sharing
from tests.exchange.conftest import Api, assert_problem
from tests.factories import make_case
from tests.screening_app.conftest import make_dzevat
from tests.screening_lists import SAMPLES, fictional_list


@pytest.fixture
def samples() -> Path:
    return SAMPLES


@pytest.fixture
def watchlist(world):  # type: ignore[no-untyped-def]
    return fictional_list(world)


ENTRY = "Xhevat Ukshini"  # on the sample list; the case is its Serbian spelling


def post(api: Api, path: str, user: Any, body: Any) -> Any:
    return api.client.post(
        path,
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {api.token(user)}",
    )


@pytest.fixture
def listed(world, watchlist, samples):  # type: ignore[no-untyped-def]
    watchlist_import(
        watchlist=watchlist,
        path_or_file=samples / "watchlist.csv",
        acting_user=world.user("xk_supervisor"),
    )
    return make_dzevat(world.agreement)


def start(api: Api, world: Any, user_key: str, capture: Any, body: Any = None) -> Any:
    with capture(execute=True):
        return post(
            api,
            f"/api/v1/agreements/{world.agreement.id}/screening-runs",
            world.user(user_key),
            body if body is not None else {"reference": "on demand"},
        )


def test_a_party_worker_starts_a_run_that_answers_202_and_its_progress_can_be_read(
    world, api, listed, django_capture_on_commit_callbacks
):
    response = start(api, world, "us_caseworker", django_capture_on_commit_callbacks)
    assert response.status_code == 202, response.content
    run = response.json()
    assert response["Location"] == f"/api/v1/screening-runs/{run['id']}"
    assert run["status"] == "queued" and run["trigger"] == "manual"
    progress = api.get(response["Location"], world.user("xk_auditor"))
    assert progress.status_code == 200, progress.content
    body = progress.json()
    assert body["status"] == RunStatus.DONE
    assert body["case_count"] == 1 and body["match_count"] == 1
    assert body["versions_used"] == {"fictional-list": 1}


def test_a_run_reports_the_people_it_could_not_screen_by_count_and_case_id(
    world, api, listed, django_capture_on_commit_callbacks
):
    unread = make_case(world.agreement, given_names="ጌታቸው", family_name="ረዳ", nationality="ET")
    response = start(api, world, "xk_caseworker", django_capture_on_commit_callbacks)
    assert response.status_code == 202, response.content
    body = api.get(response["Location"], world.user("us_caseworker")).json()
    assert body["status"] == RunStatus.DONE
    assert body["case_count"] == 2 and body["match_count"] == 1
    assert body["not_screenable_count"] == 1
    assert body["not_screenable_case_ids"] == [str(unread.id)]


def test_starting_a_run_is_refused_to_a_non_party_404_and_to_an_auditor_403(
    world, api, listed, django_capture_on_commit_callbacks
):
    runs = ScreeningRun.objects.count()
    outsider = start(api, world, "me_supervisor", django_capture_on_commit_callbacks)
    assert_problem(outsider, 404, "not-found")
    auditor = start(api, world, "xk_auditor", django_capture_on_commit_callbacks)
    assert_problem(auditor, 403, "forbidden")
    assert ScreeningRun.objects.count() == runs


def test_a_run_body_with_an_unknown_field_is_refused_naming_it(
    world, api, listed, django_capture_on_commit_callbacks
):
    runs = ScreeningRun.objects.count()
    response = start(
        api, world, "xk_caseworker", django_capture_on_commit_callbacks, {"everything": True}
    )
    body = assert_problem(response, 422, "validation-failed")
    assert any("everything" in e["loc"] for e in body["errors"])
    assert ScreeningRun.objects.count() == runs


def test_a_run_is_not_found_for_a_non_party(world, api, listed, django_capture_on_commit_callbacks):
    run = start(api, world, "xk_caseworker", django_capture_on_commit_callbacks).json()
    assert_problem(
        api.get(f"/api/v1/screening-runs/{run['id']}", world.user("me_supervisor")),
        404,
        "not-found",
    )
    assert_problem(
        api.get("/api/v1/screening-runs/not-a-uuid", world.user("xk_caseworker")),
        404,
        "not-found",
    )


@pytest.fixture
def matched(world, api, listed, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    start(api, world, "xk_caseworker", django_capture_on_commit_callbacks)
    return ScreeningMatch.objects.get(case=listed)


def test_the_owner_of_the_list_sees_the_entry_behind_a_match(world, api, listed, matched):
    response = api.get(f"/api/v1/cases/{listed.id}/matches", world.user("xk_caseworker"))
    assert response.status_code == 200, response.content
    (match,) = response.json()
    assert match["id"] == str(matched.id) and match["status"] == "pending"
    assert match["entry_shared"] is True
    assert match["entry"]["name"] == ENTRY and match["entry"]["external_id"] == "WL-001"
    assert match["explanation"]


def test_the_other_party_sees_the_match_and_its_review_but_not_who_is_on_the_list(
    world, api, listed, matched
):
    reviewed = post(
        api,
        f"/api/v1/matches/{matched.id}/review",
        world.user("xk_caseworker"),
        {"decision": "dismiss", "reason": "Another birth place.", "internal_note": "Checked."},
    )
    assert reviewed.status_code == 200, reviewed.content
    response = api.get(f"/api/v1/cases/{listed.id}/matches", world.user("us_caseworker"))
    assert response.status_code == 200, response.content
    (match,) = response.json()
    assert match["status"] == "dismissed" and match["reason"] == "Another birth place."
    assert match["watchlist"]["name"] == "Fictional public-order list"
    assert match["entry_shared"] is False
    assert match["entry"] is None and match["matched_name"] is None
    assert match["explanation"] is None
    text = response.content.decode()
    assert "Xhevat" not in text and "WL-001" not in text and "Checked." not in text


def test_a_shared_list_shows_its_entry_to_the_other_party(world, api, listed, matched):
    watchlist_set_sharing(
        watchlist=matched.entry.version.watchlist,
        shared=True,
        reason="A public list.",
        acting_user=world.user("xk_supervisor"),
    )
    (match,) = api.get(f"/api/v1/cases/{listed.id}/matches", world.user("us_caseworker")).json()
    assert match["entry_shared"] is True and match["entry"]["name"] == ENTRY


def test_a_case_s_matches_are_not_found_for_a_non_party(world, api, listed, matched):
    response = api.get(f"/api/v1/cases/{listed.id}/matches", world.user("me_caseworker"))
    assert_problem(response, 404, "not-found")


def test_a_receiving_caseworker_confirms_a_match_with_a_reason_and_it_is_audited(
    world, api, listed, matched
):
    response = post(
        api,
        f"/api/v1/matches/{matched.id}/review",
        world.user("xk_caseworker"),
        {"decision": "confirm", "reason": "Same person: same birth date."},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "confirmed"
    matched.refresh_from_db()
    assert matched.status == MatchStatus.CONFIRMED
    event = AuditEvent.objects.get(
        event_type=AuditEventType.SCREENING_MATCH_REVIEWED, object_id=str(matched.id)
    )
    assert event.data["decision"] == "confirmed"
    again = post(
        api,
        f"/api/v1/matches/{matched.id}/review",
        world.user("xk_supervisor"),
        {"decision": "dismiss", "reason": "No."},
    )
    assert_problem(again, 409, "already-reviewed")


@pytest.mark.parametrize(
    ("user_key", "status", "slug"),
    [
        ("us_caseworker", 403, "forbidden"),  # the sending party does not review
        ("xk_auditor", 403, "forbidden"),  # reads the case, may not decide
        ("me_caseworker", 404, "not-found"),  # party to nothing here
    ],
)
def test_a_review_by_anyone_but_a_receiving_worker_is_refused_and_writes_nothing(
    world, api, listed, matched, user_key, status, slug
):
    rows = AuditEvent.objects.count()
    response = post(
        api,
        f"/api/v1/matches/{matched.id}/review",
        world.user(user_key),
        {"decision": "confirm", "reason": "Same person."},
    )
    assert_problem(response, status, slug)
    matched.refresh_from_db()
    assert matched.status == MatchStatus.PENDING
    assert AuditEvent.objects.count() == rows


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"decision": "maybe", "reason": "x"}, "decision"),
        ({"decision": "confirm", "reason": "   "}, "reason"),
        ({"decision": "confirm"}, "reason"),
        ({"decision": "confirm", "reason": "x", "entry": "y"}, "entry"),
        ({"decision": "confirm", "reason": "x", "internal_note": "n" * 2001}, "internal_note"),
    ],
)
def test_a_bad_review_is_refused_naming_the_field_and_writes_nothing(
    world, api, listed, matched, body, field
):
    rows = AuditEvent.objects.count()
    response = post(api, f"/api/v1/matches/{matched.id}/review", world.user("xk_caseworker"), body)
    problem = assert_problem(response, 422, "validation-failed")
    assert any(field in e["loc"] for e in problem["errors"]), problem
    matched.refresh_from_db()
    assert matched.status == MatchStatus.PENDING
    assert AuditEvent.objects.count() == rows
