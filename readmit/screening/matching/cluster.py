"""Screening partitioned on Dask distributed: the same matches as one process, on a cluster.

The people to screen are cut into partitions; the watchlist is *not* cut. Scores depend
on the whole watchlist (token weights and the common-name threshold are computed over
every entry, see index.Index), so an index over a slice of it would score differently.
Each worker therefore holds one index over the whole watchlist, built once by a worker
plugin when the plugin is registered (and on any worker that joins later), never once per
partition. Partitions are queries only; their hits come back in partition order, so the
result is the single-process result: the same pairs, the same scores, the same order.

Needs the optional extra ``scale`` (``pip install 'readmit[scale]'``: dask and
distributed); nothing else in Readmit imports this module. ADR 0019.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import dask
from distributed import Client, LocalCluster, WorkerPlugin, get_worker

from readmit.screening.matching import calibration as calib
from readmit.screening.matching.index import Hit, Index
from readmit.screening.matching.records import Record

DEFAULT_PARTITION = 1000


class WatchlistIndexPlugin(WorkerPlugin):
    """Builds the watchlist index on each worker once, when the worker takes the plugin."""

    def __init__(
        self, watchlist: Sequence[Record], calibration: calib.Calibration | bool | None
    ) -> None:
        self.name = f"readmit-watchlist-{uuid.uuid4().hex}"
        self.watchlist = list(watchlist)
        self.calibration = calibration
        self.index: Index | None = None
        self.builds = 0

    def setup(self, worker: Any) -> None:
        self.index = Index(self.watchlist, calibration=self.calibration)
        self.builds += 1
        self.watchlist = []  # the index keeps the records; no second list per worker

    def teardown(self, worker: Any) -> None:
        self.index = None


def _screen_partition(plugin_name: str, people: list[Record], threshold: float) -> list[list[Hit]]:
    """Runs on a worker: query its index (built by the plugin) for one partition."""
    plugin = get_worker().plugins[plugin_name]
    index = plugin.index if isinstance(plugin, WatchlistIndexPlugin) else None
    if index is None:  # pragma: no cover - the plugin is set up before any task runs
        raise RuntimeError(f"worker has no watchlist index ({plugin_name})")
    return [index.query(person, threshold) for person in people]


def _index_builds(plugin_name: str, dask_worker: Any) -> int:
    """Runs on each worker (``Client.run``): how often its plugin built the index."""
    builds: int = dask_worker.plugins[plugin_name].builds
    return builds


def partitions(people: Sequence[Record], size: int) -> list[list[Record]]:
    """``people`` cut in order into lists of at most ``size`` records."""
    if size < 1:
        raise ValueError("partition size must be at least 1")
    return [list(people[start : start + size]) for start in range(0, len(people), size)]


def screen_on_cluster(
    client: Client,
    watchlist: Sequence[Record],
    people: Sequence[Record],
    threshold: float,
    *,
    calibration: calib.Calibration | bool | None = None,
    partition_size: int = DEFAULT_PARTITION,
    builds: dict[str, int] | None = None,
) -> list[list[Hit]]:
    """Hits for every person, in input order, computed by the cluster behind ``client``.

    ``builds``, if given, receives how many times each worker built the index (one each:
    the test and the benchmark check it).
    """
    plugin = WatchlistIndexPlugin(watchlist, calibration)
    client.register_plugin(plugin, name=plugin.name)
    try:
        parts = partitions(people, partition_size)
        futures = client.map(
            _screen_partition,
            [plugin.name] * len(parts),
            parts,
            [float(threshold)] * len(parts),
            pure=False,
        )
        results: list[list[Hit]] = []
        for part in client.gather(futures):
            results.extend(part)
        if builds is not None:
            builds.update(client.run(_index_builds, plugin.name))
        return results
    finally:
        client.unregister_worker_plugin(plugin.name)


@contextmanager
def connect(*, scheduler: str | None = None, workers: int = 1) -> Iterator[Client]:
    """A client of the scheduler at ``scheduler`` (a real cluster), or else of a
    ``LocalCluster`` of ``workers`` processes with one thread each (matching is pure
    Python, so threads would only contend for the interpreter lock); closed on exit."""
    if scheduler is not None:
        with Client(scheduler) as client:
            yield client
        return
    # Without the workers' statistical profiler, which samples the task thread's stack
    # every 10 ms and so takes the interpreter lock from pure-Python matching (about 15 %
    # here). For a cluster of your own: DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED=False.
    with (
        dask.config.set({"distributed.worker.profile.enabled": False}),
        LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            memory_limit=0,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client
