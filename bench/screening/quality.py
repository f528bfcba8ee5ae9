"""Quality benchmark: precision, recall and F1 per slice, ours against a baseline.

The baseline is what one writes in an afternoon: fold to ASCII with ``unidecode`` (the
common off-the-shelf folder) and compare with rapidfuzz ``fuzz.token_sort_ratio``.

Each matcher gets one threshold, tuned for the best pooled F1 on the tuning split of the
issue's nine slices; the figures are on the separate test split.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from anyascii import anyascii
from rapidfuzz import fuzz
from unidecode import unidecode

from bench.screening.dataset import (
    ALL_SLICES,
    EXTRA_SLICES,
    SLICES,
    LabelledPair,
    build_pairs,
)
from bench.screening.population import watchlist
from bench.screening.world import SCRIPT_SAMPLES
from readmit.screening.matching import Index, Record


def baseline_fold(text: str) -> str:
    """ASCII fold as unidecode does it: Latin Đ -> D, Cyrillic Ђ -> Dj, ћ -> tsh."""
    return str(unidecode(text)).lower()


def baseline_score(pair: LabelledPair) -> float:
    return (
        fuzz.token_sort_ratio(
            baseline_fold(pair.left.name), baseline_fold(pair.right.name), processor=None
        )
        / 100.0
    )


def anyascii_score(pair: LabelledPair) -> float:
    """The second baseline: the same ratio after anyascii, which reads every script."""
    return (
        fuzz.token_sort_ratio(
            anyascii(pair.left.name).lower(), anyascii(pair.right.name).lower(), processor=None
        )
        / 100.0
    )


DEFAULT_THRESHOLD = 0.8  # the CLI's and the settings' default


@dataclass(frozen=True)
class Figures:
    precision: float
    recall: float
    f1: float


def figures(scores: Sequence[float], labels: Sequence[bool], threshold: float) -> Figures:
    tp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and y)
    fp = sum(1 for s, y in zip(scores, labels, strict=True) if s >= threshold and not y)
    fn = sum(1 for s, y in zip(scores, labels, strict=True) if s < threshold and y)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Figures(precision, recall, f1)


def tune(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Threshold with the best F1 on the tuning split (ties: the lowest threshold)."""
    grid = [round(0.30 + 0.01 * i, 2) for i in range(70)]
    return max(grid, key=lambda t: (figures(scores, labels, t).f1, -t))


def split(
    pairs: Sequence[LabelledPair], seed: int
) -> tuple[list[LabelledPair], list[LabelledPair]]:
    """Half of every slice for tuning, the other half for testing."""
    rng = random.Random(seed)
    tuning: list[LabelledPair] = []
    testing: list[LabelledPair] = []
    for name in ALL_SLICES:
        members = [p for p in pairs if p.slice == name]
        rng.shuffle(members)
        half = len(members) // 2
        tuning.extend(members[:half])
        testing.extend(members[half:])
    return tuning, testing


def run_quality(
    seed: int, per_slice: int, population_size: int, out: Callable[[str], None] = print
) -> dict[str, dict[str, Figures]]:
    """Build, tune, test and print the per-slice table; return the figures."""
    # The list the pairs are screened against: IDF weights and, for ours, the calibration
    # (how common the aligned names are on it). ``population.watchlist`` spreads surnames
    # like a real list (a long tail); every right-hand record of a pair is on it.
    pairs = build_pairs(seed, per_slice)
    listed = [*watchlist(seed + 1, population_size), *(p.right for p in pairs)]
    weights = Index(listed)  # the default: raw scores
    calibrated = Index(listed, calibration=True)
    tuning, testing = split(pairs, seed + 2)

    def ours(pair: LabelledPair) -> float:
        return weights.score(pair.left, pair.right).score

    def ours_calibrated(pair: LabelledPair) -> float:
        """Calibrated against the population (calibration.py), the right side as listed."""
        return calibrated.score(pair.left, pair.right).score

    matchers: dict[str, Callable[[LabelledPair], float]] = {
        "ours": ours,
        "calibrated": ours_calibrated,
        "baseline": baseline_score,
        "anyascii": anyascii_score,
    }
    thresholds = {}
    core_tuning = [p for p in tuning if p.slice in SLICES]  # extra slices do not tune
    for name, fn in matchers.items():
        thresholds[name] = tune([fn(p) for p in core_tuning], [p.same for p in core_tuning])
    results: dict[str, dict[str, Figures]] = {}
    at_threshold: dict[str, dict[str, Figures]] = {}  # ours at the default threshold
    test_scores = {name: [fn(p) for p in testing] for name, fn in matchers.items()}
    for slice_name in [*SLICES, "all", *EXTRA_SLICES]:
        if slice_name == "all":  # the nine slices, as before the extra ones
            idx = [i for i, p in enumerate(testing) if p.slice in SLICES]
        else:
            idx = [i for i, p in enumerate(testing) if p.slice == slice_name]
        labels = [testing[i].same for i in idx]
        results[slice_name] = {
            name: figures([test_scores[name][i] for i in idx], labels, thresholds[name])
            for name in matchers
        }
        at_threshold[slice_name] = {
            name: figures([test_scores[name][i] for i in idx], labels, DEFAULT_THRESHOLD)
            for name in ("ours", "calibrated")
        }
    out(
        f"quality: seed={seed}, {per_slice} positives + {per_slice} hard negatives per slice,"
        f" half tuning / half test; screened against a list of {population_size} generated"
        " names (bench.screening.population) plus the listed side of every pair"
    )
    out(
        f"thresholds tuned on the tuning split: ours={thresholds['ours']:.2f}"
        f" baseline={thresholds['baseline']:.2f} anyascii={thresholds['anyascii']:.2f}"
        f" (ours calibrated: {thresholds['calibrated']:.2f})"
    )
    out(
        f"{'slice':26} {'ours P':>7} {'R':>6} {'F1':>6} | {'base P':>7} {'R':>6} {'F1':>6}"
        f" | {'ΔF1':>6} | {'anyascii F1':>11} {'ΔF1':>6} | {'calibrated F1':>13}"
        f" | at {DEFAULT_THRESHOLD}: {'ours F1':>7} {'calibrated':>10}"
    )
    for slice_name, row in results.items():
        o, b, a = row["ours"], row["baseline"], row["anyascii"]
        out(
            f"{slice_name:26} {o.precision:7.3f} {o.recall:6.3f} {o.f1:6.3f} |"
            f" {b.precision:7.3f} {b.recall:6.3f} {b.f1:6.3f} | {o.f1 - b.f1:+6.3f} |"
            f" {a.f1:11.3f} {o.f1 - a.f1:+6.3f} | {row['calibrated'].f1:13.3f}"
            f" | {'':>7}{at_threshold[slice_name]['ours'].f1:7.3f}"
            f" {at_threshold[slice_name]['calibrated'].f1:10.3f}"
        )
    at_default = {
        name: figures(
            [test_scores["ours"][i] for i, p in enumerate(testing) if p.slice in slices],
            [p.same for p in testing if p.slice in slices],
            DEFAULT_THRESHOLD,
        ).f1
        for name, slices in (
            ("latin (the nine slices)", SLICES),
            ("arabic_script", ("arabic_script",)),
        )
    }
    out(
        f"ours at the default threshold {DEFAULT_THRESHOLD}: "
        + ", ".join(f"{name} F1 {f1:.3f}" for name, f1 in at_default.items())
    )
    report_scripts(out)
    return results


def report_scripts(out: Callable[[str], None] = print) -> None:
    """The unscreenable slice: every name is read (has parts) or reported, never silent.

    A baseline name is silent when its fold is empty (it scores 0 against everything);
    ours is silent when it has no parts and no NOT SCREENABLE report.
    """
    read = reported = silent = base_silent = any_silent = 0
    for _script, name in SCRIPT_SAMPLES:
        record = Record("s", name)
        reason = record.unscreenable_reason()
        if reason is None:
            read += 1
        elif "script not read" in reason:
            reported += 1
        else:
            silent += 1
        base_silent += not baseline_fold(name).strip()
        any_silent += not anyascii(name).strip()
    out(
        f"unscreenable scripts: {len(SCRIPT_SAMPLES)} names in"
        f" {len({s for s, _ in SCRIPT_SAMPLES})} scripts: ours read {read},"
        f" reported NOT SCREENABLE {reported}, silent {silent};"
        f" baseline silent {base_silent}; anyascii silent {any_silent}"
    )
