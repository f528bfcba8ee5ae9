"""Same results, less CPU? This checkout's ``Index`` against an older ``index.py``.

``python -m bench.screening.same_results --old /tmp/old_index.py --size 200000
--queries 2000`` builds both indexes on the speed benchmark's data (``population``,
seed 20261129), runs the queries in chunks, alternating which code goes first, and
prints the CPU time of each (same process, so the same machine load) and the number of
queries whose hits differ in any record, score, explanation or matched spelling (it
must be 0). Get the old file with ``git show REV:readmit/screening/matching/index.py``.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import json
import os
import sys
import time
from typing import Any

from bench.screening.population import queries, watchlist
from readmit.screening.matching import Index


def _load_old(path: str) -> Any:
    spec = importlib.util.spec_from_file_location("old_index", path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_index"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _rows(index: Any, record: Any) -> list[tuple[str, float, str, str]]:
    return [(h.record.id, h.score, h.explanation, h.matched_name) for h in index.query(record)]


def run(old_path: str, size: int, n_queries: int, chunk: int, seed: int) -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    records = watchlist(seed, size)
    indexes = {"old": _load_old(old_path).Index(records), "new": Index(records)}
    query_records = queries(seed, n_queries, records)
    gc.collect()
    gc.freeze()
    seconds = {"old": 0.0, "new": 0.0}
    rows: dict[str, list[list[tuple[str, float, str, str]]]] = {"old": [], "new": []}
    for k, start in enumerate(range(0, n_queries, chunk)):
        part = query_records[start : start + chunk]
        for name in ("old", "new") if k % 2 == 0 else ("new", "old"):
            started = time.process_time()
            rows[name].extend(_rows(indexes[name], record) for record in part)
            seconds[name] += time.process_time() - started
    differing = sum(a != b for a, b in zip(rows["old"], rows["new"], strict=True))
    return {
        "size": size,
        "queries": n_queries,
        "old_cpu_s": round(seconds["old"], 2),
        "new_cpu_s": round(seconds["new"], 2),
        "new_over_old": round(seconds["new"] / seconds["old"], 3),
        "hits": sum(len(r) for r in rows["new"]),
        "differing_queries": differing,
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--old", required=True, help="an index.py of another revision")
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--chunk", type=int, default=100)
    parser.add_argument("--seed", type=int, default=20261129)
    args = parser.parse_args()
    figures = run(args.old, args.size, args.queries, args.chunk, args.seed)
    print(json.dumps(figures))
    if figures["differing_queries"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
