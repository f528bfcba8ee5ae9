"""Screen many records against one index, optionally on several processes.

Workers are forked after the index is built, so they share its memory copy-on-write
instead of rebuilding or pickling it; only queries and hits cross process boundaries.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence

from readmit.screening.matching.index import Hit, Index
from readmit.screening.matching.records import Record
from readmit.screening.matching.scoring import Match, score

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


def _score_chunk(bounds: tuple[int, int]) -> list[tuple[float, str, str]]:
    # Plain tuples: pickling slotted dataclasses back to the parent costs more than scoring.
    pairs = _SHARED["pairs"]
    assert isinstance(pairs, list)
    start, stop = bounds
    return [(m.score, m.explanation, m.matched_name)
            for m in (score(a, b) for a, b in pairs[start:stop])]


def score_many(
    pairs: Sequence[tuple[Record, Record]], *, jobs: int = 1, chunk: int = 5000
) -> list[Match]:
    """:func:`score` for many pairs, in order; ``jobs > 1`` forks that many workers."""
    if jobs <= 1 or len(pairs) <= chunk or "fork" not in multiprocessing.get_all_start_methods():
        return [score(a, b) for a, b in pairs]
    bounds = [(start, min(start + chunk, len(pairs))) for start in range(0, len(pairs), chunk)]
    _SHARED.update(pairs=list(pairs))
    try:
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            return [Match(*fields) for part in pool.imap(_score_chunk, bounds) for fields in part]
    finally:
        _SHARED.clear()
