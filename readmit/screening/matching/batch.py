"""Screen many records against one index, optionally on several processes.

Workers are forked after the index is built, so they share its memory copy-on-write
instead of rebuilding or pickling it; only queries and hits cross process boundaries.
"""

from __future__ import annotations

import gc
import marshal
import mmap
import multiprocessing
import os
from collections.abc import Callable, Sequence

from readmit.screening.matching.index import Hit, Index
from readmit.screening.matching.records import Record
from readmit.screening.matching.scoring import Match, _new_match, score

Progress = Callable[[int, int], None]

# Set in the parent just before forking; read by the workers (fork copies it).
_SHARED: dict[str, object] = {}


def _query_chunk(bounds: tuple[int, int]) -> list[list[Hit]]:
    index = _SHARED["index"]
    records = _SHARED["records"]
    threshold = _SHARED["threshold"]
    assert isinstance(index, Index) and isinstance(records, list)
    assert isinstance(threshold, float)
    start, stop = bounds
    return [index.query(record, threshold) for record in records[start:stop]]


def screen_all(
    index: Index,
    records: Sequence[Record],
    threshold: float,
    *,
    jobs: int = 1,
    chunk: int = 500,
    progress: Progress | None = None,
) -> list[list[Hit]]:
    """Hits for every record, in input order; ``jobs > 1`` forks that many workers."""
    bounds = [(start, min(start + chunk, len(records))) for start in range(0, len(records), chunk)]
    results: list[list[Hit]] = []
    if jobs <= 1 or len(bounds) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        for start, stop in bounds:
            results.extend(index.query(record, threshold) for record in records[start:stop])
            if progress is not None:
                progress(stop, len(records))
        return results
    _SHARED.update(index=index, records=list(records), threshold=float(threshold))
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            for (_, stop), part in zip(bounds, pool.imap(_query_chunk, bounds), strict=True):
                results.extend(part)
                if progress is not None:
                    progress(stop, len(records))
    finally:
        _SHARED.clear()
    return results


class _Regions:
    """Work regions shared by forked processes: each owns a contiguous range and takes
    chunks from its front; an idle process takes chunks from the back of the region with
    most left. Contiguous work keeps each process's token caches small (neighbouring
    pairs share name parts), and stealing balances slices that cost more than others.
    """

    def __init__(self, total: int, jobs: int, chunk: int) -> None:
        self._memory = mmap.mmap(-1, 16 * jobs)  # anonymous and MAP_SHARED: survives fork
        self._bounds = memoryview(self._memory).cast("q")
        for k in range(jobs):
            self._bounds[2 * k] = total * k // jobs
            self._bounds[2 * k + 1] = total * (k + 1) // jobs
        self._lock = multiprocessing.get_context("fork").Lock()
        self._jobs = jobs
        self._chunk = chunk

    def take(self, owner: int) -> tuple[int, int] | None:
        bounds, chunk = self._bounds, self._chunk
        with self._lock:
            front, back = bounds[2 * owner], bounds[2 * owner + 1]
            if front < back:
                stop = min(back, front + chunk)
                bounds[2 * owner] = stop
                return front, stop
            left = [bounds[2 * k + 1] - bounds[2 * k] for k in range(self._jobs)]
            victim = max(range(self._jobs), key=left.__getitem__)
            if left[victim] <= 0:
                return None
            front, back = bounds[2 * victim], bounds[2 * victim + 1]
            start = max(front, back - chunk)
            bounds[2 * victim + 1] = start
            return start, back

    def close(self) -> None:
        self._bounds.release()
        self._memory.close()


def _work(
    pairs: list[tuple[Record, Record]], regions: _Regions, owner: int
) -> list[tuple[int, list[Match]]]:
    done = []
    while (span := regions.take(owner)) is not None:
        done.append((span[0], [score(a, b) for a, b in pairs[span[0] : span[1]]]))
    return done


def _serve(pairs: list[tuple[Record, Record]], regions: _Regions, owner: int, fd: int) -> None:
    """A forked worker: score chunks and marshal each one as it is done, then send them all
    and close the pipe, so that the parent has the whole answer without waiting for this
    process to be torn down.

    Plain columns cross the process boundary with marshal, far cheaper than pickling
    slotted dataclasses.
    """
    blobs = []
    while (span := regions.take(owner)) is not None:
        part = [score(a, b) for a, b in pairs[span[0] : span[1]]]
        columns = (
            span[0],
            [m.score for m in part],
            [m.explanation for m in part],
            [m.matched_name for m in part],
        )
        blobs.append(marshal.dumps(columns))
    view = memoryview(marshal.dumps(blobs))
    while view:
        view = view[os.write(fd, view) :]
    os.close(fd)


def _receive(data: bytes, results: list[Match | None]) -> int:
    """Put a worker's results (see ``_serve``) in place; the number of pairs received."""
    received = 0
    # The bytes come from our own forked child through a private pipe.
    for blob in marshal.loads(data):  # noqa: S302
        start, scores, explanations, names = marshal.loads(blob)  # noqa: S302
        results[start : start + len(scores)] = map(_new_match, scores, explanations, names)
        received += len(scores)
    return received


def _read_all(fd: int) -> bytes:
    chunks: list[bytes] = []
    while True:
        data = os.read(fd, 1 << 20)
        if not data:
            return b"".join(chunks)
        chunks.append(data)


def score_many(
    pairs: Sequence[tuple[Record, Record]], *, jobs: int = 1, chunk: int = 5000
) -> list[Match]:
    """:func:`score` for many pairs, in order; ``jobs > 1`` uses that many processes.

    The calling process is one of them; ``jobs - 1`` are forked and send plain columns
    back through a pipe. Work is split into contiguous regions, with idle processes
    taking the tail of the busiest region (see ``_Regions``). With fewer than ``chunk``
    pairs per process, or without ``os.fork``, everything is scored in-process.
    """
    pairs = list(pairs)
    jobs = min(jobs, len(pairs) // max(chunk, 1))
    if jobs <= 1 or not hasattr(os, "fork"):
        return [score(a, b) for a, b in pairs]
    regions = _Regions(len(pairs), jobs, chunk=max(1, min(500, chunk)))
    children: dict[int, int | None] = {}  # pid -> read end of its pipe, until closed
    # Scoring makes no reference cycles. Without the collector, neither process rescans
    # the caller's whole heap while results pile up, and the children do not copy the
    # pages it would touch.
    collecting = gc.isenabled()
    gc.disable()
    try:
        for owner in range(1, jobs):
            read_fd, write_fd = os.pipe()
            pid = os.fork()
            if pid == 0:  # child: score, send, exit without the parent's cleanup handlers
                status = 1
                try:
                    os.close(read_fd)
                    _serve(pairs, regions, owner, write_fd)
                    status = 0
                finally:
                    os._exit(status)
            os.close(write_fd)
            children[pid] = read_fd
        results: list[Match | None] = [None] * len(pairs)
        received = 0
        for start, part in _work(pairs, regions, 0):
            results[start : start + len(part)] = part
            received += len(part)
        failed = []
        for pid, fd in children.items():
            assert fd is not None
            try:
                data = _read_all(fd)
            finally:
                os.close(fd)
                children[pid] = None
            try:
                received += _receive(data, results)
            except (EOFError, ValueError, TypeError):  # cut short: the exit status says why
                failed.append(pid)
        for pid in list(children):  # reaped only now: their exit overlaps the reading
            _, status = os.waitpid(pid, 0)
            del children[pid]
            if status != 0 or pid in failed:
                raise RuntimeError(f"score_many worker {pid} failed (status {status})")
        if received != len(pairs):  # every region is taken exactly once
            raise RuntimeError(f"score_many received {received} of {len(pairs)} results")
        return results  # type: ignore[return-value]  # all set: counted just above
    finally:
        for pid, fd in children.items():  # only after an error: leave no child behind
            if fd is not None:
                os.close(fd)
            os.waitpid(pid, 0)
        regions.close()
        if collecting:
            gc.enable()
