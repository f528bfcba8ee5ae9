"""``readmit deliver``: send the webhook deliveries that are due (a worker's sweep)."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any


def register(sub: Any, setup_django: Callable[[], None]) -> None:
    parser = sub.add_parser(
        "deliver",
        help="send due webhook deliveries and retries (once, or every --every seconds)",
    )
    parser.add_argument(
        "--every", type=float, default=0, help="keep running, sweeping every N seconds"
    )

    def run(args: argparse.Namespace) -> int:
        setup_django()
        return cmd_deliver_events(args)

    parser.set_defaults(func=run)


def cmd_deliver_events(args: argparse.Namespace) -> int:
    from readmit.events.delivery import deliver_due

    while True:
        counts = deliver_due()
        summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        print(f"deliveries: {summary or 'none due'}", flush=True)
        if args.every <= 0:
            return 0
        time.sleep(args.every)
