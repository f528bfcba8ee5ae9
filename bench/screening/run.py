"""Screening benchmarks: quality per slice, pair scoring throughput, query speed.

    python -m bench.screening            # full run (about 4-5 minutes; 1M names)
    python -m bench.screening --quick    # seconds; what the test suite smoke-runs

Every figure is printed next to a baseline measured in the same run. Nothing here asserts
timings; the figures are for people (docs/screening.md records the last full run).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # also runnable as ``python bench/screening/run.py``
    sys.path.insert(0, str(ROOT))

from bench.screening.pairs import run_pairs  # noqa: E402
from bench.screening.quality import run_quality  # noqa: E402

SEED = 20261129


def run_speed(
    size: int, queries: int, jobs: int, recall_sample: int, baseline_sample: int
) -> dict[str, float]:
    """One watchlist size in a fresh interpreter, so that memory peaks do not mix."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    }
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.screening.speed",
            "--size",
            str(size),
            "--queries",
            str(queries),
            "--jobs",
            str(jobs),
            "--recall-sample",
            str(recall_sample),
            "--baseline-sample",
            str(baseline_sample),
            "--seed",
            str(SEED),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


def print_speed(f: dict[str, float]) -> None:
    print(
        f"speed {int(f['size']):>9,} names ({int(f['entries']):,} entries,"
        f" {int(f['vocabulary']):,} distinct tokens): build {f['build_s']:.1f} s;"
        f" {int(f['queries']):,} queries on {int(f['jobs'])} processes in {f['query_s']:.1f} s"
        f" = {f['qps']:,.0f} q/s; baseline brute force {f['baseline_qps']:,.1f} q/s"
        f" (ratio {f['qps'] / f['baseline_qps']:,.0f}x);"
        f" peak RSS parent {f['peak_rss_parent_mb']:,.0f} MB, worker"
        f" {f['peak_rss_worker_mb']:,.0f} MB, PSS total {f['peak_pss_total_mb']:,.0f} MB;"
        f" blocking recall {f['blocking_recall']:.4f} on {int(f['recall_sample'])} queries"
        f" ({int(f['recall_reference_hits'])} reference hits);"
        f" load average {f.get('load_before', 0):.1f} / {f.get('load_after', 0):.1f}"
        f" on {int(f.get('cpus', 0))} CPUs"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    parser.add_argument(
        "--only",
        choices=("quality", "pairs", "speed"),
        action="append",
        help="run only these parts (repeatable)",
    )
    parser.add_argument("--jobs", type=int, default=2, help="query processes (default 2)")
    args = parser.parse_args(argv)
    parts = set(args.only or ("quality", "pairs", "speed"))
    if "quality" in parts:
        if args.quick:
            run_quality(SEED, per_slice=40, population_size=2000)
        else:
            run_quality(SEED, per_slice=300, population_size=20_000)
    if "pairs" in parts:
        run_pairs(SEED + 3, per_slice=20 if args.quick else 3000)
    if "speed" in parts:
        if args.quick:
            sizes = [(2_000, 200, 20, 5)]
        else:
            sizes = [(100_000, 10_000, 500, 20), (1_000_000, 10_000, 100, 5)]
        for size, queries, recall_sample, baseline_sample in sizes:
            print_speed(run_speed(size, queries, args.jobs, recall_sample, baseline_sample))
    return 0


if __name__ == "__main__":
    sys.exit(main())
