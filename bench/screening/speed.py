"""Speed benchmark for one watchlist size; run in its own process so peaks are separate.

``python -m bench.screening.speed --size 100000 --queries 10000 --jobs 2`` prints one
JSON line with: generation, index build and query times, queries per second, peak memory
(RSS of this process, and the largest proportional set size, PSS, of this process plus
its workers sampled while they run), blocking recall against the blocking-free
reference on a sample of queries, and the same-run baseline (rapidfuzz brute force).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import threading
import time
from pathlib import Path

from rapidfuzz import fuzz, process

from bench.screening.population import queries, watchlist
from bench.screening.quality import baseline_fold
from readmit.screening.matching import Index
from readmit.screening.matching.batch import screen_all


def _pss_kib(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1])
    return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found.extend(int(c) for c in (task / "children").read_text().split())
        except OSError:
            continue
    return found


class MemorySampler:
    """Samples PSS of this process and its children: shared pages counted once."""

    def __init__(self, interval: float = 0.25) -> None:
        self.interval = interval
        self.peak_kib = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.is_set():
            total = _pss_kib(me) + sum(_pss_kib(c) for c in _children(me))
            self.peak_kib = max(self.peak_kib, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def blocking_recall(index: Index, sample: list, threshold: float) -> tuple[float, int, float]:
    """Share of reference hits that the blocked query also returns, over a sample."""
    found = expected = 0
    started = time.perf_counter()
    for record in sample:
        reference = {hit.record.id for hit in index.query_reference(record, threshold)}
        blocked = {hit.record.id for hit in index.query(record, threshold)}
        expected += len(reference)
        found += len(reference & blocked)
    seconds = time.perf_counter() - started
    return (found / expected if expected else 1.0), expected, seconds


def baseline_qps(names: list[str], sample: list, threshold: float) -> float:
    """Brute-force baseline: rapidfuzz token_sort_ratio of every query against every name."""
    folded = [baseline_fold(name) for name in names]
    started = time.perf_counter()
    for record in sample:
        process.extract(
            baseline_fold(record.name),
            folded,
            scorer=fuzz.token_sort_ratio,
            processor=None,
            score_cutoff=threshold * 100,
            limit=None,
        )
    return len(sample) / (time.perf_counter() - started)


def run(
    size: int,
    n_queries: int,
    jobs: int,
    recall_sample: int,
    baseline_sample: int,
    seed: int,
    threshold: float = 0.8,
) -> dict[str, float | int]:
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    records = watchlist(seed, size)
    generated = time.perf_counter()
    index = Index(records)
    built = time.perf_counter()
    query_records = queries(seed, n_queries, records)
    gc.collect()
    gc.freeze()  # keep the forked workers from copying pages just to touch refcounts
    with MemorySampler() as sampler:
        query_started = time.perf_counter()
        results = screen_all(index, query_records, threshold, jobs=jobs)
        query_seconds = time.perf_counter() - query_started
    rng = random.Random(seed)
    sample = rng.sample(query_records, min(recall_sample, len(query_records)))
    recall, reference_hits, recall_seconds = blocking_recall(index, sample, threshold)
    base_sample = sample[: max(1, baseline_sample)]
    base_qps = baseline_qps([r.name for r in records], base_sample, threshold)
    load_after = os.getloadavg()[0]
    self_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "size": size,
        "entries": len(index._entry_record),
        "vocabulary": len(index._vocab_tokens),
        "queries": n_queries,
        "jobs": jobs,
        "generate_s": round(generated - started, 2),
        "build_s": round(built - generated, 2),
        "query_s": round(query_seconds, 2),
        "qps": round(n_queries / query_seconds, 1),
        "hits": sum(len(r) for r in results),
        "peak_rss_parent_mb": round(self_peak / 1024),
        "peak_rss_worker_mb": round(child_peak / 1024),
        "peak_pss_total_mb": round(sampler.peak_kib / 1024),
        "recall_sample": len(sample),
        "recall_reference_hits": reference_hits,
        "blocking_recall": round(recall, 4),
        "recall_s": round(recall_seconds, 1),
        "baseline_qps": round(base_qps, 2),
        "baseline_sample": len(base_sample),
        # The machine's 1-minute load average before and after: figures taken on a busy
        # machine are not comparable with a quiet one's.
        "load_before": round(load_before, 2),
        "load_after": round(load_after, 2),
        "cpus": os.cpu_count() or 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--recall-sample", type=int, default=100)
    parser.add_argument("--baseline-sample", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20261129)
    args = parser.parse_args()
    figures = run(
        args.size, args.queries, args.jobs, args.recall_sample, args.baseline_sample, args.seed
    )
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
