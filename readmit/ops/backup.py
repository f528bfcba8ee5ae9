"""``readmit backup`` and ``readmit restore``: the database and the attachments in one file.

The archive is a tar file holding ``manifest.json`` (format, versions, the applied
migrations, the audit chain's head, the rows of every table, a SHA-256 and size for every
other member), the database (PostgreSQL: ``pg_dump --format=directory --jobs=N``, each file
of the directory a member ``database.pgdir/...``, uncompressed unless asked; SQLite: a copy
made with sqlite3's backup API) and every file under ``MEDIA_ROOT`` as ``media/...``.

On PostgreSQL the manifest's head and row counts are read in the same snapshot that
``pg_dump --snapshot`` dumps, so they describe exactly what the archive holds: the snapshot
is exported by a transaction that stays open until every ``pg_dump`` worker has finished.

A restore checks every checksum before it touches anything, refuses a target that already
holds tables or attachments unless ``force``, restores, then verifies: the audit chain
recomputes, its head and every table's row count are those of the manifest. On PostgreSQL
``pg_restore --jobs=N`` cannot run in one transaction, so all or nothing is kept another way:
it restores into an empty schema, and if it fails the schema is dropped and made empty again.
Archives of format 1 (one ``pg_dump --format=custom`` file) still restore.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.loader import MigrationLoader

from readmit.core.errors import N_, ApplicationError

FORMAT = 2
FORMATS = (1, 2)  # what restore reads: 1 holds a custom-format dump, 2 a directory dump
MANIFEST = "manifest.json"
MEDIA_PREFIX = "media/"
DUMP_NAMES = {"postgresql": "database.pgdir", "sqlite": "database.sqlite3"}


def jobs() -> int:
    """Parallel ``pg_dump``/``pg_restore`` jobs: one a core, at least 2."""
    return max(2, os.cpu_count() or 1)


class BackupRefused(ApplicationError):
    """The archive or the target is not fit for this; nothing was changed."""

    status = 409
    default_type = "backup-refused"
    title = "Backup or restore refused"


@dataclass
class RestoreReport:
    manifest: dict[str, Any]
    audit_rows: int
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _vendor(alias: str) -> str:
    vendor = connections[alias].vendor
    if vendor not in DUMP_NAMES:
        raise BackupRefused(
            N_("Backups support PostgreSQL and SQLite, not %(vendor)s."), params={"vendor": vendor}
        )
    return vendor


def _pg_env(alias: str) -> dict[str, str]:
    """libpq's variables for the database: no password on a command line."""
    conf = connections[alias].settings_dict
    env = dict(os.environ)
    for key, var in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if conf.get(key):
            env[var] = str(conf[key])
    options = conf.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if options.get(key):
            env[f"PG{key.upper()}"] = str(options[key])
    return env


def _run(args: list[str], env: Mapping[str, str]) -> None:
    result = subprocess.run(args, env=dict(env), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupRefused(
            N_("%(program)s failed: %(error)s"),
            params={"program": args[0], "error": result.stderr.strip()[-2000:]},
        )


def _state_of(cursor: Any, tables: list[str], quote: Callable[[str], str]) -> dict[str, Any]:
    """What the archive must hold: applied migrations, the audit head, every table's rows."""
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    cursor.execute("SELECT seq, hash FROM audit_audithead WHERE id = 1")
    head = cursor.fetchone()
    rows: dict[str, int] = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608
        rows[table] = int(cursor.fetchone()[0])
    return {
        "migrations": applied,
        "audit_head": {"seq": head[0], "hash": head[1]} if head else None,
        "rows": rows,
    }


def _state(alias: str) -> dict[str, Any]:
    connection = connections[alias]
    tables = connection.introspection.django_table_names(only_existing=True)
    with connection.cursor() as cursor:
        return _state_of(cursor, tables, connection.ops.quote_name)


def _media_files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.is_symlink():
                yield path


def backup(target: Path, *, alias: str = DEFAULT_DB_ALIAS, compress: int = 0) -> dict[str, Any]:
    """Write the archive to ``target`` (via a temporary name, renamed when complete).

    ``compress`` is ``pg_dump``'s gzip level (0 to 9) on PostgreSQL; 0, the default, is
    fastest: the sealed columns are ciphertext and do not compress.
    """
    vendor = _vendor(alias)
    if not 0 <= compress <= 9:
        # A caller's mistake, not an operator's: the CLI offers 0 to 9 only.
        raise ValueError(f"compress is a gzip level from 0 to 9, not {compress}")
    target = Path(target)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".readmit-backup-") as work:
        dump = Path(work) / DUMP_NAMES[vendor]
        connection = connections[alias]
        connection.ensure_connection()
        if vendor == "postgresql":
            # The exported snapshot lives as long as this transaction: it stays open until
            # pg_dump and all its workers are done, so each of them reads the same state.
            with transaction.atomic(using=alias), connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot()")
                snapshot = cursor.fetchone()[0]
                state = _state(alias)
                _run(
                    [
                        "pg_dump",
                        "--format=directory",
                        f"--jobs={jobs()}",
                        f"--compress={compress}",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        f"--file={dump}",
                    ],
                    _pg_env(alias),
                )
                server = str(connection.pg_version)  # type: ignore[attr-defined]
        else:
            # One step of the backup API is a consistent copy; the manifest describes the copy.
            tables = connection.introspection.django_table_names(only_existing=True)
            copy = sqlite3.connect(dump)
            try:
                connection.connection.backup(copy)
                state = _state_of(copy.cursor(), tables, connection.ops.quote_name)
            finally:
                copy.close()
            server = sqlite3.sqlite_version
        # The dump's files: the directory's (PostgreSQL) or the one copy (SQLite).
        parts = sorted(p for p in dump.rglob("*") if p.is_file()) if dump.is_dir() else [dump]
        dump_members = {p.relative_to(work).as_posix(): p for p in parts}
        files: dict[str, dict[str, Any]] = {
            name: {"sha256": _sha256(path), "size": path.stat().st_size}
            for name, path in dump_members.items()
        }
        media = list(_media_files(media_root))
        for path in media:
            name = MEDIA_PREFIX + path.relative_to(media_root).as_posix()
            files[name] = {"sha256": _sha256(path), "size": path.stat().st_size}
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "versions": {
                "readmit": _readmit_version(),
                "django": django.get_version(),
                "python": platform.python_version(),
                "database": f"{vendor} {server}",
            },
            "database": {"vendor": vendor, "file": dump.name},
            **state,
            "files": files,
        }
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w") as archive:
            body = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(body)
            info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
            archive.addfile(info, io.BytesIO(body))
            for name, path in dump_members.items():
                archive.add(path, arcname=name)
            for path in media:
                archive.add(path, arcname=MEDIA_PREFIX + path.relative_to(media_root).as_posix())
        partial.replace(target)
    return manifest


def _readmit_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("readmit")
    except PackageNotFoundError:
        return "unknown"


def _extract(archive_path: Path, into: Path) -> dict[str, Any]:
    """Unpack and check every member against the manifest; refuse anything unexpected."""
    try:
        archive = tarfile.open(archive_path, "r")  # noqa: SIM115 (closed by the with below)
    except (OSError, tarfile.TarError) as exc:
        raise BackupRefused(
            N_("%(archive)s is not a Readmit backup: %(error)s"),
            params={"archive": str(archive_path), "error": str(exc)},
        ) from exc
    with archive:
        try:
            manifest: dict[str, Any] = json.loads(archive.extractfile(MANIFEST).read())  # type: ignore[union-attr]
        except (KeyError, AttributeError, ValueError) as exc:
            raise BackupRefused(
                N_("%(archive)s has no readable %(manifest)s."),
                params={"archive": str(archive_path), "manifest": MANIFEST},
            ) from exc
        if manifest.get("format") not in FORMATS:
            raise BackupRefused(
                N_("Unknown backup format %(format)s."),
                params={"format": repr(manifest.get("format"))},
            )
        expected: dict[str, dict[str, Any]] = manifest["files"]
        members = [m for m in archive.getmembers() if m.name != MANIFEST]
        names = {m.name for m in members}
        unexpected = sorted(names - expected.keys())
        missing = sorted(expected.keys() - names)
        if unexpected or missing or any(not m.isfile() for m in members):
            raise BackupRefused(
                N_(
                    "The archive does not match its manifest (missing: %(missing)s, "
                    "unexpected: %(unexpected)s); nothing was restored."
                ),
                params={"missing": str(missing[:5]), "unexpected": str(unexpected[:5])},
            )
        archive.extractall(into, members=members, filter="data")
    for name, meta in expected.items():
        if _sha256(into / name) != meta["sha256"]:
            raise BackupRefused(
                N_("Checksum mismatch for %(name)s: the archive is damaged."),
                params={"name": name},
            )
    return manifest


def _target_in_use(alias: str, media_root: Path) -> BackupRefused | None:
    """Why the target may not be replaced without --force (None: it is empty)."""
    tables = len(connections[alias].introspection.table_names())
    files = any(True for _ in _media_files(media_root))
    params = {"tables": tables, "media": str(media_root)}
    if tables and files:
        return BackupRefused(
            N_(
                "The target is not empty (the database holds %(tables)s tables; %(media)s holds "
                "files); restore with --force to replace it."
            ),
            params=params,
        )
    if tables:
        return BackupRefused(
            N_(
                "The target is not empty (the database holds %(tables)s tables); restore with "
                "--force to replace it."
            ),
            params=params,
        )
    if files:
        return BackupRefused(
            N_(
                "The target is not empty (%(media)s holds files); restore with --force to "
                "replace it."
            ),
            params=params,
        )
    return None


def _unknown_migrations(manifest: Mapping[str, Any], alias: str) -> list[str]:
    loader = MigrationLoader(connections[alias], ignore_no_migrations=True, load=True)
    known = set(loader.disk_migrations)
    return [
        f"{app}.{name}"
        for app, names in manifest["migrations"].items()
        for name in names
        if (app, name) not in known
    ]


def restore(
    archive_path: Path, *, force: bool = False, alias: str = DEFAULT_DB_ALIAS
) -> RestoreReport:
    """Restore the archive into the configured database and ``MEDIA_ROOT``, then verify."""
    vendor = _vendor(alias)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="readmit-restore-") as work_dir:
        work = Path(work_dir)
        manifest = _extract(Path(archive_path), work)
        if manifest["database"]["vendor"] != vendor:
            raise BackupRefused(
                N_("The archive holds a %(archived)s database; the target is %(vendor)s."),
                params={"archived": manifest["database"]["vendor"], "vendor": vendor},
            )
        unknown = _unknown_migrations(manifest, alias)
        if unknown:
            raise BackupRefused(
                N_(
                    "The archive was made by a newer Readmit (migrations this code does not "
                    "know: %(unknown)s); install that version first."
                ),
                params={"unknown": ", ".join(unknown[:5])},
            )
        in_use = _target_in_use(alias, media_root)
        if in_use is not None and not force:
            raise in_use
        dump = work / manifest["database"]["file"]
        connection = connections[alias]
        if vendor == "postgresql":
            if in_use:
                with connection.cursor() as cursor:
                    cursor.execute("DROP SCHEMA public CASCADE")
                    cursor.execute("CREATE SCHEMA public")
            connection.close()
            _pg_restore(dump, alias)
        else:
            connection.ensure_connection()
            with sqlite3.connect(dump) as source:
                source.backup(connection.connection)
            source.close()
        if force and media_root.is_dir():
            shutil.rmtree(media_root)
        for name in manifest["files"]:
            if name.startswith(MEDIA_PREFIX):
                destination = media_root / name.removeprefix(MEDIA_PREFIX)
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(work / name, destination)
    return verify_restored(manifest, alias=alias)


def _pg_restore(dump: Path, alias: str) -> None:
    """``pg_restore --jobs`` into the empty schema; if it fails, the schema is empty again.

    ``--single-transaction`` cannot be combined with ``--jobs``: each job commits its own
    part, so a failure half-way is undone by dropping what was restored. The target was
    empty (or emptied by ``force``) before, so nothing of the target's own is lost.
    """
    connection = connections[alias]
    try:
        _run(
            [
                "pg_restore",
                f"--jobs={jobs()}",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--dbname={connection.settings_dict['NAME']}",
                str(dump),
            ],
            _pg_env(alias),
        )
    except BackupRefused:
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
        raise


def verify_restored(manifest: Mapping[str, Any], *, alias: str = DEFAULT_DB_ALIAS) -> RestoreReport:
    """The audit chain recomputes; its head, the rows and the attachments are the archive's."""
    from readmit.audit.services import audit_verify

    count, broken = audit_verify()
    report = RestoreReport(manifest=dict(manifest), audit_rows=count)
    if broken is not None:
        report.problems.append(f"audit chain broken: {broken}")
    state = _state(alias)
    if state["audit_head"] != manifest["audit_head"]:
        report.problems.append(
            f"audit head {state['audit_head']} differs from the archive's {manifest['audit_head']}"
        )
    for table, rows in manifest["rows"].items():
        if state["rows"].get(table) != rows:
            report.problems.append(
                f"{table}: {state['rows'].get(table)} rows, the archive has {rows}"
            )
    media_root = Path(settings.MEDIA_ROOT)
    for name, meta in manifest["files"].items():
        if name.startswith(MEDIA_PREFIX):
            path = media_root / name.removeprefix(MEDIA_PREFIX)
            if not path.is_file() or _sha256(path) != meta["sha256"]:
                report.problems.append(f"attachment {name} missing or altered")
    return report
