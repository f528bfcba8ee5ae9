"""``readmit watchlist import SLUG FILE --format csv|ftm|un-xml``: thin over the service.

Run by an operator on the server (no user: the audit row names no actor) or on behalf of a
user with ``--as USERNAME`` (then that user's gates and roles apply). A bad file prints the
file, line and field and exits 1 with nothing imported.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from readmit.core.actors import SystemActor


def register(sub: Any, setup_django: Callable[[], None]) -> None:
    def needs_django(func: Callable[[argparse.Namespace], int]) -> Callable[..., int]:
        def run(args: argparse.Namespace) -> int:
            setup_django()
            return func(args)

        return run

    watchlist = sub.add_parser("watchlist", help="watchlists used by screening")
    watchlist_sub = watchlist.add_subparsers(dest="watchlist_command", required=True)
    imp = watchlist_sub.add_parser(
        "import", help="import a file as the watchlist's next version (screens again)"
    )
    imp.add_argument("slug", help="the watchlist's slug")
    imp.add_argument("file", help="the list file")
    imp.add_argument(
        "--format",
        dest="fmt",
        choices=["csv", "ftm", "un-xml"],
        default=None,
        help="file format (default: the watchlist's source kind)",
    )
    imp.add_argument("--as", dest="username", default="", help="act as this user")
    imp.set_defaults(func=needs_django(cmd_watchlist_import))


def cmd_watchlist_import(args: argparse.Namespace) -> int:
    from readmit.accounts.models import User
    from readmit.core.errors import ApplicationError
    from readmit.screening.models import Watchlist
    from readmit.screening.services import watchlist_import

    watchlist = Watchlist.objects.filter(slug=args.slug).first()
    if watchlist is None:
        print(f"readmit watchlist import: no watchlist '{args.slug}'", file=sys.stderr)
        return 2
    user: User | SystemActor = SystemActor("command line")
    if args.username:
        found = User.objects.filter(username=args.username, is_active=True).first()
        if found is None:
            print(f"readmit watchlist import: no active user '{args.username}'", file=sys.stderr)
            return 2
        user = found
    try:
        version = watchlist_import(
            watchlist=watchlist, path_or_file=args.file, fmt=args.fmt, acting_user=user
        )
    except ApplicationError as exc:
        print(f"readmit watchlist import: {exc.message}", file=sys.stderr)
        return 1
    skipped = (
        f", {version.skipped_count} non-person records skipped" if version.skipped_count else ""
    )
    print(
        f"{watchlist.slug} version {version.number}: {version.entry_count} people{skipped}; "
        f"sha256 {version.sha256}"
    )
    return 0
