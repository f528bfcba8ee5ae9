"""Signed checkpoints anchor the audit chain: a rewrite of the whole chain is detected."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.test import override_settings

from readmit.audit.anchor import signature_valid
from readmit.audit.chain import GENESIS, row_hash
from readmit.audit.events import AuditEventType
from readmit.audit.models import AuditCheckpoint, AuditEvent, AuditHead
from readmit.audit.services import (
    _stored_rows,
    audit_checkpoint,
    audit_checkpoints_export,
    audit_record,
    audit_verify,
)
from readmit.cli import main
from tests.factories import SYSTEM

N = 5


def _record(n: int) -> None:
    with transaction.atomic():
        for i in range(n):
            audit_record(
                event_type=AuditEventType.PERSON_CREATED,
                acting_user=SYSTEM,
                object_type="person",
                object_id=str(i),
                data={"n": i},
            )


@pytest.fixture
def chain(db):
    _record(N)


def _rewrite_whole_chain() -> None:
    """What a database superuser could do: change a row, then recompute every hash and link
    after it and the head, so that the chain is consistent again."""
    rows = list(_stored_rows())
    prev = GENESIS
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_append_only")
        for row in rows:
            if row["object_type"] == "person":
                row["object_id"] = "forged-" + row["object_id"]
            row["prev_hash"] = prev
            row["hash"] = row_hash(row)
            prev = row["hash"]
            cursor.execute(
                "UPDATE audit_auditevent SET object_id = %s, prev_hash = %s, hash = %s "
                "WHERE seq = %s",
                [row["object_id"], row["prev_hash"], row["hash"], row["seq"]],
            )
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_append_only")
    AuditHead.objects.filter(id=1).update(seq=rows[-1]["seq"], hash=prev)


def _export(tmp_path: Path) -> Path:
    file = tmp_path / "checkpoints.json"
    file.write_text(json.dumps(audit_checkpoints_export()), encoding="utf-8")
    return file


def test_a_checkpoint_signs_the_head_and_is_recorded_in_the_chain(chain):
    checkpoint = audit_checkpoint()
    assert (checkpoint.seq, checkpoint.hash) == (
        N,
        AuditEvent.objects.get(seq=N).hash,
    )
    exported = audit_checkpoints_export()["checkpoints"]
    assert len(exported) == 1 and signature_valid(exported[0])
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.AUDIT_CHECKPOINT_SIGNED, seq=N + 1
    ).exists()


def test_a_rewrite_of_the_whole_chain_passes_verify_but_not_the_checkpoints(
    chain, tmp_path, capsys
):
    audit_checkpoint()
    _record(2)
    audit_checkpoint()
    kept = _export(tmp_path)
    assert main(["audit", "verify", "--checkpoints", str(kept)]) == 0
    assert "2 signed checkpoint(s) match" in capsys.readouterr().out

    _rewrite_whole_chain()
    assert audit_verify()[1] is None  # the chain alone cannot tell
    assert main(["audit", "verify", "--checkpoints", str(kept)]) == 1
    out = capsys.readouterr().out
    assert f"BROKEN: checkpoint 1 (row #{N}" in out
    assert "rewritten" in out


def test_a_forged_checkpoint_file_is_refused(chain, tmp_path, capsys):
    audit_checkpoint()
    document = audit_checkpoints_export()
    document["checkpoints"][0]["hash"] = "f" * 64
    file = tmp_path / "forged.json"
    file.write_text(json.dumps(document), encoding="utf-8")
    assert main(["audit", "verify", "--checkpoints", str(file)]) == 1
    assert "signature is not valid" in capsys.readouterr().out


def test_checkpoints_by_another_key_are_refused_when_the_key_is_pinned(chain, tmp_path, capsys):
    checkpoint = audit_checkpoint()
    kept = _export(tmp_path)
    assert (
        main(["audit", "verify", "--checkpoints", str(kept), "--public-key", checkpoint.public_key])
        == 0
    )
    assert main(["audit", "verify", "--checkpoints", str(kept), "--public-key", "ab" * 32]) == 1
    assert "untrusted key" in capsys.readouterr().out


@override_settings(READMIT_AUDIT_SIGNING_KEY="")
def test_without_a_signing_key_no_checkpoint_is_made(chain, capsys):
    assert main(["audit", "checkpoint"]) == 2
    assert "READMIT_AUDIT_SIGNING_KEY" in capsys.readouterr().err
    assert AuditCheckpoint.objects.count() == 0


def test_the_checkpoint_command_and_task_sign(chain, capsys):
    from readmit.audit.tasks import audit_checkpoint_task

    assert main(["audit", "checkpoint"]) == 0
    assert f"signed row #{N}" in capsys.readouterr().out
    audit_checkpoint_task.enqueue()
    assert AuditCheckpoint.objects.count() == 2


def test_auditors_of_each_party_download_the_checkpoints(login, world):
    audit_checkpoint()
    for key in ("us_auditor", "xk_auditor"):
        response = login(key).get("/audit/checkpoints.json")
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        document = json.loads(response.content)
        assert document["checkpoints"] and signature_valid(document["checkpoints"][0])
    assert "/audit/checkpoints.json" in login("xk_auditor").get("/audit/").content.decode()


def test_only_auditors_download_the_checkpoints(login, client, world):
    assert login("us_caseworker").get("/audit/checkpoints.json").status_code == 403
    client.logout()
    assert client.get("/audit/checkpoints.json").status_code == 302
