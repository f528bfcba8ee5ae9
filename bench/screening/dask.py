"""Screening on Dask distributed against one process, at a size given on the command line.

``python -m bench.screening.dask --watchlist 2000 --people 100000`` generates a fictional
watchlist and list of people (bench/screening/population.py), screens the people
  1. in this process (``readmit screen`` without options: build the index, query),
  2. on a LocalCluster of 1 worker process, and
  3. on a LocalCluster of 2 worker processes (``readmit screen --dask-workers K``),
checks that 2 and 3 give exactly the matches of 1 (same pairs, scores, order), and prints
the times, the ratios to the single process and of 2 workers to 1 (target at
100,000 people x 1,000,000 names: at least 1.6), and peak memory (the largest resident set
of this process, and of each worker). Times of the Dask runs cover the whole screening:
sending the watchlist, building the index on each worker (once), and the queries; starting
the cluster is shown apart. The last line is the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from collections.abc import Sequence

from bench.screening.population import queries, watchlist
from readmit.screening.matching import Index, Record
from readmit.screening.matching.batch import screen_all
from readmit.screening.matching.cluster import connect, screen_on_cluster
from readmit.screening.matching.index import Hit

TARGET = 1.6


def _rows(people: Sequence[Record], results: list[list[Hit]]) -> list[tuple[object, ...]]:
    return [
        (person.id, hit.record.id, hit.score, hit.matched_name, hit.explanation)
        for person, hits in zip(people, results, strict=True)
        for hit in hits
    ]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _on_dask(
    workers: int,
    records: list[Record],
    people: list[Record],
    threshold: float,
    partition: int,
) -> dict[str, object]:
    started = time.perf_counter()
    with connect(workers=workers) as client:
        up = time.perf_counter()
        builds: dict[str, int] = {}
        cpu_before = client.run(time.process_time)
        scheduler_before = client.run_on_scheduler(time.process_time)
        client_before = time.process_time()
        results = screen_on_cluster(
            client, records, people, threshold, partition_size=partition, builds=builds
        )
        done = time.perf_counter()
        client_cpu = time.process_time() - client_before
        cpu_after = client.run(time.process_time)
        scheduler_cpu = client.run_on_scheduler(time.process_time) - scheduler_before
        worker_peaks = client.run(_peak_rss_mb)
    worker_cpu = sorted(round(cpu_after[w] - cpu_before[w], 2) for w in cpu_after)
    return {
        "cluster_start_s": round(up - started, 2),
        "screen_s": round(done - up, 2),
        # CPU seconds spent while screening, by process: on a shared machine these say
        # whether the work divides between the workers, whatever the wall clock says.
        "cpu_workers_s": worker_cpu,
        "cpu_client_s": round(client_cpu, 2),
        "cpu_scheduler_s": round(scheduler_cpu, 2),
        "index_builds_per_worker": sorted(builds.values()),
        "peak_rss_worker_mb": sorted(round(v) for v in worker_peaks.values()),
        "rows": _rows(people, results),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--watchlist", type=int, default=2000, help="watchlist names")
    parser.add_argument("--people", type=int, default=100_000, help="people to screen")
    parser.add_argument("--partition-size", type=int, default=1000)
    parser.add_argument("--threshold", type=float, default=0.8)
    parser.add_argument("--seed", type=int, default=20261202)
    args = parser.parse_args(argv)

    load_before = os.getloadavg()[0]
    records = watchlist(args.seed, args.watchlist)
    people = queries(args.seed, args.people, records)

    started = time.perf_counter()
    cpu_started = time.process_time()
    index = Index(records)
    built = time.perf_counter()
    single = _rows(people, screen_all(index, people, args.threshold))
    single_s = time.perf_counter() - started
    single_cpu = time.process_time() - cpu_started
    single_peak = _peak_rss_mb()
    del index

    one = _on_dask(1, records, people, args.threshold, args.partition_size)
    two = _on_dask(2, records, people, args.threshold, args.partition_size)
    same = one.pop("rows") == single and two.pop("rows") == single
    figures = {
        "watchlist": args.watchlist,
        "people": args.people,
        "partition_size": args.partition_size,
        "matches": len(single),
        "same_matches": same,
        "single_build_s": round(built - started, 2),
        "single_s": round(single_s, 2),
        "single_peak_rss_mb": round(single_peak),
        "dask_1": one,
        "dask_2": two,
        "ratio_single_to_dask_1": round(single_s / float(one["screen_s"]), 2),  # type: ignore[arg-type]
        "ratio_single_to_dask_2": round(single_s / float(two["screen_s"]), 2),  # type: ignore[arg-type]
        "speedup_2_over_1_workers": round(float(one["screen_s"]) / float(two["screen_s"]), 2),  # type: ignore[arg-type]
        "single_cpu_s": round(single_cpu, 2),
        # What 2 workers would gain with a core each: the CPU of the 1-worker run over
        # the busiest worker of the 2-worker run (the client and scheduler mostly wait).
        "cpu_speedup_2_over_1": round(
            sum(one["cpu_workers_s"]) / max(max(two["cpu_workers_s"]), 1e-9),  # type: ignore[call-overload]
            2,
        ),
        "target_speedup": TARGET,
        "cpus": os.cpu_count() or 0,
        "load_before": round(load_before, 2),
        "load_after": round(os.getloadavg()[0], 2),
    }
    print(
        f"dask screening: {args.people} people x {args.watchlist} names,"
        f" {len(single)} matches, same on Dask: {same}\n"
        f"  one process     {single_s:8.2f} s  (index {built - started:.2f} s)"
        f"  peak {single_peak:.0f} MB\n"
        f"  dask 1 worker   {one['screen_s']:8.2f} s  ratio {figures['ratio_single_to_dask_1']}"
        f"  worker peak {one['peak_rss_worker_mb']} MB  (cluster start"
        f" {one['cluster_start_s']} s)\n"
        f"  dask 2 workers  {two['screen_s']:8.2f} s  ratio {figures['ratio_single_to_dask_2']}"
        f"  worker peak {two['peak_rss_worker_mb']} MB  (cluster start"
        f" {two['cluster_start_s']} s)\n"
        f"  cpu seconds: one process {single_cpu:.2f}; 1 worker {one['cpu_workers_s']}"
        f" (client {one['cpu_client_s']}, scheduler {one['cpu_scheduler_s']});"
        f" 2 workers {two['cpu_workers_s']} (client {two['cpu_client_s']},"
        f" scheduler {two['cpu_scheduler_s']}); with a core each: 2 over 1"
        f" {figures['cpu_speedup_2_over_1']}x\n"
        f"  2 workers over 1: {figures['speedup_2_over_1_workers']}x (target {TARGET}x);"
        f" load {figures['load_before']} -> {figures['load_after']} on {figures['cpus']} cpus"
    )
    print(json.dumps(figures))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
