"""``data_sharing.retention_days`` (issue #8, finding 9): the purge anonymises the personal
data of cases closed longer ago than the retention period, never under a legal hold, and
the audit chain stays verifiable (no audit row is rewritten)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditEvent
from readmit.audit.services import audit_verify
from readmit.cases.models import Case, IdentityDocument, Person
from readmit.cases.retention import ANONYMISED_NAME, retention_purge
from readmit.cli import main
from tests.factories import log_in
from tests.relocation.conftest import act, kosovo, person, submit

RETENTION = 30


def closed_case(world: Any, *, hold: bool = False, **person_data: Any) -> Case:
    agreement = kosovo(world, data_sharing={"retention_days": RETENTION})
    case = submit(world, agreement, [person(**person_data)]).cases[0]
    worker = world.user("us_caseworker")
    if hold:
        act(
            case,
            "place_legal_hold",
            worker,
            reason="Appeal lodged",
            payload={
                "kind": "court_challenge",
                "authority": "Court of Appeal",
                "reference": "Court of Appeal 12/2026",
                "decided_on": "2026-01-10",
            },
        )
    act(case, "withdraw", worker, reason="Withdrawn by the sending state")
    closed = act(case, "close", worker)
    assert closed.closed_at is not None
    return closed


def chain() -> list[tuple[int, str]]:
    return list(AuditEvent.objects.order_by("seq").values_list("seq", "hash"))


def test_personal_data_is_anonymised_after_the_retention_period_and_the_audit_chain_verifies(
    world,
):
    case = closed_case(world, family_name="Quintero Salas", given_names="Ana María")
    before = chain()
    too_early = retention_purge(now=case.closed_at + dt.timedelta(days=RETENTION - 1))
    assert too_early.anonymised == []
    assert Person.objects.get(id=case.person_id).family_name == "Quintero Salas"

    result = retention_purge(now=case.closed_at + dt.timedelta(days=RETENTION))
    assert result.anonymised == [case.person_id]
    person_row = Person.objects.get(id=case.person_id)
    assert person_row.family_name == ANONYMISED_NAME and person_row.given_names == ""
    assert person_row.birth_year is None and person_row.anonymised_at is not None
    assert not person_row.nationalities.exists()
    assert not IdentityDocument.objects.filter(person_id=case.person_id).exists()
    assert Case.objects.get(id=case.id).state == "closed"  # the case record stays
    # The audit log: every earlier row kept with its hash, one row added, chain intact.
    after = chain()
    assert after[: len(before)] == before and len(after) == len(before) + 1
    purge_event = AuditEvent.objects.get(event_type=AuditEventType.PERSONAL_DATA_PURGED)
    assert purge_event.object_id == str(case.person_id)
    assert "Quintero" not in str(purge_event.data)
    count, broken = audit_verify()
    assert broken is None and count == len(after)
    # Nothing twice.
    assert retention_purge(now=case.closed_at + dt.timedelta(days=RETENTION * 2)).anonymised == []


def test_a_case_under_a_legal_hold_is_never_purged(world):
    case = closed_case(world, hold=True, family_name="Held")
    assert Case.objects.get(id=case.id).legal_hold
    result = retention_purge(now=case.closed_at + dt.timedelta(days=RETENTION * 10))
    assert result.anonymised == [] and result.held == [case.person_id]
    assert Person.objects.get(id=case.person_id).family_name == "Held"
    assert not AuditEvent.objects.filter(event_type=AuditEventType.PERSONAL_DATA_PURGED).exists()


def test_an_open_case_keeps_the_person(world):
    agreement = kosovo(world, data_sharing={"retention_days": RETENTION})
    case = submit(world, agreement, [person(family_name="Open")]).cases[0]
    far = case.created_at + dt.timedelta(days=RETENTION * 10)
    assert retention_purge(now=far).anonymised == []
    assert Person.objects.get(id=case.person_id).family_name == "Open"


def test_the_audit_log_names_no_one_when_a_person_is_recorded(world):
    case = closed_case(world, family_name="Zzyzxville")
    created = AuditEvent.objects.get(
        event_type=AuditEventType.PERSON_CREATED, object_id=str(case.person_id)
    )
    assert "Zzyzxville" not in str(created.data)


def test_readmit_sweep_runs_the_purge_and_says_how_many(world, capsys):
    case = closed_case(world, family_name="Swept")
    Case.objects.filter(id=case.id).update(
        closed_at=case.closed_at - dt.timedelta(days=RETENTION + 1)
    )
    assert main(["sweep"]) == 0
    assert "1 person(s) anonymised after the retention period" in capsys.readouterr().out
    assert Person.objects.get(id=case.person_id).family_name == ANONYMISED_NAME
    client = Client()
    log_in(client, world.user("us_caseworker"))
    page = client.get(f"/cases/{case.id}/").content.decode()
    assert "Swept" not in page and ANONYMISED_NAME in page
