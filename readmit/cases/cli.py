"""``readmit mrz``: parse and verify a machine-readable zone, no database needed.

The lines come as arguments (one argument per line, or one argument holding line breaks)
or, when none are given, from standard input. A valid zone prints its fields as JSON and
exits 0; an invalid one prints ``readmit mrz: <field>: <problem>`` on stderr and exits 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, date, datetime
from typing import Any

from readmit.cases.mrz import MRZError, parse_mrz

EXIT_INVALID = 1


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def cmd_mrz(args: argparse.Namespace) -> int:
    text = "\n".join(args.lines) if args.lines else sys.stdin.read()
    today: date = args.today or datetime.now(UTC).date()  # pure: no clock (no Django)
    try:
        mrz = parse_mrz(text, today=today)
    except MRZError as error:
        print(f"readmit mrz: {error}", file=sys.stderr)
        return EXIT_INVALID
    json.dump(mrz.as_dict(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


def register(sub: Any) -> None:
    """Add ``mrz`` to the ``readmit`` subcommands."""
    mrz = sub.add_parser(
        "mrz",
        help="parse a passport or identity card MRZ (ICAO 9303) and verify its check digits",
        description="Parse a TD1, TD2 or TD3 machine-readable zone; see docs/readmission.md.",
    )
    mrz.add_argument(
        "lines", nargs="*", metavar="LINE", help="the zone's lines (read from stdin if none)"
    )
    mrz.add_argument(
        "--today",
        type=_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="the date that resolves two-digit years (default: today)",
    )
    mrz.set_defaults(func=cmd_mrz)
