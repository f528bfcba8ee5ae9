"""``readmit demo``, ``readmit createtoken``, ``readmit audit verify``: thin over services."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any


def register(sub: Any, *, setup_django: Callable[[], None]) -> None:
    def needs_django(func: Callable[[argparse.Namespace], int]) -> Callable[..., int]:
        def run(args: argparse.Namespace) -> int:
            setup_django()
            return func(args)

        return run

    demo = sub.add_parser("demo", help="load the fictional demo data and print the demo logins")
    demo.add_argument(
        "--reset",
        action="store_true",
        help="wipe the whole database (development only) and load the demo again",
    )
    demo.set_defaults(func=needs_django(cmd_demo))

    token = sub.add_parser("createtoken", help="create an API token for a user; printed once")
    token.add_argument("username")
    token.add_argument("--name", default="", help="a label for the token")
    token.set_defaults(func=needs_django(cmd_createtoken))

    sweep = sub.add_parser(
        "sweep",
        help="daily work: amendments coming into force, notices of termination taking "
        "effect, stays nearing their end, applications deemed accepted, the retention purge",
    )
    sweep.set_defaults(func=needs_django(cmd_sweep))

    audit = sub.add_parser("audit", help="audit log tools")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser("verify", help="recompute the hash chain; exit 1 if broken")
    verify.set_defaults(func=needs_django(cmd_audit_verify))


def cmd_demo(args: argparse.Namespace) -> int:
    from readmit.core.errors import ApplicationError
    from readmit.demo.load import SECOND_FACTOR_HELP, demo_load, format_logins

    try:
        logins = demo_load(reset=args.reset)
    except ApplicationError as exc:
        print(f"readmit demo: {exc.message}", file=sys.stderr)
        return 2
    print(format_logins(logins))
    print()
    print(SECOND_FACTOR_HELP)
    return 0


def cmd_createtoken(args: argparse.Namespace) -> int:
    from readmit.accounts.models import User
    from readmit.accounts.services import token_create

    user = User.objects.filter(username=args.username).first()
    if user is None or not user.is_active:
        print(f"readmit createtoken: no active user '{args.username}'", file=sys.stderr)
        return 2
    _, secret = token_create(user=user, name=args.name, acting_user=None)
    print(secret)
    print("Store this token now: it is shown only once.", file=sys.stderr)
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run from cron once a day (see docs/operations.md); safe to run more often."""
    from readmit.agreements.services import agreement_terms_refresh_due, termination_notices_due
    from readmit.cases.retention import retention_purge
    from readmit.cases.silence import deemed_acceptance_sweep
    from readmit.relocation.services import stay_deadlines_sweep

    refreshed = agreement_terms_refresh_due()
    ended = termination_notices_due()
    alerts = stay_deadlines_sweep()
    deemed = deemed_acceptance_sweep()
    purged = retention_purge()
    print(
        f"terms refreshed on {refreshed} agreement(s); {ended} agreement(s) ended by notice; "
        f"{alerts} stay alert(s) set; "
        f"{deemed} application(s) deemed accepted by silence; "
        f"{len(purged.anonymised)} person(s) anonymised after the retention period "
        f"({len(purged.held)} kept under a legal hold)"
    )
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from readmit.audit.services import audit_verify

    count, broken = audit_verify()
    if broken is not None:
        print(f"BROKEN at row #{broken.seq}: {broken.reason} ({count} rows read)")
        return 1
    print(f"OK: {count} audit rows, hash chain intact")
    return 0
