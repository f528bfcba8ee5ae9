"""``readmit demo``, ``createtoken``, ``audit verify``, ``keys rotate``: thin over services."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from readmit.core.actors import SystemActor


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
    token.add_argument(
        "--scope",
        action="append",
        dest="scopes",
        help="read, write, write:cases, write:lists, write:agreements, write:screening "
        "(repeat or separate by commas; default: read and write)",
    )
    token.add_argument(
        "--expires-days",
        type=int,
        default=None,
        help="days the token lives (default READMIT_TOKEN_DEFAULT_DAYS, at most "
        "READMIT_TOKEN_MAX_DAYS)",
    )
    token.set_defaults(func=needs_django(cmd_createtoken))

    tokens = sub.add_parser("token", help="API token tools")
    tokens_sub = tokens.add_subparsers(dest="token_command", required=True)
    revoke = tokens_sub.add_parser("revoke", help="revoke the token(s) with this prefix")
    revoke.add_argument("prefix", help="the token's first 12 characters (rdm_…)")
    revoke.set_defaults(func=needs_django(cmd_token_revoke))
    rotate = tokens_sub.add_parser(
        "rotate", help="print a new token with the same scopes; the old one lives on"
    )
    rotate.add_argument("prefix")
    rotate.add_argument("--expires-days", type=int, default=None)
    rotate.set_defaults(func=needs_django(cmd_token_rotate))
    listing = tokens_sub.add_parser("list", help="a user's tokens (never the secrets)")
    listing.add_argument("username")
    listing.set_defaults(func=needs_django(cmd_token_list))

    sweep = sub.add_parser(
        "sweep",
        help="daily work: amendments coming into force, notices of termination taking "
        "effect, stays nearing their end, applications deemed accepted, the retention purge, "
        "notices of deadlines coming due",
    )
    sweep.set_defaults(func=needs_django(cmd_sweep))

    audit = sub.add_parser("audit", help="audit log tools")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    verify = audit_sub.add_parser("verify", help="recompute the hash chain; exit 1 if broken")
    verify.add_argument(
        "--checkpoints",
        metavar="FILE",
        help="also check signed checkpoints a party kept (the export of `audit checkpoint`)",
    )
    verify.add_argument(
        "--public-key",
        action="append",
        dest="public_keys",
        metavar="HEX",
        help="accept only checkpoints signed by this key (repeat for rotated keys)",
    )
    verify.set_defaults(func=needs_django(cmd_audit_verify))
    checkpoint = audit_sub.add_parser(
        "checkpoint", help="sign the chain's head with READMIT_AUDIT_SIGNING_KEY (cron)"
    )
    checkpoint.set_defaults(func=needs_django(cmd_audit_checkpoint))
    export = audit_sub.add_parser("export-checkpoints", help="print every checkpoint as JSON")
    export.set_defaults(func=needs_django(cmd_audit_export_checkpoints))

    keys = sub.add_parser("keys", help="keys of the encrypted fields (READMIT_DATA_KEYS)")
    keys_sub = keys.add_subparsers(dest="keys_command", required=True)
    rotate_keys = keys_sub.add_parser(
        "rotate",
        help="re-wrap every data key under the current (first) key; idempotent, resumable",
    )
    rotate_keys.add_argument(
        "--blind-index",
        action="store_true",
        help="instead, recompute every blind index under READMIT_BLIND_INDEX_KEY (the old "
        "key still in READMIT_BLIND_INDEX_PREVIOUS_KEYS); idempotent, resumable",
    )
    rotate_keys.set_defaults(func=needs_django(cmd_keys_rotate))
    status = keys_sub.add_parser(
        "status", help="how many values each key wraps; exit 1 if a key in use is missing"
    )
    status.set_defaults(func=needs_django(cmd_keys_status))


def cmd_keys_rotate(args: argparse.Namespace) -> int:
    from readmit.core.crypto import DecryptionFailed
    from readmit.ops.keys import blind_index_rotate, keys_rotate

    if args.blind_index:
        try:
            done = blind_index_rotate()
        except DecryptionFailed as exc:
            print(f"readmit keys rotate --blind-index: {exc}", file=sys.stderr)
            return 1
        for label, count in sorted(done.recomputed.items()):
            print(f"{label}: {count} recomputed")
        print(
            f"{done.total} blind indexes recomputed under READMIT_BLIND_INDEX_KEY; "
            f"{done.already_current} were under it already. READMIT_BLIND_INDEX_PREVIOUS_KEYS "
            "may now be emptied."
        )
        return 0
    try:
        result = keys_rotate()
    except DecryptionFailed as exc:
        print(f"readmit keys rotate: {exc}", file=sys.stderr)
        return 1
    for label, count in sorted(result.rewrapped.items()):
        print(f"{label}: {count} re-wrapped")
    print(
        f"{result.total} data keys re-wrapped under {result.current!r}; "
        f"{result.already_current} were under it already."
    )
    return 0


def cmd_keys_status(args: argparse.Namespace) -> int:
    from readmit.ops.keys import keys_status

    current, fields, missing = keys_status()
    print(f"current key: {current}")
    for f in fields:
        counts = ", ".join(f"{k}: {n}" for k, n in f.by_key.items()) or "no values"
        print(f"{f.label}: {counts}" + (f"; {f.empty} empty" if f.empty else ""))
    if missing:
        print(
            f"readmit keys status: values wrapped under {', '.join(sorted(missing))}, "
            "which READMIT_DATA_KEYS does not hold",
            file=sys.stderr,
        )
        return 1
    return 0


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
    # The demo needs no font; letters, printouts and PDF exports do: say what is missing.
    from readmit.documents.fonts import missing_report

    fonts = missing_report()
    if fonts:
        print()
        print(f"Note: {fonts}")
    return 0


def cmd_createtoken(args: argparse.Namespace) -> int:
    from readmit.accounts.models import User
    from readmit.accounts.services import token_create
    from readmit.core.errors import ApplicationError

    user = User.objects.filter(username=args.username).first()
    if user is None or not user.is_active:
        print(f"readmit createtoken: no active user '{args.username}'", file=sys.stderr)
        return 2
    try:
        token, secret = token_create(
            user=user,
            name=args.name,
            scopes=args.scopes,
            expires_days=args.expires_days,
            acting_user=SystemActor("command line"),
        )
    except ApplicationError as exc:
        print(f"readmit createtoken: {exc.message}", file=sys.stderr)
        return 2
    print(secret)
    print(
        f"Store this token now: it is shown only once. Scopes: {' '.join(token.scopes)}; "
        f"expires {token.expires_at:%Y-%m-%d %H:%M} UTC.",
        file=sys.stderr,
    )
    return 0


def _live_token_by_prefix(prefix: str, command: str) -> Any:
    from readmit.accounts.models import ApiToken

    found = list(
        ApiToken.objects.select_related("user").filter(prefix=prefix, revoked_at__isnull=True)
    )
    if len(found) != 1:
        what = "no unrevoked token" if not found else f"{len(found)} unrevoked tokens"
        print(f"readmit token {command}: {what} with prefix '{prefix}'", file=sys.stderr)
        return None
    return found[0]


def cmd_token_revoke(args: argparse.Namespace) -> int:
    from readmit.accounts.services import token_revoke

    token = _live_token_by_prefix(args.prefix, "revoke")
    if token is None:
        return 2
    token_revoke(token=token, acting_user=SystemActor("command line"))
    print(f"revoked {token.prefix}… of {token.user.username}")
    return 0


def cmd_token_rotate(args: argparse.Namespace) -> int:
    from readmit.accounts.services import token_rotate
    from readmit.core.errors import ApplicationError

    token = _live_token_by_prefix(args.prefix, "rotate")
    if token is None:
        return 2
    try:
        _, secret = token_rotate(
            token=token, acting_user=SystemActor("command line"), expires_days=args.expires_days
        )
    except ApplicationError as exc:
        print(f"readmit token rotate: {exc.message}", file=sys.stderr)
        return 2
    print(secret)
    print(
        f"Store this token now. {token.prefix}… keeps working until "
        f"{token.expires_at:%Y-%m-%d} or `readmit token revoke {token.prefix}`.",
        file=sys.stderr,
    )
    return 0


def cmd_token_list(args: argparse.Namespace) -> int:
    from readmit.accounts.models import ApiToken

    for token in ApiToken.objects.filter(user__username=args.username).order_by("created_at"):
        state = "revoked" if token.revoked_at else f"expires {token.expires_at:%Y-%m-%d}"
        used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
        scopes = " ".join(token.scopes)
        print(f"{token.prefix}  {scopes:<30} {state:<20} last used {used}  {token.name}")
    return 0


def cmd_sweep(args: argparse.Namespace) -> int:
    """Run from cron once a day (see docs/operations.md); safe to run more often."""
    from readmit.agreements.services import agreement_terms_refresh_due, termination_notices_due
    from readmit.cases.retention import retention_purge
    from readmit.cases.silence import deemed_acceptance_sweep
    from readmit.relocation.services import stay_deadlines_sweep
    from readmit.work.services import deadline_notifications

    refreshed = agreement_terms_refresh_due(acting_user=SystemActor("terms refresh"))
    ended = termination_notices_due()
    alerts = stay_deadlines_sweep()
    deemed = deemed_acceptance_sweep()
    purged = retention_purge()
    told = deadline_notifications()
    print(
        f"terms refreshed on {refreshed} agreement(s); {ended} agreement(s) ended by notice; "
        f"{alerts} stay alert(s) set; "
        f"{deemed} application(s) deemed accepted by silence; "
        f"{len(purged.anonymised)} person(s) anonymised after the retention period "
        f"({len(purged.held)} kept under a legal hold); "
        f"{told} deadline(s) coming due notified"
    )
    return 0


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from readmit.audit.services import audit_verify

    count, broken = audit_verify()
    if broken is not None:
        print(f"BROKEN at row #{broken.seq}: {broken.reason} ({count} rows read)")
        return 1
    print(f"OK: {count} audit rows, hash chain intact")
    if args.checkpoints:
        return _verify_checkpoints(args.checkpoints, args.public_keys)
    return 0


def _verify_checkpoints(path: str, public_keys: list[str] | None) -> int:
    import json

    from readmit.audit.anchor import FORMAT
    from readmit.audit.services import audit_verify_checkpoints

    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, ValueError) as exc:
        print(f"readmit audit verify: cannot read {path}: {exc}", file=sys.stderr)
        return 2
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        print(f"readmit audit verify: {path} is not a {FORMAT} file", file=sys.stderr)
        return 2
    trusted = frozenset(k.lower() for k in public_keys) if public_keys else None
    count, mismatch = audit_verify_checkpoints(
        document.get("checkpoints", []), trusted_keys=trusted
    )
    if mismatch is not None:
        print(f"BROKEN: {mismatch.describe()} ({count} checkpoint(s) read)")
        return 1
    print(f"OK: {count} signed checkpoint(s) match the log")
    return 0


def cmd_audit_checkpoint(args: argparse.Namespace) -> int:
    from readmit.audit.services import audit_checkpoint
    from readmit.core.errors import ApplicationError

    try:
        checkpoint = audit_checkpoint()
    except ApplicationError as exc:
        print(f"readmit audit checkpoint: {exc.message}", file=sys.stderr)
        return 2
    print(f"signed row #{checkpoint.seq} ({checkpoint.hash}) with key {checkpoint.public_key}")
    return 0


def cmd_audit_export_checkpoints(args: argparse.Namespace) -> int:
    import json

    from readmit.audit.services import audit_checkpoints_export

    print(json.dumps(audit_checkpoints_export(), indent=2))
    return 0
