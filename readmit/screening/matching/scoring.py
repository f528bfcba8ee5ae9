"""Pair scoring: align name tokens, weigh them by rarity, then add the other evidence.

The score is in [0, 1] and comes with a short explanation a caseworker can check, e.g.
``family Petrović=Petrovic (translit); Jovan≠Jovana (gender form); birth date conflicts``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

from rapidfuzz.distance import OSA

from readmit.screening.matching.normalise import (
    PARTICLES,
    Token,
    fold,
    make_token,
    normalise,
    read_name,
    skeleton,
    split_raw,
    token_fields,
)
from readmit.screening.matching.records import DateEvidence, PartialDate, Record, compare_dates
from readmit.screening.matching.scripts import (
    ABJAD_MARK,
    TRANSLATABLE,
    VARIANTS,
    consonant_key,
    drops_short_vowel,
    translated,
    vowel_class_key,
)

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
# A part in Arabic, Hebrew or Thai script against a Latin one: consonants only agree.
SIM_ABJAD = 0.9
SIM_ABJAD_SHORT = 0.8  # one consonant (Ali, علي): many names share it
SIM_ABJAD_SLIP = 0.75
# A name against its translation (Rubio / Blond): a possible match only with another part.
SIM_TRANSLATED = 0.75
# Vowels of one class (Rasheed/Rashid, Suleiman/Soliman, Zaynab/Zeinab): transliteration.
SIM_VOWELS = 0.9
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

# Masculine -> feminine endings: Jovan/Jovana, Mario/Maria, Aleksandar/Aleksandra,
# Petar/Petra, Petrov/Petrova, Kowalski/Kowalska. A masculine form ending in a vowel takes
# no extra "a" (Đurđa/Đurđaa is a key pressed twice).
# French feminines (Michel/Michelle, Louis/Louise) are left out on purpose: they are
# homophones, Haitian Creole writes both alike, and variants like Rachel/Rachelle abound.
_GENDER_ENDINGS: tuple[tuple[str, str], ...] = (
    ("", "a"), ("o", "a"), ("ar", "ra"), ("ov", "ova"), ("ev", "eva"), ("in", "ina"),
    ("ski", "ska"), ("cki", "cka"), ("sky", "ska"),
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
        if not male and male_form[-1] in "aeiouy":
            continue  # Jovan/Jovana, but Đurđa/Đurđaa is a doubled key, not a gender
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
    the index's deletion keys are guaranteed to find. Both parts under four letters are
    too small for a typo to be told from another name (Ana/Ina), but a four-letter name
    that lost a letter is still a slip (John/Jhn).
    """
    if max(len(a), len(b)) < MIN_TYPO_LENGTH or min(len(a), len(b)) < MIN_TYPO_LENGTH - 1:
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
    return _form_similarity(
        a.folded, a.skeleton, a.is_initial, b.folded, b.skeleton, b.is_initial, both_common
    )


def _compare_forms(
    a: str,
    a_skeleton: str,
    a_initial: bool,
    b: str,
    b_skeleton: str,
    b_initial: bool,
    both_common: bool,
) -> tuple[float, str]:
    """:func:`token_similarity` for different folded forms (see ``_form_similarity``)."""
    if a_initial or b_initial:
        longer, shorter = (b, a) if a_initial else (a, b)
        if longer.startswith(shorter):
            return SIM_INITIAL, "initial"
        return 0.0, ""
    family = VARIANTS.get(a)
    if family is not None and family == VARIANTS.get(b):
        return SIM_SKELETON, "variant"
    if a_skeleton == b_skeleton:
        if is_gender_pair(a, b):
            return 0.0, "gender"
        return SIM_SKELETON, "phonetic"
    if a_skeleton[:1] == ABJAD_MARK or b_skeleton[:1] == ABJAD_MARK:
        return _abjad_similarity(a, a_skeleton, b, b_skeleton)
    if is_gender_pair(a, b):
        return 0.0, "gender"
    if ("dj" in a or "dj" in b) and _lossy_dj(a) == _lossy_dj(b):
        return SIM_LOSSY_DJ, "translit"
    if _vowel_variant(a, b):  # before typos: a transliteration is not a slip (Hoda/Huda)
        return SIM_VOWELS, "vowels"
    fuzzy = _one_slip(a, b) if _may_be_one_slip(a, b) else 0.0
    if (
        not fuzzy
        and _may_be_one_slip(a_skeleton, b_skeleton)
        and OSA.normalized_similarity(a, b) >= SKELETON_SLIP_MIN_WRITTEN
    ):
        # A slip between skeletons only counts when the written forms are alike too: the
        # skeleton is lossy, and one edit there can join Valtier and Batis.
        fuzzy = _one_slip(a_skeleton, b_skeleton)
    if fuzzy >= FUZZY_CUTOFF:
        if both_common:
            return fuzzy * FUZZY_FACTOR * COMMON_NAMES_FACTOR, "distinct names"
        return fuzzy * FUZZY_FACTOR, "typo"
    if a in TRANSLATABLE and translated(a, b):
        return SIM_TRANSLATED, "translated"
    return 0.0, ""


def _vowel_variant(a: str, b: str) -> bool:
    """Two transliterations of one Arabic, Persian or Turkic name (``vowel_class_key``):
    vowels of one class (Rasheed/Rashid, Hoda/Huda, Nur/Noor), consonants renderings
    disagree on (Hisham/Hicham, Uthman/Osman, Gamal/Jamal), a short vowel kept or dropped
    (Fatima/Fatma). Both at least three letters and one at least four, and the first,
    the last or the second and third letters shared (Jasmin/Yasmine), which is also what
    ``_new_similarity``'s cheap filter lets through.
    """
    if min(len(a), len(b)) < MIN_TYPO_LENGTH - 1 or max(len(a), len(b)) < MIN_TYPO_LENGTH:
        return False
    if a[0] != b[0] and a[-1] != b[-1] and a[1:3] != b[1:3]:
        return False
    key_a, key_b = vowel_class_key(a), vowel_class_key(b)
    if key_a == key_b:
        return True
    longer, shorter = (key_a, key_b) if len(key_a) > len(key_b) else (key_b, key_a)
    return drops_short_vowel(longer, shorter)


def _abjad_similarity(a: str, a_key: str, b: str, b_key: str) -> tuple[float, str]:
    """A part written without short vowels (Arabic, Hebrew, Thai) against another part.

    The consonant keys must agree (``محمد`` ~mhmd = Muhammad). Both in an abjad means the
    keys differ, and so do the names. One consonant apart is a likely misreading only
    when both keys have three consonants or more (Abdullah ``bdlh`` / ``bdl``).
    """
    if a_key[:1] == ABJAD_MARK and b_key[:1] == ABJAD_MARK:
        return 0.0, ""
    mine, other = (a_key[1:], b) if a_key[:1] == ABJAD_MARK else (b_key[1:], a)
    theirs = consonant_key(other)
    if not mine or not theirs:
        return 0.0, ""
    if "D" in mine:  # ض ذ ظ: d in Arabic renderings, z in Persian ones (Ramadan, Rezaei)
        mine = (
            mine.replace("D", "d") if mine.replace("D", "d") == theirs else mine.replace("D", "z")
        )
    if mine == theirs:
        return (SIM_ABJAD if len(mine) >= 2 else SIM_ABJAD_SHORT), "script"
    if min(len(mine), len(theirs)) >= 3 and OSA.distance(mine, theirs, score_cutoff=1) <= 1:
        return SIM_ABJAD_SLIP, "script"
    return 0.0, ""


# Cached: names repeat a lot.
_form_similarity = lru_cache(maxsize=1 << 18)(_compare_forms)


def _may_be_one_slip(a: str, b: str) -> bool:
    """False only if ``_one_slip(a, b)`` is 0, checked without computing a distance.

    One edit changes no length by more than one, and it cannot change both the first and
    the last letter of a word of three letters or more (both are at least
    MIN_TYPO_LENGTH - 1 = 3 long).
    """
    len_a, len_b = len(a), len(b)
    return (
        -1 <= len_a - len_b <= 1
        and min(len_a, len_b) >= MIN_TYPO_LENGTH - 1
        and max(len_a, len_b) >= MIN_TYPO_LENGTH
        and (a[0] == b[0] or a[-1] == b[-1])
    )


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
    score = combine_name_score(
        got_left / sum(weights_left),
        got_right / sum(weights_right),
        len(left),
        len(right),
        full_pairs,
        len(pairs),
    )
    if pairs and all(pair.kind == "translated" for pair in pairs):
        score = min(score, SINGLE_PART_CAP)  # a translation alone is never a match
    unmatched_left = tuple(t for i, t in enumerate(left) if i not in used_left)
    unmatched_right = tuple(t for j, t in enumerate(right) if j not in used_right)
    unmatched_gender = tuple(
        (left[i], right[j]) for i, j in gender if i not in used_left and j not in used_right
    )
    if unmatched_gender:
        score = min(score, GENDER_CAP)
    if unmatched_left and unmatched_right and _initial_conflict(unmatched_left, unmatched_right):
        score = min(score, INITIAL_CONFLICT_CAP)
    return NameMatch(score, tuple(pairs), unmatched_left, unmatched_right, unmatched_gender)


def _initial_conflict(left: tuple[Token, ...], right: tuple[Token, ...]) -> bool:
    """An unmatched initial facing an unmatched name: "E. Grace Smith" vs "Mary Grace Smith"."""
    return (any(t.is_initial for t in left) and any(not t.is_initial for t in right)) or (
        any(t.is_initial for t in right) and any(not t.is_initial for t in left)
    )


def combine_name_score(
    cover_left: float,
    cover_right: float,
    n_left: int,
    n_right: int,
    full_pairs: int,
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
    if weigh is uniform_weight and common is never_common:
        return _score_fast(a, b)
    first, second, swapped = _orient(a, b)
    match, name_first, name_second = best_name_match(first, second, weigh=weigh, common=common)
    matched = b.written(name_first if swapped else name_second)
    return finish_match(a, b, match, matched, swapped=swapped)


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
    consonant_key.cache_clear()
    vowel_class_key.cache_clear()
    _clear_fast_tables()


# ---------------------------------------------------------------------------------------
# Fast path for stand-alone pair scoring (``score`` without an index's weigher).
#
# Same rules and arithmetic as ``align_names`` / ``finish_match`` above, but on integer
# token ids: every distinct raw name part is interned once (fold, skeleton, initial flag),
# every name once (its token ids and uniform weights), and every pair of token ids keeps
# its similarity in a per-token row, with the pair's explanation note already written.
# The inner loops then touch only ints, floats and short strings. These tables are caches
# like the ``lru_cache`` ones: ``clear_caches`` empties them, and they are emptied when
# they grow past a bound.

_TOK_ID: dict[str, int] = {}  # raw name part -> id; -1 if nothing identifying is left
_TOK_RAW: list[str] = []
_TOK_FOLDED: list[str] = []
_TOK_SKELETON: list[str] = []
_TOK_INITIAL: list[bool] = []
_TOK_SPECIAL: list[bool] = []  # an initial or a "dj": _new_similarity's filter passes it
_TOK_CASEFOLD: list[str] = []
_TOK_WEIGHT: list[float] = []  # uniform weight (see _token_weight), without family
# A similarity as the fast path keeps it: (similarity, kind, note, swapped note). The notes
# are how the explanation names the pair with this token first or the other one first.
_Sim = tuple[float, str, str, str]
_TOK_SIM: list[dict[int, _Sim]] = []  # id -> {other id: its similarity to this id}
_SKIP_IDS: set[int] = {-1}  # what normalise may drop: particles (and -1, no token)
_SPECIAL_IDS: set[int] = {-1}  # _SKIP_IDS and initials: names where a weight is not 1.0
# name -> (token ids as normalise gives them, sum of their uniform weights); None if empty
_NAME_IDS: dict[str, tuple[tuple[int, ...], float] | None] = {}
_MAX_TOKENS = 500_000
_MAX_NAMES = 1_000_000
_MAX_SIMS = 4_000_000
_sims_stored = 0
_NO_FAMILY: frozenset[str] = frozenset()
_NO_SIMILARITY: _Sim = (0.0, "", "", "")  # every dissimilar pair shares this one
_PULL_EXACT = DATE_PULL[DateEvidence.EXACT]
_PULL_COMPATIBLE = DATE_PULL[DateEvidence.COMPATIBLE]
_PULL_SWAPPED = DATE_PULL[DateEvidence.SWAPPED]
_NOTE_EXACT = _DATE_NOTES[DateEvidence.EXACT]
_NOTE_COMPATIBLE = _DATE_NOTES[DateEvidence.COMPATIBLE]
_NOTE_SWAPPED = _DATE_NOTES[DateEvidence.SWAPPED]
_MISSING = object()


def _clear_fast_tables() -> None:
    global _sims_stored
    _TOK_ID.clear()
    for table in (
        _TOK_RAW,
        _TOK_FOLDED,
        _TOK_SKELETON,
        _TOK_INITIAL,
        _TOK_SPECIAL,
        _TOK_CASEFOLD,
        _TOK_WEIGHT,
        _TOK_SIM,
    ):
        table.clear()
    _SKIP_IDS.clear()
    _SKIP_IDS.add(-1)
    _SPECIAL_IDS.clear()
    _SPECIAL_IDS.add(-1)
    _NAME_IDS.clear()
    _sims_stored = 0


def _intern_raw(raw: str) -> int:
    """Id of one raw name part (``make_token``), or -1 if nothing identifying is left."""
    fields = token_fields(raw)
    if fields is None:
        _TOK_ID[raw] = -1
        return -1
    folded, key, is_initial = fields
    new_id = len(_TOK_RAW)
    _TOK_ID[raw] = new_id
    _TOK_RAW.append(raw)
    _TOK_FOLDED.append(folded)
    _TOK_SKELETON.append(key)
    _TOK_INITIAL.append(is_initial)
    _TOK_SPECIAL.append(
        is_initial or "dj" in folded or key[:1] == ABJAD_MARK or folded in TRANSLATABLE
    )
    _TOK_CASEFOLD.append(raw.casefold())
    _TOK_WEIGHT.append(1.0 * INITIAL_WEIGHT if is_initial else 1.0)
    _TOK_SIM.append({})
    if folded in PARTICLES:
        _SKIP_IDS.add(new_id)
        _SPECIAL_IDS.add(new_id)
    if is_initial:
        _SPECIAL_IDS.add(new_id)
    return new_id


def _name_ids(name: str) -> tuple[tuple[int, ...], float] | None:
    """Token ids of ``normalise(name)``, in order, and the sum of their uniform weights."""
    # Letters and separators only (spaces, commas, dots, hyphens): str.split() on spaces
    # gives what split_raw gives.
    read = read_name(name)
    if read.replace(" ", "").isalpha():
        raws = read.split()
    else:
        spaced = read.replace(",", " ").replace(".", " ").replace("-", " ")
        raws = spaced.split() if spaced.replace(" ", "").isalpha() else split_raw(read)
    get = _TOK_ID.get
    found = tuple(map(get, raws))
    ids: tuple[int, ...]
    if None in found:
        ids = tuple([_intern_raw(raw) if (known := get(raw)) is None else known for raw in raws])
    else:
        ids = found  # type: ignore[assignment]  # no None left: checked just above
    info: tuple[tuple[int, ...], float] | None
    if _SPECIAL_IDS.isdisjoint(ids):  # no particle, no initial: every weight is 1.0
        info = (ids, len(ids) * 1.0) if ids else None
    else:
        if not _SKIP_IDS.isdisjoint(ids):  # as normalise: drop particles unless nothing is left
            valid = [t for t in ids if t >= 0]
            ids = tuple([t for t in valid if t not in _SKIP_IDS] or valid)
        info = (ids, sum([_TOK_WEIGHT[t] for t in ids])) if ids else None
    _NAME_IDS[name] = info
    return info


def _new_similarity(ia: int, ib: int) -> _Sim:
    """``token_similarity`` of two interned tokens, without the list's commonness."""
    global _sims_stored
    fa, fb = _TOK_FOLDED[ia], _TOK_FOLDED[ib]
    if fa == fb:
        kind = "exact" if _TOK_CASEFOLD[ia] == _TOK_CASEFOLD[ib] else "translit"
        found = _similarity_entry(ia, ib, 1.0, kind)
    else:
        sa, sb = _TOK_SKELETON[ia], _TOK_SKELETON[ib]
        len_diff, skeleton_diff = len(fa) - len(fb), len(sa) - len(sb)
        if (
            _TOK_SPECIAL[ia]
            or _TOK_SPECIAL[ib]
            or sa == sb
            # what is_gender_pair, _may_be_one_slip and _vowel_variant need, loosened
            or (-2 <= len_diff <= 2 and (fa[0] == fb[0] or fa[-1] == fb[-1] or fa[1:3] == fb[1:3]))
            or (-1 <= skeleton_diff <= 1 and (sa[0] == sb[0] or sa[-1] == sb[-1]))
        ):
            sim, kind = _compare_forms(fa, sa, _TOK_INITIAL[ia], fb, sb, _TOK_INITIAL[ib], False)
            found = _similarity_entry(ia, ib, sim, kind)
        else:
            found = _NO_SIMILARITY  # what _compare_forms returns, without computing it
    _sims_stored += 1
    if _sims_stored > _MAX_SIMS:
        for row in _TOK_SIM:
            row.clear()
        _sims_stored = 1
    _TOK_SIM[ia][ib] = found
    return found


def _similarity_entry(ia: int, ib: int, sim: float, kind: str) -> _Sim:
    """The stored form of a similarity, with the pair's explanation notes (_describe_pair)."""
    raw_a, raw_b = _TOK_RAW[ia], _TOK_RAW[ib]
    if sim > 0.0:
        if kind == "exact":
            return sim, kind, raw_a, raw_b
        return sim, kind, f"{raw_a}={raw_b} ({kind})", f"{raw_b}={raw_a} ({kind})"
    if kind == "gender":
        return sim, kind, f"{raw_a}≠{raw_b} (gender form)", f"{raw_b}≠{raw_a} (gender form)"
    return _NO_SIMILARITY


# The score, the pairs taken (candidates: similarity, -i, -j, _Sim) in greedy order,
# bitmasks of the left and right positions used, and the unmatched gender pairs (-i, -j).
_AlignResult = tuple[
    float, list[tuple[float, int, int, _Sim]], int, int, list[tuple[int, int, _Sim]]
]
_NO_ALIGNMENT: _AlignResult = (0.0, [], 0, 0, [])


def _align_ids(
    ids_l: tuple[int, ...],
    total_l: float,
    w_l: Sequence[float] | dict[int, float],
    ids_r: tuple[int, ...],
    total_r: float,
    w_r: Sequence[float] | dict[int, float],
) -> _AlignResult:
    """``align_names`` on interned tokens (weights looked up by token id); see _AlignResult.

    Positions are negated so that sorting candidates in reverse breaks ties by position,
    as ``align_names`` does. The clamps are written as comparisons (not ``min``/``max``)
    for speed; they give the same floats.
    """
    sims = _TOK_SIM
    no_similarity = _NO_SIMILARITY
    candidates: list[tuple[float, int, int, _Sim]] = []
    gender: list[tuple[int, int, _Sim]] = []
    i = 0
    for ia in ids_l:
        row = sims[ia]
        j = 0
        for ib in ids_r:
            found = row.get(ib)
            if found is None:
                found = _new_similarity(ia, ib)
            if found is not no_similarity:
                if found[0] > 0.0:
                    candidates.append((found[0], i, j, found))
                else:
                    gender.append((i, j, found))
            j -= 1
        i -= 1
    if len(candidates) > 1:
        candidates.sort(reverse=True)
    used_l = used_r = 0
    pairs: list[tuple[float, int, int, _Sim]] = []
    got_l = got_r = 0.0
    full_pairs = translated_pairs = 0
    for candidate in candidates:
        sim, i, j, found = candidate
        bit_l, bit_r = 1 << -i, 1 << -j
        if used_l & bit_l or used_r & bit_r:
            continue
        used_l |= bit_l
        used_r |= bit_r
        pairs.append(candidate)
        got_l += sim * w_l[ids_l[-i]]
        got_r += sim * w_r[ids_r[-j]]
        if found[1] != "initial":
            full_pairs += 1
            if found[1] == "translated":
                translated_pairs += 1
    n_l, n_r = len(ids_l), len(ids_r)
    # combine_name_score, inlined with the same arithmetic
    cover_l, cover_r = got_l / total_l, got_r / total_r
    if n_l < n_r or (n_l == n_r and cover_l >= cover_r):
        short_cover, long_cover = cover_l, cover_r
    else:
        short_cover, long_cover = cover_r, cover_l
    ratio = long_cover / (short_cover if short_cover >= 1e-9 else 1e-9)
    missing_long = 1.0 if ratio >= 1.0 else ratio if ratio > 0.0 else 0.0
    value = short_cover - UNMATCHED_PENALTY * (1.0 - missing_long) * short_cover
    if full_pairs < 2 and (n_l >= 2 or n_r >= 2):
        value = min(value, INITIAL_CAP if len(pairs) >= 2 else SINGLE_PART_CAP)
    value = 1.0 if value >= 1.0 else value if value > 0.0 else 0.0
    if translated_pairs and translated_pairs == len(pairs):
        value = min(value, SINGLE_PART_CAP)  # align_names: a translation alone
    if gender:
        gender = [g for g in gender if not (used_l >> -g[0] & 1 or used_r >> -g[1] & 1)]
        if gender:
            value = min(value, GENDER_CAP)
    if used_l != (1 << n_l) - 1 and used_r != (1 << n_r) - 1:
        initial = _TOK_INITIAL
        left_initial = left_full = right_initial = right_full = False
        for i, ia in enumerate(ids_l):
            if not used_l >> i & 1:
                if initial[ia]:
                    left_initial = True
                else:
                    left_full = True
        for j, ib in enumerate(ids_r):
            if not used_r >> j & 1:
                if initial[ib]:
                    right_initial = True
                else:
                    right_full = True
        if (left_initial and right_full) or (right_initial and left_full):
            value = min(value, INITIAL_CONFLICT_CAP)
    return value, pairs, used_l, used_r, gender


def _family_weights(ids: tuple[int, ...], family: frozenset[str]) -> tuple[dict[int, float], float]:
    weights: dict[int, float] = {}
    ordered = []
    for token_id in ids:
        weight = 1.0
        if _TOK_INITIAL[token_id]:
            weight *= INITIAL_WEIGHT
        if _TOK_FOLDED[token_id] in family:
            weight *= FAMILY_WEIGHT
        weights[token_id] = weight
        ordered.append(weight)
    return weights, sum(ordered)


def _best_alignment(
    first: Record, second: Record, fam_f: frozenset[str], fam_s: frozenset[str]
) -> tuple[_AlignResult, tuple[int, ...], tuple[int, ...], str, str]:
    """``best_name_match`` on interned tokens: every spelling of both, first best wins."""
    name_ids = _NAME_IDS
    best: _AlignResult | None = None
    best_l: tuple[int, ...] = ()
    best_r: tuple[int, ...] = ()
    best_first = best_second = ""
    for name_f in first.names:
        info_f = name_ids.get(name_f, _MISSING)
        if info_f is _MISSING:
            info_f = _name_ids(name_f)
        for name_s in second.names:
            info_s = name_ids.get(name_s, _MISSING)
            if info_s is _MISSING:
                info_s = _name_ids(name_s)
            if info_f is None or info_s is None:
                ids_l = info_f[0] if info_f is not None else ()  # type: ignore[index]
                ids_r = info_s[0] if info_s is not None else ()  # type: ignore[index]
                result = _NO_ALIGNMENT
            else:
                ids_l, total_l = info_f  # type: ignore[misc]
                ids_r, total_r = info_s  # type: ignore[misc]
                w_l: Sequence[float] | dict[int, float] = _TOK_WEIGHT
                w_r: Sequence[float] | dict[int, float] = _TOK_WEIGHT
                if fam_f:
                    w_l, total_l = _family_weights(ids_l, fam_f)
                if fam_s:
                    w_r, total_r = _family_weights(ids_r, fam_s)
                result = _align_ids(ids_l, total_l, w_l, ids_r, total_r, w_r)
            if best is None or result[0] > best[0]:
                best, best_l, best_r = result, ids_l, ids_r
                best_first, best_second = name_f, name_s
                if result[0] >= 1.0:
                    break  # perfect: no later spelling can replace it (ties keep the first)
        if best is not None and best[0] >= 1.0:
            break
    assert best is not None
    return best, best_l, best_r, best_first, best_second


def _score_fast(a: Record, b: Record) -> Match:
    """``score`` with the uniform weigher and no commonness; identical results."""
    if len(_NAME_IDS) >= _MAX_NAMES or len(_TOK_RAW) >= _MAX_TOKENS:
        _clear_fast_tables()  # only here, never while a pair holds token ids
    if len(a.names) > 1 or len(b.names) > 1:
        first, second, swapped = _orient(a, b)
    else:  # _orient for one name each
        if a.name != b.name:
            swapped = a.name > b.name
        else:
            swapped = (a.family_name or "", a.id) > (b.family_name or "", b.id)
        first, second = (b, a) if swapped else (a, b)
    fam_f = family_tokens(first) if first.family_name else _NO_FAMILY
    fam_s = family_tokens(second) if second.family_name else _NO_FAMILY
    name_ids = _NAME_IDS
    if not fam_f and not fam_s and len(first.names) == 1 and len(second.names) == 1:
        # the common case: one name each, no family hints
        best_first, best_second = first.name, second.name
        # Any: a sentinel-or-value lookup on the hot path (see _MISSING).
        info_f: Any = name_ids.get(best_first, _MISSING)
        if info_f is _MISSING:
            info_f = _name_ids(best_first)
        info_s: Any = name_ids.get(best_second, _MISSING)
        if info_s is _MISSING:
            info_s = _name_ids(best_second)
        if info_f is None or info_s is None:
            best_l = info_f[0] if info_f is not None else ()
            best_r = info_s[0] if info_s is not None else ()
            best = _NO_ALIGNMENT
        else:
            best_l, total_l = info_f
            best_r, total_r = info_s
            best = _align_ids(best_l, total_l, _TOK_WEIGHT, best_r, total_r, _TOK_WEIGHT)
    else:
        best, best_l, best_r, best_first, best_second = _best_alignment(first, second, fam_f, fam_s)
    value, pairs, used_l, used_r, gender = best
    family = fam_f | fam_s if (fam_f or fam_s) else _NO_FAMILY

    # explain_names, read back as (a, b) when the alignment ran as (b, a)
    raw = _TOK_RAW
    notes: list[str]
    note: Literal[2, 3] = 3 if swapped else 2  # where _Sim keeps the note, read as (a, b)
    if swapped:
        side_a, side_b, used_a, used_b = best_r, best_l, used_r, used_l
    else:
        side_a, side_b, used_a, used_b = best_l, best_r, used_l, used_r
    if family:
        notes = []
        folded = _TOK_FOLDED
        for _, i, j, found in pairs:
            if folded[best_l[-i]] in family or folded[best_r[-j]] in family:
                notes.append("family " + found[note])
            else:
                notes.append(found[note])
    else:
        notes = [candidate[3][note] for candidate in pairs]
    gendered: set[int] = set()
    if gender:
        for i, j, found in gender:
            gendered.add(best_l[-i])
            gendered.add(best_r[-j])
            notes.append(found[note])
    if used_a != (1 << len(side_a)) - 1 or used_b != (1 << len(side_b)) - 1:
        unmatched = [t for k, t in enumerate(side_a) if not used_a >> k & 1]
        unmatched += [t for k, t in enumerate(side_b) if not used_b >> k & 1]
        missing = (
            [raw[t] for t in unmatched if t not in gendered]
            if gendered
            else [raw[t] for t in unmatched]
        )
        if missing:
            notes.append("unmatched " + " ".join(missing))

    # apply_evidence, inlined with the same arithmetic and notes
    doc_a, doc_b = a._doc, b._doc
    if doc_a and doc_b:
        if doc_a == doc_b:
            value = value + (1.0 - value) * DOC_MATCH_PULL
            notes.append("document number matches")
        else:
            value -= DOC_DIFFER_PENALTY
            notes.append("document numbers differ")
    date_a, date_b = a.birth_date, b.birth_date
    if date_a is not None and date_b is not None:  # compare_dates, inlined
        conflict = False
        if date_a.year != date_b.year:
            conflict = True
        elif date_a.month is None or date_b.month is None:
            value = value + (1.0 - value) * _PULL_COMPATIBLE
            notes.append(_NOTE_COMPATIBLE)
        elif date_a.day is None or date_b.day is None:
            if date_a.month == date_b.month:
                value = value + (1.0 - value) * _PULL_COMPATIBLE
                notes.append(_NOTE_COMPATIBLE)
            else:
                conflict = True
        elif date_a.month == date_b.month and date_a.day == date_b.day:
            value = value + (1.0 - value) * _PULL_EXACT
            notes.append(_NOTE_EXACT)
        elif date_a.month == date_b.day and date_a.day == date_b.month:
            value = value + (1.0 - value) * _PULL_SWAPPED
            notes.append(_NOTE_SWAPPED)
        else:
            conflict = True
        if conflict:
            value *= DATE_CONFLICT_FACTOR
            notes.append(f"birth date conflicts ({_date_text(date_a)}≠{_date_text(date_b)})")
    nat_a, nat_b = a.nationality, b.nationality
    if nat_a and nat_b:
        if nat_a == nat_b:
            value = value + (1.0 - value) * NATIONALITY_PULL
            notes.append("nationality matches")
        else:
            value -= NATIONALITY_DIFFER_PENALTY
            notes.append("nationality differs")
    value = 1.0 if value >= 1.0 else value if value > 0.0 else 0.0  # max(0.0, min(1.0, ...))
    matched = b.written(best_first if swapped else best_second)
    return _new_match(round(value, 6), "; ".join(notes), matched)


def _date_text(date: PartialDate) -> str:
    """``str(date)``, in one step when the date is complete."""
    if date.month is not None and date.day is not None:
        return f"{date.year:04d}-{date.month:02d}-{date.day:02d}"
    return str(date)


_set_score = vars(Match)["score"].__set__  # the slots' descriptors
_set_explanation = vars(Match)["explanation"].__set__
_set_matched_name = vars(Match)["matched_name"].__set__


def _new_match(value: float, explanation: str, matched_name: str) -> Match:
    """``Match(value, explanation, matched_name)``, set through its slots: the frozen
    dataclass ``__init__`` costs twice as much, and Match has no ``__post_init__``."""
    match = object.__new__(Match)
    _set_score(match, value)
    _set_explanation(match, explanation)
    _set_matched_name(match, matched_name)
    return match
