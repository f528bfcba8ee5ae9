"""Pair scoring: align name tokens, weigh them by rarity, then add the other evidence.

The score is in [0, 1] and comes with a short explanation a caseworker can check, e.g.
``family Petrović=Petrovic (translit); Jovan≠Jovana (gender form); birth date conflicts``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from readmit.screening.matching.normalise import Token, fold, make_token, normalise, skeleton
from readmit.screening.matching.records import DateEvidence, Record, compare_dates

Weigher = Callable[[Token], float]
"""Weight of a token by its rarity; the index supplies IDF, stand-alone scoring uses 1."""
Commonness = Callable[[Token], bool]
"""Whether a token is a frequent name in the indexed list (see ``token_similarity``)."""


def never_common(token: Token) -> bool:
    """Without a list, no name is known to be common."""
    return False

# Token similarity levels. Folded equality is the same letters in another script or
# without diacritics, so it costs nothing.
SIM_SKELETON = 0.92
SIM_INITIAL = 0.8
SIM_LOSSY_DJ = 0.97
COMMON_NAMES_FACTOR = 0.5
FUZZY_CUTOFF = 0.72
MIN_TYPO_LENGTH = 4
SKELETON_SLIP_MIN_WRITTEN = 0.5
FUZZY_FACTOR = 0.95

# How the name score is built and then moved by the other evidence.
FAMILY_WEIGHT = 1.5
INITIAL_WEIGHT = 0.5
UNMATCHED_PENALTY = 0.3
SINGLE_PART_CAP = 0.6
INITIAL_CAP = 0.78
GENDER_CAP = 0.55
INITIAL_CONFLICT_CAP = 0.6
DOC_MATCH_PULL = 0.6
DOC_DIFFER_PENALTY = 0.05
DATE_PULL = {
    DateEvidence.EXACT: 0.3,
    DateEvidence.COMPATIBLE: 0.1,
    DateEvidence.SWAPPED: 0.15,
}
DATE_CONFLICT_FACTOR = 0.7
NATIONALITY_PULL = 0.05
NATIONALITY_DIFFER_PENALTY = 0.03

# Masculine -> feminine endings: Jovan/Jovana, Mario/Maria, Petrov/Petrova,
# Kowalski/Kowalska, Louis/Louise, Jean/Jeanne, Michel/Michelle.
# French feminines (Michel/Michelle, Louis/Louise) are left out on purpose: they are
# homophones, Haitian Creole writes both alike, and variants like Rachel/Rachelle abound.
_GENDER_ENDINGS: tuple[tuple[str, str], ...] = (
    ("", "a"), ("o", "a"), ("ov", "ova"), ("ev", "eva"), ("in", "ina"), ("ski", "ska"),
    ("cki", "cka"), ("sky", "ska"),
)  # fmt: skip


def is_gender_pair(a: str, b: str) -> bool:
    """True if folded ``a`` and ``b`` are the masculine and feminine form of one name.

    These are different people far more often than typos, so they never align.
    """
    if abs(len(a) - len(b)) > 1 or a[:3] != b[:3]:
        return False  # every ending pair differs by at most one letter after a shared stem
    return _is_feminine_of(a, b) or _is_feminine_of(b, a)


def _is_feminine_of(male_form: str, female_form: str) -> bool:
    for male, female in _GENDER_ENDINGS:
        if not (male_form.endswith(male) and female_form.endswith(female)):
            continue
        stem = male_form[: len(male_form) - len(male)] if male else male_form
        if len(stem) >= 3 and female_form == stem + female:
            return True
    return False


def _lossy_dj(folded: str) -> str:
    """Keyboards without đ write D: "Dorde" is how "Đorđe" often arrives."""
    return folded.replace("dj", "d")


def _one_slip(a: str, b: str) -> float:
    """Normalised similarity if ``a`` and ``b`` are one edit apart, else 0.

    One substitution, insertion, deletion or transposition is a typo; two edits are as
    often a different name (Stojanović/Šajanović) and, more practically, one edit is what
    the index's deletion keys are guaranteed to find. Short parts (under 4 letters) are
    too small for a typo to be told from another name.
    """
    if min(len(a), len(b)) < MIN_TYPO_LENGTH:
        return 0.0
    if OSA.distance(a, b, score_cutoff=1) > 1:
        return 0.0
    return 1.0 - 1.0 / max(len(a), len(b))


def token_similarity(a: Token, b: Token, *, both_common: bool = False) -> tuple[float, str]:
    """Similarity of two tokens in [0, 1] and the kind of match, for the explanation.

    Typos are one edit in optimal string alignment (a transposition is one edit), on the
    folded form or the skeleton, computed by rapidfuzz's C++ kernel.
    ``both_common`` says both tokens are frequent names in the indexed list: then a small
    edit distance is far more likely two names (Marko/Mirko) than a typo.
    """
    if a.folded == b.folded:
        return 1.0, ("exact" if a.raw.casefold() == b.raw.casefold() else "translit")
    return _form_similarity(a.folded, a.skeleton, a.is_initial, b.folded, b.skeleton,
                            b.is_initial, both_common)


@lru_cache(maxsize=1 << 18)
def _form_similarity(
    a: str, a_skeleton: str, a_initial: bool, b: str, b_skeleton: str, b_initial: bool,
    both_common: bool,
) -> tuple[float, str]:
    """:func:`token_similarity` for different folded forms; cached, names repeat a lot."""
    if a_initial or b_initial:
        longer, shorter = (b, a) if a_initial else (a, b)
        if longer.startswith(shorter):
            return SIM_INITIAL, "initial"
        return 0.0, ""
    if is_gender_pair(a, b):
        return 0.0, "gender"
    if a_skeleton == b_skeleton:
        return SIM_SKELETON, "phonetic"
    if ("dj" in a or "dj" in b) and _lossy_dj(a) == _lossy_dj(b):
        return SIM_LOSSY_DJ, "translit"
    fuzzy = _one_slip(a, b)
    if not fuzzy and OSA.normalized_similarity(a, b) >= SKELETON_SLIP_MIN_WRITTEN:
        # A slip between skeletons only counts when the written forms are alike too: the
        # skeleton is lossy, and one edit there can join Valtier and Batis.
        fuzzy = _one_slip(a_skeleton, b_skeleton)
    if fuzzy >= FUZZY_CUTOFF:
        if both_common:
            return fuzzy * FUZZY_FACTOR * COMMON_NAMES_FACTOR, "distinct names"
        return fuzzy * FUZZY_FACTOR, "typo"
    return 0.0, ""


def uniform_weight(token: Token) -> float:
    """Without a list to learn rarity from, every full token counts the same."""
    return 1.0


@dataclass(frozen=True, slots=True)
class Pair:
    """Two aligned tokens and how they matched."""

    left: Token
    right: Token
    similarity: float
    kind: str


@dataclass(frozen=True, slots=True)
class NameMatch:
    """Result of aligning two names."""

    score: float
    pairs: tuple[Pair, ...]
    unmatched_left: tuple[Token, ...]
    unmatched_right: tuple[Token, ...]
    gender: tuple[tuple[Token, Token], ...]


SimCache = dict[tuple[str, str], tuple[float, str]]


def _cached_similarity(
    a: Token, b: Token, cache: SimCache | None, common: Commonness
) -> tuple[float, str]:
    if cache is None:
        return token_similarity(a, b, both_common=common(a) and common(b))
    key = (a.folded + "\x00" + a.raw, b.folded + "\x00" + b.raw)
    found = cache.get(key)
    if found is None:
        found = token_similarity(a, b, both_common=common(a) and common(b))
        cache[key] = found
    return found


def _token_weight(token: Token, family: frozenset[str], weigh: Weigher) -> float:
    weight = weigh(token)
    if token.is_initial:
        weight *= INITIAL_WEIGHT
    if token.folded in family:
        weight *= FAMILY_WEIGHT
    return weight


def align_names(
    left: tuple[Token, ...],
    right: tuple[Token, ...],
    *,
    left_family: frozenset[str] = frozenset(),
    right_family: frozenset[str] = frozenset(),
    weigh: Weigher = uniform_weight,
    common: Commonness = never_common,
    cache: SimCache | None = None,
) -> NameMatch:
    """Greedy one-to-one alignment of tokens, best pairs first, in any order.

    Greedy is optimal enough for names (a handful of tokens) and keeps the cost at a few
    microseconds. Ties are broken by position so the result is deterministic.
    """
    if not left or not right:
        return NameMatch(0.0, (), left, right, ())
    candidates: list[tuple[float, int, int, str]] = []
    gender: list[tuple[int, int]] = []
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            sim, kind = _cached_similarity(a, b, cache, common)
            if sim > 0.0:
                candidates.append((sim, -i, -j, kind))
            elif kind == "gender":
                gender.append((i, j))
    candidates.sort(reverse=True)
    weights_left = [_token_weight(t, left_family, weigh) for t in left]
    weights_right = [_token_weight(t, right_family, weigh) for t in right]
    used_left: set[int] = set()
    used_right: set[int] = set()
    pairs: list[Pair] = []
    got_left = got_right = 0.0
    full_pairs = 0
    for sim, neg_i, neg_j, kind in candidates:
        i, j = -neg_i, -neg_j
        if i in used_left or j in used_right:
            continue
        used_left.add(i)
        used_right.add(j)
        pairs.append(Pair(left[i], right[j], sim, kind))
        got_left += sim * weights_left[i]
        got_right += sim * weights_right[j]
        full_pairs += kind != "initial"
    score = combine_name_score(got_left / sum(weights_left), got_right / sum(weights_right),
                               len(left), len(right), full_pairs, len(pairs))
    unmatched_left = tuple(t for i, t in enumerate(left) if i not in used_left)
    unmatched_right = tuple(t for j, t in enumerate(right) if j not in used_right)
    unmatched_gender = tuple(
        (left[i], right[j]) for i, j in gender if i not in used_left and j not in used_right
    )
    if unmatched_gender:
        score = min(score, GENDER_CAP)
    if unmatched_left and unmatched_right and _initial_conflict(unmatched_left,
                                                                unmatched_right):
        score = min(score, INITIAL_CONFLICT_CAP)
    return NameMatch(score, tuple(pairs), unmatched_left, unmatched_right, unmatched_gender)


def _initial_conflict(left: tuple[Token, ...], right: tuple[Token, ...]) -> bool:
    """An unmatched initial facing an unmatched name: "E. Grace Smith" vs "Mary Grace Smith"."""
    return (any(t.is_initial for t in left) and any(not t.is_initial for t in right)) or (
        any(t.is_initial for t in right) and any(not t.is_initial for t in left)
    )


def combine_name_score(
    cover_left: float, cover_right: float, n_left: int, n_right: int, full_pairs: int,
    n_pairs: int,
) -> float:
    """Coverage of the shorter name, minus a penalty for what the longer one adds.

    A list that drops a middle name or a second surname still matches ("Juan García" vs
    "Juan Carlos García Márquez"), but one shared part alone never does: "Petrović" is
    not "Jovan Petrović". Shared with the index's fast bound, so both agree exactly.
    """
    if n_left < n_right or (n_left == n_right and cover_left >= cover_right):
        short_cover, long_cover = cover_left, cover_right
    else:
        short_cover, long_cover = cover_right, cover_left
    missing_long = max(0.0, min(1.0, long_cover / max(short_cover, 1e-9)))
    score = short_cover - UNMATCHED_PENALTY * (1.0 - missing_long) * short_cover
    if full_pairs < 2 and max(n_left, n_right) >= 2:
        score = min(score, INITIAL_CAP if n_pairs >= 2 else SINGLE_PART_CAP)
    return max(0.0, min(1.0, score))


@dataclass(frozen=True, slots=True)
class Match:
    """A scored pair: the score in [0, 1], why, and which spelling of ``b`` matched."""

    score: float
    explanation: str
    matched_name: str


def _pull(score: float, strength: float) -> float:
    """Move ``score`` toward 1 by ``strength`` of the remaining distance."""
    return score + (1.0 - score) * strength


def apply_evidence(
    score: float, a: Record, b: Record, *, explain: bool = True
) -> tuple[float, list[str]]:
    """Adjust a name score with document number, birth date and nationality.

    Every adjustment is monotone in ``score``, so an upper bound on the name score gives
    an upper bound on the result (the index relies on this to skip candidates).
    """
    notes: list[str] = []
    doc_a, doc_b = a.document_key, b.document_key
    if doc_a and doc_b:
        if doc_a == doc_b:
            score = _pull(score, DOC_MATCH_PULL)
            notes.append("document number matches")
        else:
            score -= DOC_DIFFER_PENALTY
            notes.append("document numbers differ")
    evidence = compare_dates(a.birth_date, b.birth_date)
    if evidence is DateEvidence.CONFLICT:
        score *= DATE_CONFLICT_FACTOR
        if explain:
            notes.append(f"birth date conflicts ({a.birth_date}≠{b.birth_date})")
    elif evidence is not DateEvidence.UNKNOWN:
        score = _pull(score, DATE_PULL[evidence])
        notes.append(_DATE_NOTES[evidence])
    if a.nationality and b.nationality:
        if a.nationality == b.nationality:
            score = _pull(score, NATIONALITY_PULL)
            notes.append("nationality matches")
        else:
            score -= NATIONALITY_DIFFER_PENALTY
            notes.append("nationality differs")
    return max(0.0, min(1.0, score)), notes


_DATE_NOTES = {
    DateEvidence.EXACT: "birth date matches",
    DateEvidence.COMPATIBLE: "birth date compatible (partial)",
    DateEvidence.SWAPPED: "birth date day/month swapped",
}


def _describe_pair(pair: Pair, family: frozenset[str]) -> str:
    role = "family " if pair.left.folded in family or pair.right.folded in family else ""
    if pair.kind == "exact":
        return f"{role}{pair.left.raw}"
    return f"{role}{pair.left.raw}={pair.right.raw} ({pair.kind})"


def explain_names(match: NameMatch, family: frozenset[str]) -> list[str]:
    """Human-readable pieces for an alignment: matched, gender-marked, unmatched parts."""
    notes = [_describe_pair(p, family) for p in match.pairs]
    gendered = {t for pair in match.gender for t in pair}
    notes.extend(f"{a.raw}≠{b.raw} (gender form)" for a, b in match.gender)
    missing = [t.raw for t in (*match.unmatched_left, *match.unmatched_right) if t not in gendered]
    if missing:
        notes.append("unmatched " + " ".join(missing))
    return notes


def family_tokens(record: Record) -> frozenset[str]:
    """Folded tokens known to be the family name (only lists that split names know)."""
    if not record.family_name:
        return frozenset()
    return frozenset(t.folded for t in normalise(record.family_name))


def _orient(a: Record, b: Record) -> tuple[Record, Record, bool]:
    """Put the pair in a canonical order so that ``score(a, b) == score(b, a)``."""
    key_a = (a.names, a.family_name or "", a.id)
    key_b = (b.names, b.family_name or "", b.id)
    return (a, b, False) if key_a <= key_b else (b, a, True)


def best_name_match(
    a: Record,
    b: Record,
    *,
    weigh: Weigher = uniform_weight,
    common: Commonness = never_common,
    cache: SimCache | None = None,
    names_a: Iterable[str] | None = None,
) -> tuple[NameMatch, str, str]:
    """Best alignment over every spelling (name and aliases) of both records."""
    fam_a, fam_b = family_tokens(a), family_tokens(b)
    best: tuple[NameMatch, str, str] | None = None
    for name_a in names_a if names_a is not None else a.names:
        tokens_a = normalise(name_a)
        for name_b in b.names:
            match = align_names(
                tokens_a,
                normalise(name_b),
                left_family=fam_a,
                right_family=fam_b,
                weigh=weigh,
                common=common,
                cache=cache,
            )
            if best is None or match.score > best[0].score:
                best = (match, name_a, name_b)
    assert best is not None
    return best


def score(
    a: Record, b: Record, *, weigh: Weigher = uniform_weight, common: Commonness = never_common
) -> Match:
    """Score two records; symmetric, in [0, 1], with an explanation.

    ``matched_name`` is the spelling of ``b`` (name or alias) that matched best. ``weigh``
    and ``common`` come from a list (``Index.weight``, ``Index.is_common``) when there is one.
    """
    first, second, swapped = _orient(a, b)
    match, name_first, name_second = best_name_match(first, second, weigh=weigh, common=common)
    return finish_match(a, b, match, name_first if swapped else name_second, swapped=swapped)


def finish_match(
    a: Record, b: Record, match: NameMatch, matched_name: str, *, swapped: bool = False
) -> Match:
    """Combine a name alignment with the other evidence into a :class:`Match`.

    ``swapped`` says the alignment was computed as (b, a) and must be read back as (a, b).
    """
    value, evidence_notes = apply_evidence(match.score, a, b)
    family = family_tokens(a) | family_tokens(b)
    if swapped:
        match = NameMatch(
            match.score,
            tuple(Pair(p.right, p.left, p.similarity, p.kind) for p in match.pairs),
            match.unmatched_right,
            match.unmatched_left,
            tuple((y, x) for x, y in match.gender),
        )
    notes = explain_names(match, family) + evidence_notes
    return Match(round(value, 6), "; ".join(notes), matched_name)


def clear_caches() -> None:
    """Forget cached folds, skeletons, tokens and similarities (benchmarks, long runs)."""
    fold.cache_clear()
    skeleton.cache_clear()
    make_token.cache_clear()
    normalise.cache_clear()
    _form_similarity.cache_clear()
