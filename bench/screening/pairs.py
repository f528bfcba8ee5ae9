"""Pair scoring throughput: ``score()`` with explanations, against the baseline kernel."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

from rapidfuzz import fuzz

from bench.screening.dataset import SLICES, build_pairs
from bench.screening.quality import baseline_fold
from readmit.screening.matching import score
from readmit.screening.matching.batch import score_many
from readmit.screening.matching.scoring import clear_caches


def run_pairs(seed: int, per_slice: int, out: Callable[[str], None] = print) -> dict[str, float]:
    """Pairs per second for our scorer (with explanation) and the baseline, same pairs.

    The pairs are all distinct and the caches are cleared before each timed run, so only
    what one run learns about its own name parts helps, as on a real list. A full garbage
    collection runs before each timing, so no run pays for garbage another one left.
    """
    # The nine slices, as in every earlier run (the extra slices would add pairs).
    pairs = [(p.left, p.right) for p in build_pairs(seed, per_slice, SLICES)]
    clear_caches()
    gc.collect()  # what building the pairs left for the collector is not ours to pay
    started = time.perf_counter()
    explained = sum(1 for a, b in pairs if score(a, b).explanation)
    ours = len(pairs) / (time.perf_counter() - started)
    clear_caches()
    gc.collect()
    started = time.perf_counter()
    two = score_many(pairs, jobs=2)
    ours_two = len(pairs) / (time.perf_counter() - started)
    assert len(two) == len(pairs)
    gc.collect()
    started = time.perf_counter()
    for a, b in pairs:
        fuzz.token_sort_ratio(baseline_fold(a.name), baseline_fold(b.name), processor=None)
    baseline = len(pairs) / (time.perf_counter() - started)
    assert explained == len(pairs)
    out(
        f"pair scoring: {len(pairs)} pairs with explanations; ours {ours:,.0f} pairs/s on 1"
        f" process, {ours_two:,.0f} pairs/s on 2 (score_many);"
        f" baseline (fold + token_sort_ratio, no explanation) {baseline:,.0f} pairs/s;"
        f" ratio ours/baseline {ours / baseline:.2f} (1 process)"
    )
    return {
        "pairs": len(pairs),
        "ours_pairs_per_s": ours,
        "ours_2_jobs_pairs_per_s": ours_two,
        "baseline_pairs_per_s": baseline,
    }
