"""Finding 7 of issue #8 for match reviews: the review form says who reads the reason, and
an internal note stays with the reviewing organisation (case history, audit log)."""

from __future__ import annotations

from django.urls import reverse

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from tests.factories import make_case

NOTE = "Same man as entry 7 of our national list, do not quote it."
REASON = "Same birth date and birthplace."


def test_a_match_review_note_is_read_only_by_the_reviewing_organisation(
    world, watchlist, samples, login, django_capture_on_commit_callbacks
):
    from readmit.screening.models import ScreeningMatch
    from readmit.screening.services import watchlist_import

    case = make_case(world.agreement, given_names="Dževat", family_name="Ukšini", birth_year=1979)
    with django_capture_on_commit_callbacks(execute=True):
        watchlist_import(
            watchlist=watchlist,
            path_or_file=samples / "watchlist.csv",
            acting_user=world.user("xk_caseworker"),
        )
    match = ScreeningMatch.objects.get()
    reviewer = login("xk_caseworker")
    queue = reviewer.get(reverse("web:agreement_screening", args=[world.agreement.id]))
    assert f"Read by {world.us.name}" in queue.content.decode()
    response = reviewer.post(
        reverse("web:match_review", args=[match.id]),
        {"decision": "confirmed", "reason": REASON, "internal_note": NOTE},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    event = AuditEvent.objects.get(event_type=AuditEventType.SCREENING_MATCH_REVIEWED)
    assert event.data["internal_note"] == NOTE
    own = reviewer.get(reverse("web:case", args=[case.id])).content.decode()
    assert NOTE in own and REASON in own
    other = login("us_caseworker").get(reverse("web:case", args=[case.id])).content.decode()
    assert REASON in other and NOTE not in other
    foreign_audit = login("us_auditor").get("/audit/").content.decode()
    assert NOTE not in foreign_audit
    # The watchlist entry stays with the list's owner (ADR 0003), on the audit log too.
    entry = event.data["entry"]
    assert entry and f"entry: {entry}" not in foreign_audit
    assert f"entry: {entry}" in login("xk_auditor").get("/audit/").content.decode()
