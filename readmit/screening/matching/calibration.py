"""Calibrated scores: what a name score is worth on *this* list (issue #11, item 5).

A pair's raw score says how alike two people's records are. Whether an alert is likely a
real match depends on more: sharing ``Mohamed Ali`` on a list with hundreds of them is
weak evidence, sharing ``Xhevat Ukshini`` is strong; two names that each keep a part the
other lacks (``Jovan Marko Petrović`` / ``Jovan Stefan Petrović``) are often siblings or
cousins; and an exact name with the same birth date says more than an exact name alone,
though both have a raw score of 1. Three features are read off an alignment and the list:

- **chance**: ``log10(1 + (N-1) · Π (df_i-1)/(N-1) · s)``, from the expected number of
  *other* entries of a list of ``N`` that carry the aligned parts (``df_i``: entries with
  part *i*, as the list writes it, a translated part too; initials are left out) and,
  when the pair shares a birth date, that date too (``s``: one day in 60 years, or one
  year in 60 for a compatible partial date; 1 otherwise); 0 when fewer than one other
  entry is expected (``MIN_EXPECTED``);
- **conflict**: 1 when both names keep a full part the other lacks;
- **corroborated**: 1 for the same birth date or document number, 0.5 for a compatible
  partial date.

The calibrated score moves the raw score in log-odds by what the list says,

    p = σ(logit(raw) + b_chance·chance + b_conflict·conflict + b_corroborated·corroborated)

and is ``min(raw, p)``: calibration only takes away what the list says the names are not
worth, never adds, so every bound the index computes on the raw score still holds. The
coefficients are fitted by maximum likelihood (:func:`fit`, a hand-written Newton method)
on a labelled set built by ``python -m bench.screening.calibrate --fit`` (docs/screening.md)
and kept as data in ``calibration.json`` next to this module, with that command. Pure
Python, no Django.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from readmit.screening.matching.records import DateEvidence, Record, compare_dates

PARAMETERS = Path(__file__).with_name("calibration.json")
# A score of exactly 0 or 1 has no logit: the model reads 1 as 0.98 (and 0 as 0.02), so
# that an exact name is not infinitely sure before the list has had its say.
_EDGE = 0.02
# The explanation names the evidence when calibration moves the score at least this much.
NOTE_MIN_CHANGE = 0.005


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the list says about an aligned pair (see the module docstring)."""

    chance: float  # log10(1 + expected namesakes on the list)
    conflict: bool
    corroborated: float = 0.0  # 1: same birth date or document; 0.5: compatible partial date
    common_parts: tuple[str, ...] = ()  # the aligned parts of the listed name, as written
    conflicting_parts: tuple[str, ...] = ()  # the unmatched full parts of both names


@dataclass(frozen=True, slots=True)
class Calibration:
    """Fitted coefficients of the logistic model; see ``calibration.json``."""

    intercept: float
    score: float
    chance: float
    conflict: float
    corroborated: float = 0.0

    def probability(self, raw: float, evidence: Evidence) -> float:
        """The model's probability that the pair is one person."""
        clipped = min(1.0 - _EDGE, max(_EDGE, raw))
        z = (
            self.intercept
            + self.score * math.log(clipped / (1.0 - clipped))
            + self.chance * evidence.chance
            + self.conflict * (1.0 if evidence.conflict else 0.0)
            + self.corroborated * evidence.corroborated
        )
        return _sigmoid(z)

    def apply(self, raw: float, evidence: Evidence) -> tuple[float, str]:
        """The calibrated score (never above ``raw``) and the note that explains a change."""
        value = min(raw, self.probability(raw, evidence))
        if raw - value < NOTE_MIN_CHANGE:
            return round(raw, 6), ""
        return round(value, 6), explain(raw, value, evidence)

    def as_dict(self) -> dict[str, float]:
        return {
            "intercept": self.intercept,
            "score": self.score,
            "chance": self.chance,
            "conflict": self.conflict,
            "corroborated": self.corroborated,
        }


def corroboration(a: Record, b: Record) -> float:
    """1 for the same document number or birth date, 0.5 for a compatible partial date."""
    if a.document_key and a.document_key == b.document_key:
        return 1.0
    found = compare_dates(a.birth_date, b.birth_date)
    if found is DateEvidence.EXACT:
        return 1.0
    if found in (DateEvidence.COMPATIBLE, DateEvidence.SWAPPED):
        return 0.5
    return 0.0


def explain(raw: float, value: float, evidence: Evidence) -> str:
    """``calibrated 1.00→0.61: Mohamed Ali common on this list (~4.2 other entries expected
    to carry these names)``: which evidence moved the score."""
    reasons = []
    if evidence.common_parts and evidence.chance > 0.0:
        expected = 10**evidence.chance - 1.0
        reasons.append(
            f"{' '.join(evidence.common_parts)} common on this list"
            f" (~{expected:.1f} other entries expected to carry these names)"
        )
    if evidence.conflict:
        reasons.append(f"conflicting name parts ({' / '.join(evidence.conflicting_parts)})")
    if not reasons:
        reasons.append("weak evidence for this list")
    return f"calibrated {raw:.2f}→{value:.2f}: " + "; ".join(reasons)


# Fewer expected namesakes than this are no evidence that a name is common: ``chance`` is
# 0 below it. Without the floor a name two or three other entries of a 20,000-name list
# carry cost a listed person written without a birth date their alert (missing_parts
# F1 0.79, translated_names 0.70 at 0.80 on the quality bench; 0.95 and 0.76 with it).
MIN_EXPECTED = 1.0

# The share of namesakes that would also share the corroborating evidence: a birth date
# (one day in some 60 years) or, for a compatible partial date, its year.
SHARED_BY_CHANCE = {1.0: 1.0 / (365 * 60), 0.5: 1.0 / 60}


def chance_of(list_size: int, frequencies: Sequence[int], corroborated: float = 0.0) -> float:
    """``log10(1 + expected others)`` for aligned parts with these list frequencies.

    The others are the entries *besides the one hit* expected to carry all the parts if
    names were drawn independently: ``(N - 1) · Π (df_i - 1) / (N - 1)``, and also the
    same birth date when the pair has one (``SHARED_BY_CHANCE``). A name no other entry
    has gives 0, whatever the size of the list (a two-name list is no evidence that its
    names are common), and so does one fewer than ``MIN_EXPECTED`` others are expected to
    carry.
    """
    others = list_size - 1
    if not frequencies or others <= 0:
        return 0.0
    expected = float(others) * SHARED_BY_CHANCE.get(corroborated, 1.0)
    for df in frequencies:
        expected *= max(df - 1, 0) / others
    if expected < MIN_EXPECTED:
        return 0.0
    return math.log10(1.0 + expected)


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def features(raw: float, evidence: Evidence) -> list[float]:
    """The model's inputs, in the order of :func:`fit`'s coefficients."""
    clipped = min(1.0 - _EDGE, max(_EDGE, raw))
    return [
        math.log(clipped / (1.0 - clipped)),
        evidence.chance,
        1.0 if evidence.conflict else 0.0,
        evidence.corroborated,
    ]


def logit(p: float) -> float:
    return math.log(p / (1.0 - p))


def fit(
    rows: Sequence[Sequence[float]],
    labels: Sequence[bool],
    *,
    anchor: float,
    ridge: float = 5.0,
) -> Calibration:
    """Logistic regression by Newton's method on ``features`` rows, the raw score as offset.

    The slope on ``logit(raw)`` is held at 1 and there is no intercept: a pair with no
    namesake expected, no conflict and no corroboration keeps its raw score, so on a list
    where nobody shares the names the default threshold (``anchor``) decides as before.
    The signs are held to what each feature can mean (namesakes and conflicts never raise
    the score, corroboration never lowers it): a coefficient the data would give the other
    sign is set to 0 and the rest refitted. ``ridge`` keeps a feature that separates the
    labels (corroboration, on generated data) from running off to infinity.
    """
    free = [False, True, True, True]  # the slope on the raw score is held at 1
    signs = (1, -1, -1, 1)  # score, chance, conflict, corroborated
    while True:
        beta = _newton(rows, labels, anchor, free, ridge)
        wrong = [i for i, b in enumerate(beta) if free[i] and b * signs[i] < 0]
        if not wrong:
            break
        for i in wrong:
            free[i] = False
    slope, chance, conflict, corroborated = beta
    return Calibration(logit(anchor) * (1.0 - slope), slope, chance, conflict, corroborated)


def _newton(
    rows: Sequence[Sequence[float]],
    labels: Sequence[bool],
    anchor: float,
    free: Sequence[bool],
    ridge: float,
) -> list[float]:
    """Maximum likelihood of the anchored model over the ``free`` coefficients (others 0).

    ``z = logit(anchor) + b0·(logit(raw) - logit(anchor)) + b1·chance + ...``
    """
    offset = logit(anchor)
    idx = [i for i, f in enumerate(free) if f]
    k = len(idx)
    beta = [0.0 if f else (1.0 if i == 0 else 0.0) for i, f in enumerate(free)]
    if k == 0:
        return beta
    for _ in range(60):
        grad = [0.0] * k
        hess = [[0.0] * k for _ in range(k)]
        for full, y in zip(rows, labels, strict=True):
            x = [full[i] - (offset if i == 0 else 0.0) for i in idx]
            z = offset + beta[0] * (full[0] - offset)
            z += sum(beta[i] * full[i] for i in idx if i != 0)
            p = _sigmoid(z)
            w = p * (1.0 - p)
            err = (1.0 if y else 0.0) - p
            for i in range(k):
                grad[i] += err * x[i]
                for j in range(k):
                    hess[i][j] += w * x[i] * x[j]
        for i in range(k):
            grad[i] -= ridge * beta[idx[i]]
            hess[i][i] += ridge
        step = _solve(hess, grad)
        for i, s in zip(idx, step, strict=True):
            beta[i] += s
        if max(abs(s) for s in step) < 1e-9:
            break
    return beta


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """Gaussian elimination with partial pivoting (the Hessian is small and positive)."""
    n = len(vector)
    a = [[*row, vector[i]] for i, row in enumerate(matrix)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            for c in range(col, n + 1):
                a[r][c] -= factor * a[col][c]
    out = [0.0] * n
    for r in range(n - 1, -1, -1):
        out[r] = (a[r][n] - sum(a[r][c] * out[c] for c in range(r + 1, n))) / a[r][r]
    return out


@lru_cache(maxsize=4)
def load(path: Path = PARAMETERS) -> Calibration:
    """The fitted coefficients kept in the repository."""
    data = json.loads(path.read_text(encoding="utf-8"))
    keys = ("intercept", "score", "chance", "conflict", "corroborated")
    return Calibration(**{key: float(data.get(key, 0.0)) for key in keys})
