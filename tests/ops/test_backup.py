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
from types import SimpleNamespace

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


@pytest.mark.parametrize("prefix", ["media/", "database."])
def test_restore_refuses_a_damaged_archive_and_changes_nothing(filled, media, tmp_path, prefix):
    archive = tmp_path / "readmit.tar"
    backup(archive)
    damaged = tmp_path / "damaged.tar"
    hit = []
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name.startswith(prefix) and not hit:
                data = data[:-1] + bytes([data[-1] ^ 1])
                hit.append(member.name)
            target.addfile(member, io.BytesIO(data))
    before = state()

    with pytest.raises(BackupRefused, match=f"Checksum mismatch for {hit[0]}"):
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
    assert manifest["format"] == 2
    if connection.vendor == "postgresql":
        # The directory dump's files are members of their own, each with its checksum.
        assert "database.pgdir/toc.dat" in manifest["files"]
    assert set(manifest["versions"]) == {"readmit", "django", "python", "database"}
    assert "0001_initial" in manifest["migrations"]["cases"]
    assert manifest["rows"]["cases_case"] == 3
    assert f"media/{attachment.file.name}" in manifest["files"]


def test_a_compression_level_outside_0_to_9_is_refused(filled, media, tmp_path):
    with pytest.raises(ValueError, match="from 0 to 9, not 10"):
        backup(tmp_path / "readmit.tar", compress=10)
    assert not (tmp_path / "readmit.tar").exists()
    refused = _cli("backup", "--compress", "10", str(tmp_path / "readmit.tar"), env={})
    assert refused.returncode == 2
    assert "--compress: invalid choice: 10" in refused.stderr


@pytest.mark.postgres
def test_a_compressed_postgresql_backup_holds_gzipped_dump_files(filled, media, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    plain = backup(tmp_path / "plain.tar")
    packed = backup(tmp_path / "packed.tar", compress=6)
    assert not any(n.endswith(".gz") for n in plain["files"])
    assert any(n.startswith("database.pgdir/") and n.endswith(".dat.gz") for n in packed["files"])


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


@pytest.fixture
def pg_target(media, tmp_path):
    """A new, empty PostgreSQL database beside the test's: ``source`` and ``target`` are the
    CLI's environments for the test's database and for it, ``connect()`` opens it."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
    import psycopg

    conf = settings.DATABASES["default"]
    base = {
        "host": conf.get("HOST") or "127.0.0.1",
        "port": conf.get("PORT") or 5432,
        "user": conf.get("USER") or "postgres",
        "password": conf.get("PASSWORD") or None,
    }
    name = f"{conf['NAME']}_target"
    with psycopg.connect(dbname=conf["NAME"], autocommit=True, **base) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    password = f":{base['password']}" if base["password"] else ""
    url = f"postgres://{base['user']}{password}@{base['host']}:{base['port']}"
    common = {"DJANGO_SETTINGS_MODULE": "config.settings.dev", "READMIT_VAR_DIR": str(tmp_path)}
    yield SimpleNamespace(
        source={
            **common,
            "DATABASE_URL": f"{url}/{conf['NAME']}",
            "READMIT_MEDIA_ROOT": str(media),
        },
        target={
            **common,
            "DATABASE_URL": f"{url}/{name}",
            "READMIT_MEDIA_ROOT": str(tmp_path / "restored-media"),
        },
        media=tmp_path / "restored-media",
        connect=lambda: psycopg.connect(dbname=name, **base),
    )
    with psycopg.connect(dbname=conf["NAME"], autocommit=True, **base) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


def _restored_as_before(
    result: subprocess.CompletedProcess[str], pg_target: SimpleNamespace, before: dict[str, object]
) -> None:
    """The CLI restore succeeded and the target holds every case and the audit log as before."""
    assert result.returncode == 0, result.stderr
    assert "audit chain intact" in result.stdout
    with pg_target.connect() as restored:
        cases = restored.execute("SELECT id::text, state, version FROM cases_case").fetchall()
        head = restored.execute("SELECT seq, hash FROM audit_audithead").fetchone()
        events = restored.execute("SELECT COUNT(*) FROM audit_auditevent").fetchone()[0]
    assert sorted(cases) == before["cases"]
    assert (events, *head) == before["audit"]


@pytest.mark.postgres
def test_a_postgresql_backup_restores_through_the_cli_into_a_new_database(
    filled, media, tmp_path, pg_target
):
    before = state()
    archive = tmp_path / "readmit.tar"
    made = _cli("backup", str(archive), env=pg_target.source)
    assert made.returncode == 0, made.stderr
    _restored_as_before(_cli("restore", str(archive), env=pg_target.target), pg_target, before)
    ((name, _),) = before["attachments"]
    assert (pg_target.media / name).read_bytes() == PDF

    refused = _cli("restore", str(archive), env=pg_target.target)
    assert refused.returncode == 2 and "not empty" in refused.stderr
    forced = _cli("restore", "--force", str(archive), env=pg_target.target)
    assert forced.returncode == 0, forced.stderr
    with pg_target.connect() as restored:
        again = restored.execute("SELECT COUNT(*) FROM cases_case").fetchone()[0]
    assert again == len(before["cases"])


def _rewrite(
    archive: Path, into: Path, change: dict[str, bytes], manifest: dict[str, object]
) -> None:
    """A copy of ``archive`` with ``manifest``, the members of ``change`` put in (replaced or
    added) and those ``manifest`` no longer names left out."""
    with tarfile.open(archive) as source, tarfile.open(into, "w") as target:
        body = json.dumps(manifest).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(body)
        target.addfile(info, io.BytesIO(body))
        for member in source.getmembers():
            if member.name in manifest["files"] and member.name not in change:  # type: ignore[operator]
                target.addfile(member, source.extractfile(member))
        for name, data in change.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))


def _tables(connect) -> int:  # type: ignore[no-untyped-def]
    with connect() as conn:
        query = "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public'"
        return int(conn.execute(query).fetchone()[0])


@pytest.mark.postgres
def test_a_format_1_archive_of_a_custom_format_dump_still_restores(
    filled, media, tmp_path, pg_target
):
    before = state()
    archive = tmp_path / "readmit.tar"
    manifest = backup(archive)
    # Format 1 as the earlier code wrote it: one pg_dump --format=custom file, no directory.
    from readmit.ops.backup import _pg_env

    dump = tmp_path / "database.pgdump"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={dump}"],
        env=_pg_env("default"),
        check=True,
    )
    data = dump.read_bytes()
    files = {n: m for n, m in manifest["files"].items() if not n.startswith("database.")}
    files[dump.name] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    old = {**manifest, "format": 1, "database": {"vendor": "postgresql", "file": dump.name}}
    old["files"] = files
    old_archive = tmp_path / "format1.tar"
    _rewrite(archive, old_archive, {dump.name: data}, old)

    result = _cli("restore", str(old_archive), env=pg_target.target)

    _restored_as_before(result, pg_target, before)


@pytest.mark.postgres
def test_a_parallel_restore_that_fails_half_way_leaves_the_target_empty(
    filled, media, tmp_path, pg_target
):
    archive = tmp_path / "readmit.tar"
    manifest = backup(archive)
    # A data file whose checksum matches a manifest that was rewritten with it: it passes
    # the checks, the schema is restored, and then COPY of the bad rows fails.
    with tarfile.open(archive) as source:
        toc = {
            n: source.extractfile(n).read()  # type: ignore[union-attr]
            for n in manifest["files"]
            if n.startswith("database.pgdir/")
            and n.endswith(".dat")
            and n != "database.pgdir/toc.dat"
        }
    name = max(toc, key=lambda n: len(toc[n]))
    bad = b"this is not\ta row of the table\n\\.\n"
    files = dict(manifest["files"])
    files[name] = {"sha256": hashlib.sha256(bad).hexdigest(), "size": len(bad)}
    broken = tmp_path / "broken.tar"
    _rewrite(archive, broken, {name: bad}, {**manifest, "files": files})

    result = _cli("restore", str(broken), env=pg_target.target)

    assert result.returncode == 2
    assert "pg_restore failed" in result.stderr
    assert _tables(pg_target.connect) == 0


@pytest.mark.postgres
def test_the_parallel_dump_holds_the_manifests_snapshot_not_a_write_made_meanwhile(
    filled, media, tmp_path, pg_target, monkeypatch
):
    import psycopg

    from readmit.ops import backup as module

    conf = settings.DATABASES["default"]
    real_run = module._run

    def write_then_run(args: list[str], env: dict[str, str]) -> None:
        # Committed by another session after the manifest was read, before pg_dump starts.
        if args[0] == "pg_dump":
            with psycopg.connect(
                dbname=conf["NAME"],
                host=conf.get("HOST") or "127.0.0.1",
                port=conf.get("PORT") or 5432,
                user=conf.get("USER") or "postgres",
                password=conf.get("PASSWORD") or None,
                autocommit=True,
            ) as other:
                other.execute(
                    "INSERT INTO django_content_type (app_label, model) VALUES ('x', 'y')"
                )
        real_run(args, env)

    monkeypatch.setattr(module, "_run", write_then_run)
    before = state()
    archive = tmp_path / "readmit.tar"
    manifest = backup(archive)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_content_type WHERE app_label = 'x'")
        assert cursor.fetchone() == (1,)

    # The restore verifies every table's rows against the manifest: the dump is its state.
    _restored_as_before(_cli("restore", str(archive), env=pg_target.target), pg_target, before)
    with pg_target.connect() as restored:
        query = "SELECT COUNT(*), COUNT(*) FILTER (WHERE app_label = 'x') FROM django_content_type"
        types, written_meanwhile = restored.execute(query).fetchone()
    assert (types, written_meanwhile) == (manifest["rows"]["django_content_type"], 0)
