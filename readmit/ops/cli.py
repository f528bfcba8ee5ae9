"""``readmit backup``, ``readmit restore`` and ``readmit serve``: thin over readmit.ops."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any


def register(sub: Any, setup_django: Callable[[], None]) -> None:
    def needs_django(func: Callable[[argparse.Namespace], int]) -> Callable[..., int]:
        def run(args: argparse.Namespace) -> int:
            setup_django()
            return func(args)

        return run

    backup = sub.add_parser(
        "backup", help="write the database and the attachments to one archive file"
    )
    backup.add_argument("archive", type=Path, help="the archive to write (e.g. readmit.tar)")
    backup.add_argument(
        "--compress",
        type=int,
        choices=range(10),
        default=0,
        metavar="0-9",
        help="gzip level of the PostgreSQL dump (default 0: fastest; ciphertext hardly shrinks)",
    )
    backup.set_defaults(func=needs_django(cmd_backup))

    restore = sub.add_parser(
        "restore", help="restore an archive of `readmit backup`, then verify the audit chain"
    )
    restore.add_argument("archive", type=Path)
    restore.add_argument(
        "--force",
        action="store_true",
        help="replace a database and attachments that are not empty (they are lost)",
    )
    restore.set_defaults(func=needs_django(cmd_restore))

    serve = sub.add_parser(
        "serve",
        help="run gunicorn with several workers (production; see docs/operations.md)",
    )
    serve.add_argument("--bind", default=os.environ.get("READMIT_BIND", "127.0.0.1:8000"))
    serve.add_argument(
        "--workers", type=int, default=int(os.environ.get("READMIT_WEB_WORKERS", "0")) or None
    )
    serve.add_argument(
        "--task-workers",
        type=int,
        default=int(os.environ.get("READMIT_TASK_WORKERS", "0")),
        help="also start this many background workers (db_worker), as separate processes",
    )
    serve.set_defaults(func=cmd_serve)

    tasks = sub.add_parser("tasks", help="background tasks (see docs/operations.md)")
    tasks_sub = tasks.add_subparsers(dest="tasks_command", required=True)
    requeue = tasks_sub.add_parser(
        "requeue-stale",
        help="put back in the queue the running tasks whose worker stopped beating (died)",
    )
    requeue.add_argument(
        "--lease",
        type=_seconds,
        default=None,
        metavar="SECONDS",
        help="a task is stale after this many seconds without a heartbeat"
        " (default READMIT_TASK_LEASE_SECONDS, 60)",
    )
    requeue.set_defaults(func=needs_django(cmd_tasks_requeue_stale))


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0 seconds")
    return value


def cmd_tasks_requeue_stale(args: argparse.Namespace) -> int:
    from readmit.ops.taskrecovery import requeue_stale

    result = requeue_stale(lease=args.lease)
    for task_id in result.task_ids:
        print(f"requeued task {task_id}")
    print(f"readmit tasks requeue-stale: {len(result.task_ids)} stale tasks requeued")
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from readmit.core.errors import ApplicationError
    from readmit.ops.backup import backup

    try:
        manifest = backup(args.archive, compress=args.compress)
    except ApplicationError as exc:
        print(f"readmit backup: {exc.message}", file=sys.stderr)
        return 2
    media = sum(1 for name in manifest["files"] if name.startswith("media/"))
    head = manifest["audit_head"] or {"seq": 0}
    print(
        f"{args.archive}: {manifest['database']['vendor']} database, "
        f"{sum(manifest['rows'].values())} rows, {media} attachments, "
        f"audit head #{head['seq']}"
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from readmit.core.errors import ApplicationError
    from readmit.ops.backup import restore

    try:
        report = restore(args.archive, force=args.force)
    except ApplicationError as exc:
        print(f"readmit restore: {exc.message}", file=sys.stderr)
        return 2
    if not report.ok:
        for problem in report.problems:
            print(f"readmit restore: {problem}", file=sys.stderr)
        return 1
    head = report.manifest["audit_head"] or {"seq": 0}
    print(
        f"restored {args.archive}: audit chain intact ({report.audit_rows} events, head "
        f"#{head['seq']}), every table's rows and every attachment as archived"
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Gunicorn (config/gunicorn.py) and, with --task-workers, background workers."""
    from readmit.ops.serving import run

    return run(bind=args.bind, workers=args.workers, task_workers=args.task_workers)
