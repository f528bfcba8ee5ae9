"""Blocking index over a watchlist: find the few records worth scoring, then score them.

Two levels keep it small and fast at national scale:

* a *vocabulary* of distinct folded tokens (tens of thousands even for millions of
  names), each with blocking keys: the one-deletion neighbourhoods of its folded form and
  of its skeleton, so that one typo or one respelling step still shares a key;
* per vocabulary token, a compact array of the name entries (name or alias) using it.

A query looks its tokens up in the vocabulary and keeps the tokens that are actually
similar (the same token similarity as scoring). Entries sharing enough similar tokens to
possibly reach the threshold are *candidates*. Each candidate gets a fast upper bound
computed on integers and precomputed weights; only candidates whose bound reaches the
threshold are scored exactly and explained. ``query_exhaustive`` skips the blocking and
is the reference the blocking recall is measured against.
"""

from __future__ import annotations

import math
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from readmit.screening.matching import calibration as calib
from readmit.screening.matching.normalise import Token, normalise
from readmit.screening.matching.records import DateEvidence, Record, compare_dates
from readmit.screening.matching.scoring import (
    DATE_CONFLICT_FACTOR,
    DATE_PULL,
    DOC_MATCH_PULL,
    FAMILY_WEIGHT,
    INITIAL_WEIGHT,
    MIN_TYPO_LENGTH,
    NATIONALITY_PULL,
    SIM_INITIAL,
    SINGLE_PART_CAP,
    Match,
    NameMatch,
    SimCache,
    _form_similarity,
    _orient,
    _pull,
    align_names,
    apply_evidence,
    best_name_match,
    combine_name_score,
    family_tokens,
    finish_match,
    token_similarity,
)
from readmit.screening.matching.scripts import (
    ABJAD_MARK,
    TRANSLATABLE,
    VARIANTS,
    consonant_key,
    short_vowel_drops,
    translation_keys,
    vowel_class_key,
)

_CACHE_LIMIT = 500_000
_MIN_DELETION_LENGTH = 4
COMMON_MIN_COUNT = 3
COMMON_PER_RECORDS = 50_000
# Rounding allowance of the bound floor (Index._bound_floor): far above float error, far
# below any difference between two scores that matters.
_FLOOR_MARGIN = 1e-9
_NO_YEAR = -1  # Index._entry_year of a record without a birth date
# Entries kept in all by Index._entry_cache (per process): about 80 bytes each.
_ENTRY_CACHE_BUDGET = 600_000
_ENTRY_CACHE_AFTER = 3  # kept from a token's third query on: the frequent names

# Best score an entry can reach when only one token aligns and no initial completes the
# name (see the caps in scoring.combine_name_score); above it, candidates need two
# shared tokens.
SINGLE_HIT_MAX = _pull(_pull(SINGLE_PART_CAP, max(DATE_PULL.values())), NATIONALITY_PULL)


# Best score with conflicting birth dates: a perfect name (and document), the conflict
# factor, then a matching nationality.
DATE_CONFLICT_MAX = _pull(DATE_CONFLICT_FACTOR, NATIONALITY_PULL)


def deletion_keys(text: str) -> set[str]:
    """``text`` and every string one deletion away (a typo leaves one of them in common)."""
    keys = {text}
    if len(text) >= _MIN_DELETION_LENGTH:
        keys.update(text[:i] + text[i + 1 :] for i in range(len(text)))
    return keys


def blocking_keys(token: Token) -> set[str]:
    """All blocking keys of a token; prefixes keep the two key spaces apart."""
    keys = {"s:" + key for key in deletion_keys(token.skeleton)}
    keys.update("f:" + key for key in deletion_keys(token.folded))
    if "dj" in token.folded:  # "Dorde" for "Đorđe" (see scoring._lossy_dj)
        keys.add("f:" + token.folded.replace("dj", "d"))
    family = VARIANTS.get(token.folded)
    if family is not None:  # Aleksandr / Oleksandr / Alexander (scripts.VARIANTS)
        keys.add("v:" + family)
    if len(token.folded) >= MIN_TYPO_LENGTH - 1:  # Rasheed / Rashid, Nur / Noor
        vowels = vowel_class_key(token.folded)  # (scripts.vowel_class_key)
        keys.add("w:" + vowels)
        keys.update("w:" + key for key in short_vowel_drops(vowels))  # Fatimah / Fatma
    if token.folded in TRANSLATABLE:  # Rubio / Blond (scripts.TRANSLATIONS)
        keys.update("t:" + meaning for meaning in translation_keys(token.folded))
    return keys


def consonant_keys(token: Token, *, query: bool) -> tuple[str, ...]:
    """Keys that let a part in Arabic, Hebrew or Thai script meet its Latin renderings.

    Indexed: a Latin part under ``c:`` and its consonant key, an abjad part under ``a:``.
    A Latin query looks only in ``a:`` (nearly always empty, so it costs nothing); an
    abjad query looks in both. Latin parts never meet each other through these keys.
    """
    if token.skeleton[:1] == ABJAD_MARK:
        key = token.skeleton[1:]
        return ("a:" + key, "c:" + key) if query else ("a:" + key,)
    return (("a:" if query else "c:") + consonant_key(token.folded),)


@dataclass(frozen=True, slots=True)
class Hit:
    """One watchlist record that matched a query, with the spelling that matched."""

    record: Record
    score: float
    explanation: str
    matched_name: str


_ByVocab = dict[int, list[tuple[int, float]]]  # vocab id -> (query token, similarity)


@dataclass(slots=True)
class _Query:
    """What a query needs for the fast bound: per-token weights and similar vocabulary."""

    names: list[tuple[str, tuple[Token, ...]]]
    family: frozenset[str]
    weights: list[list[float]]  # per name, per token
    sims: list[dict[int, list[tuple[int, float]]]]  # per name: vocab id -> (token, sim)
    totals: list[float]  # per name: the sum of its weights (the bound's denominator)
    initials: list[list[bool]]  # per name, per token: an initial?
    # Per name, per token: its similar-vocabulary cache key, or None when an earlier token
    # of the name shares a similar vocabulary token (see Index._token_entries).
    entry_keys: list[list[str | None]]


class Index:
    """Blocking index and IDF table over a list of records (typically a watchlist)."""

    def __init__(
        self, records: Iterable[Record], *, calibration: calib.Calibration | bool | None = None
    ) -> None:
        """``calibration``: None or False (the default) for raw scores; True for the model
        fitted in the repository (calibration.py), or a fitted model. Off by default: it
        evens out false alerts across lists but costs recall (docs/screening.md)."""
        self.calibration: calib.Calibration | None = (
            calib.load() if calibration is True else calibration or None
        )
        self.records: list[Record] = []
        self._entry_record = array("I")
        self._entry_name = array("H")
        self._entry_start = array("I", [0])
        self._entry_vocab = array("I")
        # Per entry, its record's birth year (or _NO_YEAR): most namesakes are ruled out
        # by a conflicting year without looking at their record.
        self._entry_year = array("h")
        self._vocab: dict[str, int] = {}
        self._vocab_tokens: list[Token] = []
        self._postings: list[array[int]] = []
        self._keys: dict[str, list[int]] = {}
        self._initials: dict[str, list[int]] = {}
        self._documents: dict[str, list[int]] = {}
        self._skeleton_df: Counter[str] = Counter()
        self._folded_df: Counter[str] = Counter()
        for record in records:
            self._add(record)
        self._build_keys()
        self._common_df = max(COMMON_MIN_COUNT, len(self.records) // COMMON_PER_RECORDS)
        self._weights: dict[str, float] = {}
        self._vocab_weight = array("d", (self._entry_token_weight(t) for t in self._vocab_tokens))
        self._vocab_initial = bytes(t.is_initial for t in self._vocab_tokens)
        # Per entry, the sum of its tokens' weights: the bound's denominator, summed once
        # here in the order the bound used to sum it per candidate.
        self._entry_total = array("d")
        self._one_is_enough = self._entries_needing_one_hit(self._entry_total)
        self._sim_cache: SimCache = {}
        self._similar_cache: dict[str, list[tuple[int, float]]] = {}
        # Per query token (as _similar_cache): the entries of its similar vocabulary, kept
        # once a token comes back, within _ENTRY_CACHE_BUDGET entries in all.
        self._entry_cache: dict[str, set[int]] = {}
        self._entry_cache_seen: Counter[str] = Counter()
        self._one_hit_cache: dict[str, set[int]] = {}  # beside it (_one_hit_entries)
        self._entry_cache_size = 0

    # -- building ---------------------------------------------------------------------
    def _add(self, record: Record) -> None:
        record_idx = len(self.records)
        self.records.append(record)
        seen_skeletons: set[str] = set()
        seen_folded: set[str] = set()
        for name_idx, name in enumerate(record.names):
            tokens = normalise(name)
            if not tokens:
                continue
            entry = len(self._entry_record)
            self._entry_record.append(record_idx)
            self._entry_name.append(min(name_idx, 65535))
            self._entry_year.append(
                record.birth_date.year if record.birth_date is not None else _NO_YEAR
            )
            vocab_ids = [self._intern(t) for t in tokens]
            self._entry_vocab.extend(vocab_ids)
            self._entry_start.append(len(self._entry_vocab))
            for vocab_id in set(vocab_ids):
                self._postings[vocab_id].append(entry)
            seen_skeletons.update(t.skeleton for t in tokens)
            seen_folded.update(t.folded for t in tokens)
        self._skeleton_df.update(seen_skeletons)
        self._folded_df.update(seen_folded)
        if record.document_key:
            self._documents.setdefault(record.document_key, []).append(record_idx)

    def _intern(self, token: Token) -> int:
        # Similarity depends only on the folded form and the skeleton (which keeps the
        # sound of č/ć/đ that folding loses), so those two identify a vocabulary token.
        key = token.folded + "|" + token.skeleton
        vocab_id = self._vocab.get(key)
        if vocab_id is None:
            vocab_id = len(self._vocab_tokens)
            self._vocab[key] = vocab_id
            self._vocab_tokens.append(token)
            self._postings.append(array("I"))
        return vocab_id

    def _build_keys(self) -> None:
        for vocab_id, token in enumerate(self._vocab_tokens):
            if token.is_initial:
                # An initial is evidence, never a reason to look a record up on its own.
                self._initials.setdefault(token.folded, []).append(vocab_id)
                continue
            for key in blocking_keys(token):
                self._keys.setdefault(key, []).append(vocab_id)
            for key in consonant_keys(token, query=False):
                self._keys.setdefault(key, []).append(vocab_id)

    def _entries_needing_one_hit(self, totals: array[float]) -> frozenset[int]:
        """Entries with fewer than two full tokens, or with an initial that may pair up.

        The same pass appends each entry's weight total to ``totals``.
        """
        found = set()
        vocab, start, weight = self._entry_vocab, self._entry_start, self._vocab_weight
        initial = self._vocab_initial
        for entry in range(len(self._entry_record)):
            vocab_ids = vocab[start[entry] : start[entry + 1]]
            totals.append(sum(weight[v] for v in vocab_ids))
            full = sum(1 for v in vocab_ids if not initial[v])
            if full < 2 or full < len(vocab_ids):
                found.add(entry)
        return frozenset(found)

    def _entry_vocab_ids(self, entry: int) -> array[int]:
        return self._entry_vocab[self._entry_start[entry] : self._entry_start[entry + 1]]

    def __len__(self) -> int:
        return len(self.records)

    # -- weights ----------------------------------------------------------------------
    def weight(self, token: Token) -> float:
        """Inverse document frequency of the token's skeleton in this list, in [1, 2].

        Rare parts carry the identity ("Xhevat Ukshini"); common ones ("Ana", "García")
        tell little, so missing or matching them moves the score less.
        """
        found = self._weights.get(token.skeleton)
        if found is None:
            total = max(1, len(self.records))
            df = self._skeleton_df.get(token.skeleton, 0)
            # Scaled to [1, 2]: rarity should tip the balance, not let one rare surname
            # outvote a conflicting given name (siblings share surnames).
            idf = math.log((total + 1) / (df + 0.5)) / math.log(total + 2)
            found = 1.0 + max(0.0, min(1.0, idf))
            self._weights[token.skeleton] = found
        return found

    def _entry_token_weight(self, token: Token) -> float:
        # Watchlist entries carry no family-name hint, only the initial discount.
        return self.weight(token) * (INITIAL_WEIGHT if token.is_initial else 1.0)

    def is_common(self, token: Token) -> bool:
        """Whether the token is a frequent name in this list (not an initial)."""
        return not token.is_initial and self._folded_df.get(token.folded, 0) >= self._common_df

    # -- calibration (calibration.py) -------------------------------------------------
    def evidence(
        self,
        match: NameMatch,
        a: Record | None = None,
        b: Record | None = None,
        *,
        list_side: str = "right",
    ) -> calib.Evidence:
        """What this list says of an alignment: how common the aligned parts are on it and
        whether both names keep a part the other lacks. ``list_side``: which side of the
        alignment is the listed name (its parts' frequencies are read)."""
        total = len(self.records)
        frequencies: list[int] = []
        written: list[str] = []
        for pair in match.pairs:
            # A part met as a translation (Ivan = John) still narrows the namesakes to the
            # entries carrying the listed form: leaving it out counted every Petrov as one.
            if pair.kind == "initial":
                continue
            token = pair.right if list_side == "right" else pair.left
            frequencies.append(self._skeleton_df.get(token.skeleton, 0))
            written.append(token.raw)
        corroborated = calib.corroboration(a, b) if a is not None and b is not None else 0.0
        chance = calib.chance_of(total, frequencies, corroborated)
        left = [t.raw for t in match.unmatched_left if not t.is_initial]
        right = [t.raw for t in match.unmatched_right if not t.is_initial]
        conflict = bool(left and right)
        return calib.Evidence(
            chance=chance,
            conflict=conflict,
            corroborated=corroborated,
            common_parts=tuple(written),
            conflicting_parts=(" ".join(left), " ".join(right)) if conflict else (),
        )

    def _calibrated(self, raw: float, match: NameMatch, a: Record, b: Record) -> float:
        if self.calibration is None:
            return raw
        return self.calibration.apply(raw, self.evidence(match, a, b))[0]

    def score(self, a: Record, b: Record) -> Match:
        """``scoring.score`` with this list's rarity weights, then, when calibration is
        on, calibrated against it: ``b`` is taken as the listed record."""
        first, second, swapped = _orient(a, b)
        match, name_first, name_second = best_name_match(
            first, second, weigh=self.weight, common=self.is_common
        )
        result = finish_match(
            a, b, match, b.written(name_first if swapped else name_second), swapped=swapped
        )
        if self.calibration is None:
            return result
        evidence = self.evidence(match, a, b, list_side="left" if swapped else "right")
        value, note = self.calibration.apply(result.score, evidence)
        if not note:
            return result
        return Match(value, f"{result.explanation}; {note}".lstrip("; "), result.matched_name)

    # -- querying ---------------------------------------------------------------------
    @staticmethod
    def _similar_key(token: Token) -> str:
        # All that _similar_vocab reads of a token: "Petrovic" and "PETROVIC" share a key.
        return token.folded + "\x00" + token.skeleton + ("\x00i" if token.is_initial else "")

    def _similar_vocab(self, token: Token) -> list[tuple[int, float]]:
        """Vocabulary ids similar to ``token`` (via blocking keys) and the similarity."""
        cache_key = self._similar_key(token)
        found = self._similar_cache.get(cache_key)
        if found is not None:
            return found
        if token.is_initial:
            found = self._initial_vocab(token)
        else:
            ids: set[int] = set()
            for key in blocking_keys(token):
                ids.update(self._keys.get(key, ()))
            for key in consonant_keys(token, query=True):
                ids.update(self._keys.get(key, ()))
            # _similarity and token_similarity inlined (the same calls with the same
            # arguments): the query token's own commonness once, not per id.
            common, tokens = self.is_common(token), self._vocab_tokens
            folded_df, common_df = self._folded_df, self._common_df
            folded, skeleton, initial = token.folded, token.skeleton, token.is_initial
            found = []
            for v in ids:
                other = tokens[v]
                if other.folded == folded:
                    found.append((v, 1.0))
                    continue
                both_common = (
                    common and not other.is_initial and folded_df.get(other.folded, 0) >= common_df
                )
                sim = _form_similarity(
                    folded,
                    skeleton,
                    initial,
                    other.folded,
                    other.skeleton,
                    other.is_initial,
                    both_common,
                )[0]
                if sim > 0.0:
                    found.append((v, sim))
            for prefix in {token.folded[:1], token.folded[:2]}:
                found.extend((v, SIM_INITIAL) for v in self._initials.get(prefix, ()))
        if len(self._similar_cache) > _CACHE_LIMIT:
            self._similar_cache.clear()
        self._similar_cache[cache_key] = found
        return found

    def _initial_vocab(self, token: Token) -> list[tuple[int, float]]:
        # Rare path: an initial in the query pairs with every vocabulary token it starts.
        letter = token.folded
        return [
            (v, sim)
            for v, t in enumerate(self._vocab_tokens)
            if t.folded.startswith(letter) and (sim := self._similarity(token, v)) > 0.0
        ]

    def _similarity(self, token: Token, vocab_id: int) -> float:
        other = self._vocab_tokens[vocab_id]
        both_common = self.is_common(token) and self.is_common(other)
        return token_similarity(token, other, both_common=both_common)[0]

    def _scan_vocab(self, token: Token) -> list[tuple[int, float]]:
        """Like :meth:`_similar_vocab` but comparing with every vocabulary token."""
        return [
            (vocab_id, sim)
            for vocab_id in range(len(self._vocab_tokens))
            if (sim := self._similarity(token, vocab_id)) > 0.0
        ]

    def _prepare(self, record: Record, *, full_scan: bool = False) -> _Query:
        family = family_tokens(record)
        names = [(name, normalise(name)) for name in record.names]
        weights = [
            [
                self.weight(t)
                * (INITIAL_WEIGHT if t.is_initial else 1.0)
                * (FAMILY_WEIGHT if t.folded in family else 1.0)
                for t in tokens
            ]
            for _, tokens in names
        ]
        sims: list[dict[int, list[tuple[int, float]]]] = []
        entry_keys: list[list[str | None]] = []
        for _, tokens in names:
            by_vocab: dict[int, list[tuple[int, float]]] = {}
            keys: list[str | None] = []
            for i, token in enumerate(tokens):
                similar = self._scan_vocab(token) if full_scan else self._similar_vocab(token)
                shared = False
                for vocab_id, sim in similar:
                    found = by_vocab.get(vocab_id)
                    if found is None:
                        by_vocab[vocab_id] = [(i, sim)]
                    else:
                        found.append((i, sim))
                        shared = True
                keys.append(None if shared or full_scan else self._similar_key(token))
            sims.append(by_vocab)
            entry_keys.append(keys)
        totals = [sum(w) for w in weights]
        initials = [[t.is_initial for t in tokens] for _, tokens in names]
        return _Query(names, family, weights, sims, totals, initials, entry_keys)

    def _token_entries(self, key: str | None, token_idx: int, by_vocab: _ByVocab) -> set[int]:
        """Entries of the vocabulary similar to one query token; never to be modified.

        Built by the same updates in the same order whatever the cache holds, so the set
        (and its iteration order, which decides which of two tied spellings of a record is
        shown) is the same. ``key`` is None when an earlier token of the name shares a
        similar vocabulary token: its updates then come in another order, so it is built
        afresh and not cached.
        """
        if key is not None:
            cached = self._entry_cache.get(key)
            if cached is not None:
                return cached
        entries: set[int] = set()
        postings = self._postings
        for vocab_id, pairs in by_vocab.items():
            for i, _ in pairs:
                if i == token_idx:
                    entries.update(postings[vocab_id])
        if key is not None:
            seen = self._entry_cache_seen
            if len(seen) > _CACHE_LIMIT:
                seen.clear()
            seen[key] += 1
            if (
                seen[key] >= _ENTRY_CACHE_AFTER
                and self._entry_cache_size + len(entries) < _ENTRY_CACHE_BUDGET
            ):
                self._entry_cache[key] = entries
                self._entry_cache_size += max(1, len(entries))  # an empty set counts too
        return entries

    def _candidate_entries(self, query: _Query, record: Record, threshold: float) -> set[int]:
        """Entries sharing enough similar tokens with any spelling of ``record``."""
        need_two = threshold > SINGLE_HIT_MAX
        found: set[int] = set()
        for (_, tokens), by_vocab, keys in zip(
            query.names, query.sims, query.entry_keys, strict=True
        ):
            per_token = [self._token_entries(key, i, by_vocab) for i, key in enumerate(keys)]
            full = [s for s, t in zip(per_token, tokens, strict=True) if not t.is_initial]
            if not need_two or len(full) < 2 or len(full) < len(tokens):
                found.update(*per_token)
                continue
            for i, first in enumerate(full):  # here full is per_token: no initials
                found.update(self._one_hit_entries(first, keys[i]))
                for second in full[i + 1 :]:
                    found.update(first & second)
        if record.document_key:
            for record_idx in self._documents.get(record.document_key, ()):
                found.update(self._entries_of(record_idx))
        return found

    def _one_hit_entries(self, entries: set[int], key: str | None) -> set[int]:
        """``entries & self._one_is_enough``, kept beside a cached ``_token_entries`` set
        (the same set each time, so the same result, iterated the same way)."""
        found = self._one_hit_cache.get(key) if key is not None else None
        if found is None:
            found = entries & self._one_is_enough
            if (
                key is not None
                and self._entry_cache.get(key) is entries
                and self._entry_cache_size + len(found) < _ENTRY_CACHE_BUDGET
            ):
                self._one_hit_cache[key] = found
                self._entry_cache_size += max(1, len(found))
        return found

    def _entries_of(self, record_idx: int) -> Iterator[int]:
        # Rare path (document matches only): a linear scan of the entry array is fine.
        for entry, owner in enumerate(self._entry_record):
            if owner == record_idx:
                yield entry

    def query(self, record: Record, threshold: float = 0.8, limit: int | None = None) -> list[Hit]:
        """Watchlist records scoring at least ``threshold`` against ``record``, best first."""
        query = self._prepare(record)
        entries = self._candidate_entries(query, record, threshold)
        return self._score_entries(query, record, entries, threshold, limit)

    def query_exhaustive(
        self, record: Record, threshold: float = 0.8, limit: int | None = None
    ) -> list[Hit]:
        """Score every entry exactly, without blocking or bounds: the recall reference."""
        if len(self._sim_cache) > _CACHE_LIMIT:
            self._sim_cache.clear()
        query_family = family_tokens(record)
        best: dict[int, tuple[float, int, int]] = {}
        for name_idx, name in enumerate(record.names):
            tokens = normalise(name)
            for entry in range(len(self._entry_record)):
                record_idx = self._entry_record[entry]
                entry_tokens = tuple(self._vocab_tokens[v] for v in self._entry_vocab_ids(entry))
                match = align_names(
                    tokens,
                    entry_tokens,
                    left_family=query_family,
                    weigh=self.weight,
                    common=self.is_common,
                    cache=self._sim_cache,
                )
                value, _ = apply_evidence(
                    match.score, record, self.records[record_idx], explain=False
                )
                value = self._calibrated(value, match, record, self.records[record_idx])
                previous = best.get(record_idx)
                if value >= threshold and (previous is None or value > previous[0]):
                    best[record_idx] = (value, entry, name_idx)
        hits = [self._hit(record, name_idx, entry) for _, entry, name_idx in best.values()]
        return self._sorted(hits, threshold, limit)

    def query_reference(self, record: Record, threshold: float = 0.8) -> list[Hit]:
        """Blocking-free reference that is fast enough for a million names.

        Every vocabulary token is compared with every query token (no blocking keys), and
        every entry sharing at least one similar token is scored (no two-token rule). An
        entry sharing none has a name score of 0, and no other evidence lifts 0 above
        ``SINGLE_HIT_MAX``, so for thresholds above it this returns exactly what
        :meth:`query_exhaustive` returns (a test checks it on a small list).
        """
        query = self._prepare(record, full_scan=True)
        entries: set[int] = set()
        for by_vocab in query.sims:
            for vocab_id in by_vocab:
                entries.update(self._postings[vocab_id])
        if record.document_key:
            for record_idx in self._documents.get(record.document_key, ()):
                entries.update(self._entries_of(record_idx))
        return self._score_entries(query, record, entries, threshold, None)

    def _bound(self, query: _Query, name_idx: int, entry: int) -> float:
        """Name score of the greedy alignment, computed on ids and cached similarities.

        It is the exact name score except for the gender and initial-conflict caps, which
        only lower it: an upper bound, so skipping entries below the threshold is safe.
        The same sums in the same order as :func:`scoring.align_names`, on integers and
        precomputed weights (per-entry totals, per-name totals).
        """
        by_vocab = query.sims[name_idx]
        start, stop = self._entry_start[entry], self._entry_start[entry + 1]
        vocab_ids = self._entry_vocab[start:stop]
        pairs: list[tuple[float, int, int]] = []
        for j, vocab_id in enumerate(vocab_ids):
            found = by_vocab.get(vocab_id)
            if found is not None:
                for i, sim in found:
                    pairs.append((sim, -i, -j))
        if not pairs:
            return 0.0
        weights = query.weights[name_idx]
        vocab_weight = self._vocab_weight
        if len(pairs) == 1:  # the common case: one shared part, no alignment to choose
            sim, neg_i, neg_j = pairs[0]
            vocab_id = vocab_ids[-neg_j]
            initial = sim == SIM_INITIAL and (
                query.initials[name_idx][-neg_i] or self._vocab_initial[vocab_id]
            )
            return combine_name_score(
                (0.0 + sim * weights[-neg_i]) / query.totals[name_idx],
                (0.0 + sim * vocab_weight[vocab_id]) / self._entry_total[entry],
                len(weights),
                stop - start,
                0 if initial else 1,
                1,
            )
        pairs.sort(reverse=True)
        initials = query.initials[name_idx]
        used_i = used_j = 0  # bit sets of the aligned positions
        got_left = got_right = 0.0
        full_pairs = n_pairs = 0
        for sim, neg_i, neg_j in pairs:
            bit_i, bit_j = 1 << -neg_i, 1 << -neg_j
            if used_i & bit_i or used_j & bit_j:
                continue
            used_i |= bit_i
            used_j |= bit_j
            vocab_id = vocab_ids[-neg_j]
            got_left += sim * weights[-neg_i]
            got_right += sim * vocab_weight[vocab_id]
            n_pairs += 1
            if sim != SIM_INITIAL or not (initials[-neg_i] or self._vocab_initial[vocab_id]):
                full_pairs += 1
        return combine_name_score(
            got_left / query.totals[name_idx],
            got_right / self._entry_total[entry],
            len(weights),
            stop - start,
            full_pairs,
            n_pairs,
        )

    @staticmethod
    def _bound_floor(record: Record, threshold: float) -> float:
        """Least name score that any listed record could lift to ``threshold``.

        The best evidence a listed record can add to ``record`` is a matching document
        (if ``record`` has one), an exact birth date (if it has one; known only to the
        year or the month, at best a compatible one) and the same nationality (if it has
        one). Every step of ``apply_evidence`` is monotone and no listed record does
        better. So a bound below this floor rules an entry out
        before its record is looked at. The margin absorbs rounding: the floor is only
        ever lower than the exact one.
        """
        keep = 1.0  # best(score) = 1 - (1 - score) * keep
        if record.document_key:
            keep *= 1.0 - DOC_MATCH_PULL
        birth = record.birth_date
        if birth is not None:  # a date known to the day may match exactly, else at best fit
            full = birth.day is not None
            keep *= 1.0 - (max(DATE_PULL.values()) if full else DATE_PULL[DateEvidence.COMPATIBLE])
        if record.nationality:
            keep *= 1.0 - NATIONALITY_PULL
        return 1.0 - (1.0 - threshold + _FLOOR_MARGIN) / keep

    def _score_entries(
        self,
        query: _Query,
        record: Record,
        entries: Iterable[int],
        threshold: float,
        limit: int | None,
    ) -> list[Hit]:
        if len(self._sim_cache) > _CACHE_LIMIT:
            self._sim_cache.clear()
        best: dict[int, tuple[float, int, int, NameMatch]] = {}
        birth = record.birth_date
        dates_rule_out = birth is not None and threshold > DATE_CONFLICT_MAX
        floor = self._bound_floor(record, threshold)
        birth_year = birth.year if birth is not None else _NO_YEAR
        entry_record, records, bound = self._entry_record, self.records, self._bound
        years = self._entry_year
        n_names = len(query.names)
        for entry in entries:
            if dates_rule_out:
                year = years[entry]
                if year != birth_year and year != _NO_YEAR:  # born in another year
                    continue
            other: Record | None = None
            for name_idx in range(n_names):
                value = bound(query, name_idx, entry)
                if value < floor:  # no listed record's evidence could lift it
                    continue
                if other is None:
                    other = records[entry_record[entry]]
                    # Conflicting birth dates (same year) rule a namesake out.
                    if (
                        dates_rule_out
                        and other.birth_date is not None
                        and compare_dates(birth, other.birth_date) is DateEvidence.CONFLICT
                    ):
                        break
                if apply_evidence(value, record, other, explain=False)[0] < threshold:
                    continue
                value, match = self._exact(query, record, name_idx, entry)
                record_idx = entry_record[entry]
                previous = best.get(record_idx)
                if value >= threshold and (previous is None or value > previous[0]):
                    best[record_idx] = (value, entry, name_idx, match)
        hits = [
            self._hit(record, name_idx, entry, match) for _, entry, name_idx, match in best.values()
        ]
        return self._sorted(hits, threshold, limit)

    def _entry_tokens(self, entry: int) -> tuple[Token, ...]:
        """The entry's tokens as written in its own record (for explanations)."""
        record = self.records[self._entry_record[entry]]
        return normalise(record.names[self._entry_name[entry]])

    def _exact(
        self, query: _Query, record: Record, name_idx: int, entry: int
    ) -> tuple[float, NameMatch]:
        other = self.records[self._entry_record[entry]]
        match = align_names(
            query.names[name_idx][1],
            self._entry_tokens(entry),
            left_family=query.family,
            weigh=self.weight,
            common=self.is_common,
            cache=self._sim_cache,
        )
        raw = apply_evidence(match.score, record, other, explain=False)[0]
        return self._calibrated(raw, match, record, other), match

    def _hit(
        self, record: Record, name_idx: int, entry: int, match: NameMatch | None = None
    ) -> Hit:
        """Build the explanation only for hits: most candidates never need one.

        ``match``: the alignment ``_exact`` already made of this name and entry (the
        same inputs, so the same alignment), or None to align here."""
        other = self.records[self._entry_record[entry]]
        matched_name = other.written(other.names[self._entry_name[entry]])
        if match is None:
            match = align_names(
                normalise(record.names[name_idx]),
                self._entry_tokens(entry),
                left_family=family_tokens(record),
                weigh=self.weight,
                common=self.is_common,
                cache=self._sim_cache,
            )
        result = finish_match(record, other, match, matched_name)
        if self.calibration is None:
            return Hit(other, result.score, result.explanation, matched_name)
        value, note = self.calibration.apply(result.score, self.evidence(match, record, other))
        explanation = f"{result.explanation}; {note}" if note and result.explanation else note
        return Hit(other, value, explanation or result.explanation, matched_name)

    @staticmethod
    def _sorted(hits: list[Hit], threshold: float, limit: int | None) -> list[Hit]:
        hits = [hit for hit in hits if hit.score >= round(threshold, 6)]
        hits.sort(key=lambda hit: (-hit.score, hit.record.id))
        return hits[:limit] if limit is not None else hits
