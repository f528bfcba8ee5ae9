"""A consular mission's auditor reads the audit events of the cases routed to it, not of
every case of its state's agreements (issue #12, item 3)."""

from __future__ import annotations

from readmit.audit.models import AuditEvent
from readmit.audit.selectors import audit_events_for_auditor
from tests.factories import log_in


def test_a_mission_auditor_reads_no_events_of_cases_not_routed_to_it(consular, client):
    world = consular.world
    case_events = AuditEvent.objects.filter(case_id=consular.case.id)
    assert case_events.exists()
    # The ministry's own side (the party as a whole) would see them; the mission does not.
    seen = audit_events_for_auditor(consular.user("ny_auditor"))
    assert not seen.filter(case_id=consular.case.id).exists()
    assert seen.filter(agreement_id=consular.agreement.id, case_id__isnull=True).exists()
    assert (
        audit_events_for_auditor(world.user("us_auditor")).filter(case_id=consular.case.id).exists()
    )
    page = log_in(client, consular.user("ny_auditor")).get("/audit/").content.decode()
    assert str(consular.case.id) not in page
