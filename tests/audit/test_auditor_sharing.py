"""An auditor reads the audit log as their organisation may read the case files: the
other party's internal notes, watchlist entries and the personal data the agreement does
not share are withheld (issue #12, item 3; the mission's auditor: tests/consular/)."""

from __future__ import annotations

from readmit.agreements.sharing import NOT_SHARED
from readmit.audit.events import AuditEventType
from readmit.audit.selectors import audit_events_for_auditor, audit_rows_for
from readmit.relocation.services import vulnerability_assess
from tests.factories import make_agreement, make_case
from tests.relocation.test_data_sharing import DATE, OFFENCE, convicted_case


def _details(world, who: str, event_type: AuditEventType) -> list[dict[str, object]]:
    user = world.user(who)
    events = audit_events_for_auditor(user).filter(event_type=event_type)
    return [details for _, details in audit_rows_for(user, events)]


def test_the_other_partys_auditor_reads_the_criteria_outcome_as_the_case_page_shows_it(
    world, login
):
    convicted_case(world, criminal_data_allowed=False)
    for who in ("us_auditor", "xk_auditor"):
        (details,) = _details(world, who, AuditEventType.CRITERIA_EVALUATED)
        assert details["outcome"] == "fail"
        assert details["not_passed"] == ["no_conviction_within_years"]
    # Nothing of the conviction itself is in the log for anyone.
    page = login("xk_auditor").get("/audit/").content.decode()
    assert OFFENCE not in page and DATE not in page


def test_how_many_vulnerabilities_were_found_is_withheld_unless_the_category_is_shared(world):
    agreement = make_agreement(
        world.us,
        world.xk,
        terms={
            "quota": {"limit": 50, "period": "rolling_year"},
            "data_sharing": {"categories": ["identity", "nationality"]},
        },
    )
    case = make_case(agreement, by=world.user("us_caseworker"))
    vulnerability_assess(
        case=case, vulnerabilities=["pregnant"], acting_user=world.user("us_caseworker")
    )
    (own,) = _details(world, "us_auditor", AuditEventType.VULNERABILITY_ASSESSED)
    assert own["found"] == 1
    (other,) = _details(world, "xk_auditor", AuditEventType.VULNERABILITY_ASSESSED)
    assert other["found"] == NOT_SHARED
