"""Screening runs, the review queue and the watchlist status the relocation criterion reads."""

from __future__ import annotations

import io

import pytest

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.core.errors import Forbidden, NotFound, TransitionRefused, ValidationFailed
from readmit.screening.models import (
    MatchStatus,
    RunStatus,
    RunTrigger,
    ScreeningMatch,
    ScreeningRun,
)
from readmit.screening.selectors import (
    access_match,
    access_run,
    review_queue,
    visible_runs,
    watchlist_status,
)
from readmit.screening.services import (
    screening_match_review,
    screening_run_start,
    watchlist_import,
)
from tests.factories import make_agreement, make_case
from tests.screening_app.conftest import make_dzevat


def dzevat(world):
    return make_dzevat(world.agreement)


def run_now(world, capture, user="xk_caseworker", **kwargs):
    with capture(execute=True):
        run = screening_run_start(agreement=world.agreement, acting_user=world.user(user), **kwargs)
    run.refresh_from_db()
    return run


@pytest.fixture
def imported(world, watchlist, samples):
    return watchlist_import(
        watchlist=watchlist,
        path_or_file=samples / "watchlist.csv",
        acting_user=world.user("xk_supervisor"),
    )


def test_a_run_finds_the_serbian_spelling_of_an_albanian_name_on_the_list(
    world, imported, django_capture_on_commit_callbacks
):
    case = dzevat(world)
    bystander = make_case(world.agreement, given_names="Marisol", family_name="Ocampo")
    run = run_now(world, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.DONE, run.error
    assert (run.case_count, run.entry_count, run.match_count) == (2, 5, 1)
    match = ScreeningMatch.objects.get(run=run)
    assert match.case == case and match.entry.external_id == "WL-001"
    assert match.status == MatchStatus.PENDING
    assert match.score >= 0.8
    assert "Dževat=Xhevat" in match.explanation
    assert not bystander.screening_matches.exists()


def test_every_run_records_the_list_versions_it_used(
    world, watchlist, imported, django_capture_on_commit_callbacks
):
    dzevat(world)
    run = run_now(world, django_capture_on_commit_callbacks)
    assert list(run.versions.all()) == [imported]
    assert run.versions_used == {"fictional-list": 1}
    event = AuditEvent.objects.get(event_type=AuditEventType.SCREENING_RUN_FINISHED)
    assert event.data["versions"] == {"fictional-list": 1}


def test_the_threshold_comes_from_the_agreements_list_choice_or_the_setting(
    world, imported, django_capture_on_commit_callbacks, settings
):
    dzevat(world)
    settings.READMIT_SCREENING_THRESHOLD = 0.99
    run = run_now(world, django_capture_on_commit_callbacks)
    assert run.threshold == 0.99
    assert run.match_count == 0


def test_a_reviewer_confirms_a_match_with_a_reason_and_the_case_fails_screening(
    world, imported, django_capture_on_commit_callbacks
):
    case = dzevat(world)
    run_now(world, django_capture_on_commit_callbacks)
    match = case.screening_matches.get()
    reviewed = screening_match_review(
        match=match,
        decision="confirmed",
        reason="Same birth date and village; photo compared.",
        acting_user=world.user("xk_supervisor"),
    )
    assert reviewed.status == MatchStatus.CONFIRMED
    assert reviewed.reviewed_by == world.user("xk_supervisor")
    assert reviewed.reviewed_at is not None
    assert watchlist_status(case) == "confirmed_match"
    event = AuditEvent.objects.get(event_type=AuditEventType.SCREENING_MATCH_REVIEWED)
    assert event.case_id == case.id and event.data["decision"] == "confirmed"


def test_dismissing_needs_a_reason_and_then_the_case_has_no_match(
    world, imported, django_capture_on_commit_callbacks
):
    case = dzevat(world)
    run_now(world, django_capture_on_commit_callbacks)
    match = case.screening_matches.get()
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed):
        screening_match_review(
            match=match, decision="dismissed", reason="  ", acting_user=world.user("xk_caseworker")
        )
    match.refresh_from_db()
    assert match.status == MatchStatus.PENDING and AuditEvent.objects.count() == before
    screening_match_review(
        match=match,
        decision="dismissed",
        reason="Listed person is 20 cm taller; different father's name.",
        acting_user=world.user("xk_caseworker"),
    )
    assert watchlist_status(case) == "no_match"
    with pytest.raises(TransitionRefused):  # decided once; a second decision is refused
        screening_match_review(
            match=match,
            decision="confirmed",
            reason="changed my mind",
            acting_user=world.user("xk_supervisor"),
        )


@pytest.mark.parametrize(
    ("user", "error"),
    [
        ("us_caseworker", Forbidden),  # the sending side does not review
        ("us_supervisor", Forbidden),
        ("xk_auditor", Forbidden),  # read-only role
        ("xk_liaison", Forbidden),
        ("xk_administrator", NotFound),  # administrators see no case files
        ("me_supervisor", NotFound),  # not a party: the match does not exist for them
    ],
)
def test_a_review_by_the_wrong_party_or_role_is_refused_and_writes_nothing(
    world, imported, django_capture_on_commit_callbacks, user, error
):
    case = dzevat(world)
    run_now(world, django_capture_on_commit_callbacks)
    match = case.screening_matches.get()
    before = AuditEvent.objects.count()
    with pytest.raises(error):
        screening_match_review(
            match=match, decision="dismissed", reason="not them", acting_user=world.user(user)
        )
    match.refresh_from_db()
    assert match.status == MatchStatus.PENDING and match.reason == ""
    assert AuditEvent.objects.count() == before
    # Change one thing, the role: the receiving caseworker may.
    screening_match_review(
        match=match,
        decision="dismissed",
        reason="not them",
        acting_user=world.user("xk_caseworker"),
    )


def test_watchlist_status_moves_from_unscreened_to_pending_to_no_match_to_unscreened(
    world, watchlist, imported, django_capture_on_commit_callbacks
):
    case = dzevat(world)
    assert watchlist_status(case) is None  # never screened
    run_now(world, django_capture_on_commit_callbacks)
    assert watchlist_status(case) == "pending_review"
    screening_match_review(
        match=case.screening_matches.get(),
        decision="dismissed",
        reason="different person",
        acting_user=world.user("xk_caseworker"),
    )
    assert watchlist_status(case) == "no_match"
    # A new version arrives; until the re-screening has run the old answer no longer holds.
    with django_capture_on_commit_callbacks(execute=False) as pending:
        watchlist_import(
            watchlist=watchlist,
            path_or_file=io.BytesIO(b"id,name\nZ1,Ana Lumi\n"),
            fmt="csv",
            filename="v2.csv",
            acting_user=world.user("xk_caseworker"),
        )
    assert watchlist_status(case) is None
    for callback in pending:
        callback()
    assert watchlist_status(case) == "no_match"


def test_a_case_is_screened_again_when_a_list_gets_a_new_version(
    world, watchlist, imported, django_capture_on_commit_callbacks
):
    case = dzevat(world)
    other = make_case(
        world.agreement, given_names="Đorđe", family_name="Brkić", nationality="ME", birth_year=1983
    )
    run_now(world, django_capture_on_commit_callbacks)
    assert case.screening_matches.count() == 1 and other.screening_matches.count() == 1
    screening_match_review(
        match=case.screening_matches.get(),
        decision="dismissed",
        reason="different person",
        acting_user=world.user("xk_caseworker"),
    )
    new_list = (
        b"id,name,aliases,birth_date\n"
        b"WL-001,Xhevat Ukshini,Xh. Ukshini;Xhevat Ukshin,1979-04-12\n"
        b"WL-009,Marisol Okampo,,1990\n"
    )
    marisol = make_case(world.agreement, given_names="Marisol", family_name="Ocampo")
    with django_capture_on_commit_callbacks(execute=True):
        v2 = watchlist_import(
            watchlist=watchlist,
            path_or_file=io.BytesIO(new_list),
            fmt="csv",
            filename="v2.csv",
            acting_user=world.user("xk_caseworker"),
        )
    rescreen = ScreeningRun.objects.get(trigger=RunTrigger.WATCHLIST_UPDATE)
    assert rescreen.status == RunStatus.DONE, rescreen.error
    assert list(rescreen.versions.all()) == [v2]
    assert rescreen.reference == "fictional-list v2"
    # The new listing is found; the changed listing (nationality dropped) is new to review.
    assert marisol.screening_matches.get().entry.external_id == "WL-009"
    assert case.screening_matches.filter(status=MatchStatus.PENDING).count() == 1
    assert watchlist_status(case) == "pending_review"


def test_an_unchanged_listing_already_reviewed_is_not_queued_again(
    world, watchlist, imported, samples, django_capture_on_commit_callbacks
):
    case = dzevat(world)
    run_now(world, django_capture_on_commit_callbacks)
    screening_match_review(
        match=case.screening_matches.get(),
        decision="dismissed",
        reason="different person",
        acting_user=world.user("xk_caseworker"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        watchlist_import(
            watchlist=watchlist,
            path_or_file=samples / "watchlist.csv",
            acting_user=world.user("xk_caseworker"),
        )
    assert case.screening_matches.count() == 1
    assert watchlist_status(case) == "no_match"


def test_only_parties_start_runs_and_only_once_lists_are_chosen(
    world, imported, django_capture_on_commit_callbacks
):
    dzevat(world)
    with pytest.raises(NotFound):
        screening_run_start(agreement=world.agreement, acting_user=world.user("me_supervisor"))
    with pytest.raises(Forbidden):
        screening_run_start(agreement=world.agreement, acting_user=world.user("xk_auditor"))
    assert not ScreeningRun.objects.exists()
    bare = make_agreement(world.us, world.xk)
    make_case(bare)
    with pytest.raises(TransitionRefused):
        screening_run_start(agreement=bare, acting_user=world.user("xk_caseworker"))
    run = run_now(world, django_capture_on_commit_callbacks, user="us_caseworker")
    assert run.status == RunStatus.DONE


def test_an_outsider_sees_no_run_no_match_and_no_queue(
    world, imported, django_capture_on_commit_callbacks
):
    dzevat(world)
    run = run_now(world, django_capture_on_commit_callbacks)
    match = ScreeningMatch.objects.get()
    outsider = world.user("me_supervisor")
    assert not visible_runs(outsider).exists()
    assert not review_queue(outsider).exists()
    with pytest.raises(NotFound):
        access_run(outsider, run.id)
    with pytest.raises(NotFound):
        access_match(outsider, match.id)
    with pytest.raises(NotFound):
        access_match(outsider, "not-a-uuid")
    insider = world.user("us_caseworker")
    assert access_run(insider, run.id) == run
    assert list(review_queue(insider, agreement=world.agreement)) == [match]


def test_screening_only_the_chosen_cases(world, imported, django_capture_on_commit_callbacks):
    case = dzevat(world)
    make_case(world.agreement, given_names="Marisol", family_name="Ocampo")
    run = run_now(world, django_capture_on_commit_callbacks, case_ids=[case.id])
    assert list(run.cases.all()) == [case]
    other_agreement_case = make_case(make_agreement(world.us, world.xk))
    with pytest.raises(ValidationFailed):
        screening_run_start(
            agreement=world.agreement,
            acting_user=world.user("xk_caseworker"),
            case_ids=[other_agreement_case.id],
        )


def test_a_run_over_nine_cases_costs_no_more_queries_than_over_three(
    world, imported, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from readmit.screening import services
    from readmit.screening.services import screening_run_execute

    def queries_for_a_run() -> int:
        with django_capture_on_commit_callbacks(execute=False):
            run = screening_run_start(
                agreement=world.agreement, acting_user=world.user("xk_caseworker")
            )
        services._INDEX_CACHE.clear()
        with CaptureQueriesContext(connection) as captured:
            screening_run_execute(run.id)
        run.refresh_from_db()
        assert run.status == RunStatus.DONE
        return len(captured)

    for n in range(3):
        make_case(
            world.agreement, given_names="Dževat", family_name=f"Ukšini{'i' * n}", birth_year=1979
        )
    small = queries_for_a_run()
    for n in range(6):
        make_case(world.agreement, given_names="Ana", family_name=f"Lumi{'i' * n}")
    # The second run finds only known listings, so it may even skip the insert.
    assert queries_for_a_run() <= small


def test_statuses_for_a_whole_list_come_in_a_fixed_number_of_queries(
    world, imported, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    from readmit.screening.selectors import watchlist_statuses

    listed = dzevat(world)
    others = [
        make_case(world.agreement, given_names="Ana", family_name=f"Lumi{'i' * n}")
        for n in range(5)
    ]
    unscreened = make_case(world.agreement, given_names="Marisol", family_name="Ocampo")
    run_now(
        world, django_capture_on_commit_callbacks, case_ids=[listed.id] + [c.id for c in others]
    )
    with django_assert_max_num_queries(6):
        statuses = watchlist_statuses([listed, *others, unscreened])
    assert statuses[listed.id] == "pending_review"
    assert {statuses[c.id] for c in others} == {"no_match"}
    assert statuses[unscreened.id] is None


def test_a_person_whose_name_the_matcher_cannot_read_is_not_screenable_never_cleared(
    world, imported, django_capture_on_commit_callbacks
):
    import datetime as dt

    from readmit.agreements.criteria import Outcome, evaluate_one
    from readmit.agreements.terms import Criterion
    from readmit.relocation.selectors import person_facts

    unread = make_case(world.agreement, given_names="ጌታቸው", family_name="ረዳ", nationality="ET")
    arabic = make_case(world.agreement, given_names="سهيل", family_name="خالد", nationality="SY")
    run = run_now(world, django_capture_on_commit_callbacks)
    assert run.status == RunStatus.DONE, run.error
    assert run.not_screenable == {str(unread.id): "script not read: Ethiopic"}
    assert watchlist_status(unread) == "not_screenable"
    assert watchlist_status(arabic) == "no_match"  # read, and not on the list
    finished = AuditEvent.objects.filter(
        event_type=AuditEventType.SCREENING_RUN_FINISHED, object_id=str(run.id)
    ).get()
    assert finished.data["not_screenable"] == 1
    result = evaluate_one(
        Criterion(rule="no_watchlist_match", params={}),  # type: ignore[arg-type]
        person_facts(unread),
        on=dt.date(2026, 12, 2),
    )
    assert result.outcome == Outcome.UNKNOWN and "not screenable" in result.explanation.lower()
