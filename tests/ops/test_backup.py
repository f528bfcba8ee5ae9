"""``readmit backup`` / ``readmit restore``: a round trip loses nothing (rows, the audit
chain's head, attachment bytes), on SQLite and on PostgreSQL; damaged archives and
non-empty targets are refused before anything is touched."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from readmit.audit.models import AuditEvent, AuditHead
from readmit.cases.attachments import attachment_add
from readmit.cases.models import Attachment, Case
from readmit.ops.backup import BackupRefused, backup, restore
from tests.factories import make_case, make_world

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.7\n% fictional travel document of a fictional person\n" + bytes(range(256))

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def filled(media):
    """Cases, audit events and one attachment on disk."""
    world = make_world()
    cases = [make_case(world.agreement, by=world.user("us_caseworker")) for _ in range(3)]
    attachment = attachment_add(
        case_id=cases[0].id,
        kind="other",
        file=io.BytesIO(PDF),
        filename="document.pdf",
        acting_user=world.user("us_caseworker"),
    )
    return world, cases, attachment


def state() -> dict[str, object]:
    head = AuditHead.objects.get(id=1)
    return {
        "cases": sorted((str(c.id), c.state, c.version) for c in Case.objects.all()),
        "audit": (AuditEvent.objects.count(), head.seq, head.hash),
        "attachments": sorted((a.file.name, a.sha256) for a in Attachment.objects.all()),
    }


def test_a_sqlite_round_trip_with_force_brings_back_every_row_the_chain_and_the_bytes(
    filled, media, tmp_path
):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip; PostgreSQL has its own test below")
    _, cases, attachment = filled
    before = state()
    archive = tmp_path / "readmit.tar"
    manifest = backup(archive)
    assert manifest["audit_head"]["seq"] == before["audit"][1]
    # Lose things after the backup: a case, an attachment's bytes, and add a row.
    path = Path(media) / attachment.file.name
    path.write_bytes(b"overwritten")
    Case.objects.filter(id=cases[2].id).delete()
    make_case(cases[0].agreement, by=None)

    with pytest.raises(BackupRefused, match="not empty"):
        restore(archive)
    report = restore(archive, force=True)

    assert report.ok, report.problems
    assert state() == before
    assert path.read_bytes() == PDF
    assert report.audit_rows == before["audit"][0]


def test_restore_refuses_a_damaged_archive_and_changes_nothing(filled, media, tmp_path):
    archive = tmp_path / "readmit.tar"
    backup(archive)
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith("media/"):
                data = data[:-1] + b"!"
            target.addfile(member, io.BytesIO(data))
    before = state()

    with pytest.raises(BackupRefused, match="Checksum mismatch for media/"):
        restore(damaged, force=True)
    assert state() == before


def test_restore_refuses_an_archive_whose_members_differ_from_its_manifest(filled, media, tmp_path):
    archive = tmp_path / "readmit.tar"
    backup(archive)
    with tarfile.open(archive, "a") as target:
        extra = tarfile.TarInfo("media/../../etc/evil")
        extra.size = 1
        target.addfile(extra, io.BytesIO(b"x"))
    with pytest.raises(BackupRefused, match="does not match its manifest"):
        restore(archive, force=True)


def test_the_manifest_names_versions_migrations_rows_and_a_checksum_per_member(
    filled, media, tmp_path
):
    _, _, attachment = filled
    archive = tmp_path / "readmit.tar"
    backup(archive)
    with tarfile.open(archive) as source:
        manifest = json.loads(source.extractfile("manifest.json").read())
        for name, meta in manifest["files"].items():
            data = source.extractfile(name).read()
            assert hashlib.sha256(data).hexdigest() == meta["sha256"]
            assert len(data) == meta["size"]
    assert set(manifest["versions"]) == {"readmit", "django", "python", "database"}
    assert "0001_initial" in manifest["migrations"]["cases"]
    assert manifest["rows"]["cases_case"] == 3
    assert f"media/{attachment.file.name}" in manifest["files"]


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "readmit.cli", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_a_sqlite_backup_restores_through_the_cli_into_an_empty_database(filled, media, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite round trip; PostgreSQL has its own test below")
    before = state()
    archive = tmp_path / "readmit.tar"
    backup(archive)
    target_db = tmp_path / "restored.sqlite3"
    target_media = tmp_path / "restored-media"
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": f"sqlite:///{target_db}",
        "READMIT_VAR_DIR": str(tmp_path / "var"),
        "READMIT_MEDIA_ROOT": str(target_media),
    }
    result = _cli("restore", str(archive), env=env)
    assert result.returncode == 0, result.stderr
    assert "audit chain intact" in result.stdout

    with sqlite3.connect(target_db) as restored:
        cases = restored.execute("SELECT COUNT(*) FROM cases_case").fetchone()[0]
        head = restored.execute("SELECT seq, hash FROM audit_audithead").fetchone()
    assert cases == len(before["cases"])
    assert head == before["audit"][1:]
    ((name, _),) = before["attachments"]
    assert (target_media / name).read_bytes() == PDF

    again = _cli("restore", str(archive), env=env)
    assert again.returncode == 2
    assert "not empty" in again.stderr


@pytest.mark.postgres
def test_a_postgresql_backup_restores_through_the_cli_into_a_new_database(filled, media, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    import psycopg

    before = state()
    conf = settings.DATABASES["default"]
    base = {
        "host": conf.get("HOST") or "127.0.0.1",
        "port": conf.get("PORT") or 5432,
        "user": conf.get("USER") or "postgres",
        "password": conf.get("PASSWORD") or None,
    }
    target_name = f"{conf['NAME']}_restored"
    with psycopg.connect(dbname=conf["NAME"], autocommit=True, **base) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{target_name}"')
        admin.execute(f'CREATE DATABASE "{target_name}"')
    password = f":{base['password']}" if base["password"] else ""
    url = f"postgres://{base['user']}{password}@{base['host']}:{base['port']}"
    archive = tmp_path / "readmit.tar"
    target_media = tmp_path / "restored-media"
    try:
        made = _cli(
            "backup",
            str(archive),
            env={
                "DJANGO_SETTINGS_MODULE": "config.settings.dev",
                "DATABASE_URL": f"{url}/{conf['NAME']}",
                "READMIT_VAR_DIR": str(tmp_path / "var"),
                "READMIT_MEDIA_ROOT": str(media),
            },
        )
        assert made.returncode == 0, made.stderr
        result = _cli(
            "restore",
            str(archive),
            env={
                "DJANGO_SETTINGS_MODULE": "config.settings.dev",
                "DATABASE_URL": f"{url}/{target_name}",
                "READMIT_VAR_DIR": str(tmp_path / "var"),
                "READMIT_MEDIA_ROOT": str(target_media),
            },
        )
        assert result.returncode == 0, result.stderr
        assert "audit chain intact" in result.stdout
        with psycopg.connect(dbname=target_name, **base) as restored:
            cases = restored.execute(
                "SELECT id::text, state, version FROM cases_case ORDER BY id"
            ).fetchall()
            head = restored.execute("SELECT seq, hash FROM audit_audithead").fetchone()
            events = restored.execute("SELECT COUNT(*) FROM audit_auditevent").fetchone()[0]
        assert sorted(cases) == before["cases"]
        assert (events, *head) == before["audit"]
        ((name, _),) = before["attachments"]
        assert (target_media / name).read_bytes() == PDF

        target_env = {
            "DJANGO_SETTINGS_MODULE": "config.settings.dev",
            "DATABASE_URL": f"{url}/{target_name}",
            "READMIT_VAR_DIR": str(tmp_path / "var"),
            "READMIT_MEDIA_ROOT": str(target_media),
        }
        refused = _cli("restore", str(archive), env=target_env)
        assert refused.returncode == 2 and "not empty" in refused.stderr
        forced = _cli("restore", "--force", str(archive), env=target_env)
        assert forced.returncode == 0, forced.stderr
        with psycopg.connect(dbname=target_name, **base) as restored:
            again = restored.execute("SELECT COUNT(*) FROM cases_case").fetchone()[0]
        assert again == len(before["cases"])
    finally:
        with psycopg.connect(dbname=conf["NAME"], autocommit=True, **base) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{target_name}"')
