"""The audit log is append-only and any altered or deleted row is found by ``audit verify``."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from readmit.audit.chain import GENESIS, find_break, row_hash
from readmit.audit.events import AuditEventType
from readmit.audit.models import AppendOnlyError, AuditEvent
from readmit.audit.services import audit_record, audit_verify
from readmit.cli import main
from tests.factories import SYSTEM

N = 6


@pytest.fixture
def chain(db):
    with transaction.atomic():
        for i in range(N):
            audit_record(
                event_type=AuditEventType.PERSON_CREATED,
                acting_user=SYSTEM,
                object_type="person",
                object_id=str(i),
                data={"n": i, "name": "Ђорђе"},
            )
    return list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))


def _tamper(sql: str, params: list[object]) -> None:
    """What someone with direct database access could do (the PG trigger switched off)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")


def test_an_intact_chain_verifies(chain):
    count, broken = audit_verify()
    assert count == N
    assert broken is None


@pytest.mark.parametrize("index", range(N))
def test_altering_any_row_is_detected_at_that_row(chain, index, capsys):
    seq = chain[index]
    _tamper("UPDATE audit_auditevent SET object_id = %s WHERE seq = %s", ["forged", seq])
    _, broken = audit_verify()
    assert broken is not None
    assert broken.seq == seq
    assert main(["audit", "verify"]) == 1
    assert f"row #{seq}" in capsys.readouterr().out


@pytest.mark.parametrize("index", range(N))
def test_deleting_any_row_is_detected(chain, index, capsys):
    seq = chain[index]
    _tamper("DELETE FROM audit_auditevent WHERE seq = %s", [seq])
    _, broken = audit_verify()
    assert broken is not None
    assert broken.seq == seq
    assert main(["audit", "verify"]) == 1
    assert "BROKEN" in capsys.readouterr().out


def test_rehashing_an_altered_row_still_breaks_the_next_link(chain):
    row = dict(AuditEvent.objects.filter(seq=chain[1]).values()[0])
    row["occurred_at"] = row["occurred_at"].isoformat(timespec="microseconds")
    _tamper(
        "UPDATE audit_auditevent SET data = %s, hash = %s WHERE seq = %s",
        ['{"n": 99}', "f" * 64, chain[1]],
    )
    _, broken = audit_verify()
    assert broken is not None
    assert broken.seq in (chain[1], chain[2])


def test_the_cli_reports_an_intact_chain_with_exit_zero(chain, capsys):
    assert main(["audit", "verify"]) == 0
    assert f"{N} audit rows" in capsys.readouterr().out


def test_rows_refuse_to_be_updated_or_deleted_through_the_orm(chain):
    event = AuditEvent.objects.get(seq=chain[0])
    event.object_id = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(seq=chain[0]).update(object_id="x")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert audit_verify()[1] is None


@pytest.mark.django_db
def test_the_database_itself_refuses_updates_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    from django.db import DatabaseError

    with transaction.atomic():
        audit_record(event_type=AuditEventType.DEMO_LOADED, acting_user=SYSTEM)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET object_id = 'x'")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_audit_record_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError):
        audit_record(event_type=AuditEventType.DEMO_LOADED, acting_user=SYSTEM)


def test_find_break_names_a_gap_and_a_truncated_tail():
    rows = []
    prev = GENESIS
    for seq in (1, 2, 3):
        row = {
            "seq": seq,
            "occurred_at": "2026-01-01T00:00:00.000000+00:00",
            "event_type": 300,
            "actor_id": None,
            "actor_username": "",
            "organisation_id": None,
            "agreement_id": None,
            "case_id": None,
            "object_type": "",
            "object_id": "",
            "data": {},
            "prev_hash": prev,
        }
        row["hash"] = row_hash(row)
        prev = row["hash"]
        rows.append(row)
    assert find_break(rows, 3, rows[-1]["hash"]) is None
    gap = find_break([rows[0], rows[2]], 3, rows[-1]["hash"])
    assert gap is not None and gap.seq == 2
    tail = find_break(rows[:2], 3, rows[-1]["hash"])
    assert tail is not None and "deleted from the end" in tail.reason
