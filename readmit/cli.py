"""The ``readmit`` console script.

Commands that need the database set up Django lazily; the screening commands run without
it, so they work on a laptop with nothing but two CSV files.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()


def _cmd_django(args: argparse.Namespace) -> int:
    """Run a Django management command: ``readmit manage migrate`` and friends."""
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["readmit manage", *args.rest])
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="readmit", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    manage = sub.add_parser("manage", help="run a Django management command")
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=_cmd_django)

    from readmit.screening import cli as screening_cli

    screening_cli.register(sub)

    from readmit.cases import cli as cases_cli

    cases_cli.register(sub)

    from readmit.ops import commands as ops_commands

    ops_commands.register(sub, setup_django=_setup_django)

    from readmit.screening import commands as screening_commands

    screening_commands.register(sub, _setup_django)

    from readmit.events import cli as events_cli

    events_cli.register(sub, _setup_django)

    from readmit.ops import cli as ops_cli

    ops_cli.register(sub, _setup_django)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    sys.exit(main())
