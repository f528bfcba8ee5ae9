"""Search keys of names and how a typed query meets them: pure, no Django.

Every name part is reduced with the screening fold (``readmit.screening.matching``): the
*folded* form (diacritics dropped, Cyrillic read as Latin, apostrophes gone), its
*skeleton* (Albanian, Serbian, Spanish and French spellings of one sound) and, where one
side is written in an abjad (Arabic, Hebrew), the *consonant* key both scripts share.
Spanish particles are dropped, hyphens separate parts like spaces, and the order of the
words does not matter: every word typed must meet some part of one of the person's names.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from readmit.screening.matching import normalise
from readmit.screening.matching.scripts import abjad_key, consonant_key

# How well one typed word meets one name part, best first.
EXACT = "same letters"
SOUND = "sounds alike"
SCRIPT = "same consonants in another script"
PREFIX = "starts with"
SCORES: dict[str, float] = {EXACT: 1.0, SOUND: 0.85, SCRIPT: 0.8, PREFIX: 0.7}
# The tiers the database is asked in turn: the best matches first.
TIERS: tuple[tuple[str, ...], ...] = (
    (EXACT,),
    (EXACT, SOUND, SCRIPT),
    (EXACT, SOUND, SCRIPT, PREFIX),
)
# Where a name comes from, as the person's record says it.
PRIMARY = "name"
LATIN = "latin"
KEY_MAX = 100  # characters kept of a key (the model's column length)


@dataclass(frozen=True, slots=True)
class Term:
    """One name part of a person: as written (for the explanation) and its keys."""

    raw: str
    folded: str
    skeleton: str
    consonants: str
    abjad: bool
    source: str


@dataclass(frozen=True, slots=True)
class Meeting:
    """One typed word met by one name part."""

    word: str
    part: str
    how: str
    source: str

    @property
    def score(self) -> float:
        return SCORES[self.how]


def terms_of(raw: str, source: str) -> list[Term]:
    """The terms of one name (any script) recorded as ``source``."""
    out: list[Term] = []
    for token in normalise(raw):
        abjad = abjad_key(token.raw)
        consonants = abjad[1:] if abjad else consonant_key(token.folded)
        out.append(
            Term(
                raw=token.raw,
                folded=token.folded[:KEY_MAX],
                skeleton=token.skeleton[:KEY_MAX],
                consonants=consonants[:KEY_MAX],
                abjad=abjad is not None,
                source=source,
            )
        )
    return out


def person_terms(names: Iterable[tuple[str, str]]) -> list[Term]:
    """Every distinct term of a person's names, given as ``(source, full name)`` pairs."""
    seen: set[tuple[str, str, str, bool, str]] = set()
    out: list[Term] = []
    for source, name in names:
        for term in terms_of(name, source):
            key = (term.folded, term.skeleton, term.consonants, term.abjad, term.source)
            if key not in seen:
                seen.add(key)
                out.append(term)
    return out


def query_terms(query: str) -> list[Term]:
    """The words of a typed query, each with its keys (order kept for the explanation)."""
    return terms_of(query, "query")


def meets(word: Term, part: Term) -> str | None:
    """How ``word`` (typed) meets ``part`` (of a name), or ``None``; the best way first."""
    if word.folded == part.folded:
        return EXACT
    if word.skeleton == part.skeleton and not (word.abjad or part.abjad):
        return SOUND
    if (word.abjad or part.abjad) and word.consonants and word.consonants == part.consonants:
        return SCRIPT
    if len(word.folded) >= 2 and part.folded.startswith(word.folded):
        return PREFIX
    return None


def _script(text: str) -> str:
    letter = next((ch for ch in text if ch.isalpha()), "")
    return unicodedata.name(letter, "").split(" ")[0] if letter else ""


def _same_script(word: Term, part: Term) -> bool:
    return _script(word.raw) == _script(part.raw)


def rank(words: Sequence[Term], parts: Sequence[Term]) -> tuple[float, list[Meeting]]:
    """Score in [0, 1] of a person's name parts for the typed words, and why; 0 if any word
    meets no part. Each word takes its best part; the score is the mean of the words'."""
    if not words:
        return 0.0, []
    found: list[Meeting] = []
    for word in words:
        best: Meeting | None = None
        for part in parts:
            how = meets(word, part)
            if how is None or (best is not None and SCORES[how] < best.score):
                continue
            if best is not None and SCORES[how] == best.score and not _same_script(word, part):
                continue  # of two equal meetings, name the part in the script typed
            best = Meeting(word=word.raw, part=part.raw, how=how, source=part.source)
        if best is None:
            return 0.0, []
        found.append(best)
    return sum(m.score for m in found) / len(found), found
