"""The one place where Django rows meet the pure matching core.

It imports no Django at run time (models only for type checking), so the file parsers can
use it too.

People and watchlist entries become ``matching.Record`` values; the core's ``Hit`` becomes a
:class:`Found`. If the core's API shifts, only this module changes.

A ``Record`` carries one nationality and one document number, while a person may have
several of each and a list entry several birth dates: we expand such a row into a few
records with the same id and keep the best hit per id, so every piece of evidence counts.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from readmit.screening.matching import DateEvidence as _DateEvidence
from readmit.screening.matching import (
    Index,
    PartialDate,
    Record,
    compare_dates,
    parse_partial_date,
)
from readmit.screening.matching import normalise_document as _normalise_document

if TYPE_CHECKING:
    from readmit.cases.models import Person
    from readmit.screening.models import WatchlistEntry

__all__ = [
    "Found",
    "Index",
    "Record",
    "birth_dates_compatible",
    "build_index",
    "entry_records",
    "normalise_date",
    "normalise_document",
    "person_birth_date",
    "person_records",
    "query",
    "unscreenable_reason",
]

# A person with three passports and two nationalities is six records; more would only slow
# the query down without adding evidence.
MAX_VARIANTS = 8


@dataclass(frozen=True)
class Found:
    """A watchlist entry (or another person) matching a query, in our terms."""

    target_id: str
    score: float
    explanation: str
    matched_name: str


def _partial(text: str) -> PartialDate | None:
    try:
        return parse_partial_date(text) if text else None
    except ValueError:
        return None


def _variants(
    base: dict[str, object],
    nationalities: Sequence[str | None],
    documents: Sequence[str | None],
    dates: Sequence[PartialDate | None],
) -> list[Record]:
    combos = itertools.islice(
        itertools.product(nationalities or [None], documents or [None], dates or [None]),
        MAX_VARIANTS,
    )
    return [
        Record(**base, nationality=n, document_number=d, birth_date=b)  # type: ignore[arg-type]
        for n, d, b in combos
    ]


def person_birth_date(person: Person) -> PartialDate | None:
    if person.birth_year is None:
        return None
    return PartialDate(person.birth_year, person.birth_month, person.birth_day)


def _join(*parts: str) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


def person_names(person: Person) -> list[str]:
    """Every spelling we hold: as written, the Latin form, aliases and other scripts."""
    names = [
        _join(person.given_names, person.family_name),
        _join(person.given_names_latin, person.family_name_latin or person.family_name),
        *(_join(n.given_names, n.family_name) for n in person.other_names.all()),
    ]
    out: list[str] = []
    for name in names:
        if name and name not in out:
            out.append(name)
    return out


def person_records(person: Person) -> list[Record]:
    """A person as query records (prefetch ``other_names``, ``nationalities``, ``documents``)."""
    names = person_names(person)
    if not names:
        return []
    base: dict[str, object] = {
        "id": str(person.id),
        "name": names[0],
        "aliases": tuple(names[1:]),
        "given_names": person.given_names or person.given_names_latin or None,
        "family_name": person.family_name or person.family_name_latin or None,
    }
    nationalities = [c.code for c in person.nationalities.all()]
    documents = [d.number for d in person.documents.all() if not d.flagged_false]
    return _variants(base, nationalities, documents, [person_birth_date(person)])


def unscreenable_reason(records: Sequence[Record]) -> str | None:
    """Why a person's names cannot be screened (every script unread, or no name), or None.

    Such a person is *not screenable*: a run that finds nothing for them has not cleared
    them, and the criterion must read ``unknown``.
    """
    if not records:
        return "no name"
    return records[0].unscreenable_reason()  # every variant carries the same names


def entry_records(entry: WatchlistEntry) -> list[Record]:
    """A list entry as records; only code-like nationalities are given to the core."""
    extra = entry.extra or {}
    nationalities = [
        n
        for n in (extra.get("nationalities") or [entry.nationality])
        if isinstance(n, str) and 2 <= len(n) <= 3 and n.isalpha()
    ]
    documents = [d for d in (extra.get("documents") or [entry.document_number]) if d]
    dates = [_partial(d) for d in (extra.get("birth_dates") or [entry.birth_date])]
    base: dict[str, object] = {
        "id": str(entry.id),
        "name": entry.name,
        "aliases": tuple(a for a in entry.aliases if isinstance(a, str) and a),
    }
    return _variants(base, nationalities, documents, [d for d in dates if d] or [None])


def build_index(records: Iterable[Record]) -> Index:
    return Index(records)


def query(index: Index, records: Iterable[Record], *, threshold: float) -> list[Found]:
    """Best hit per target id over every variant of the query, best first."""
    best: dict[str, Found] = {}
    for record in records:
        for hit in index.query(record, threshold=threshold):
            target = hit.record.id
            if target not in best or hit.score > best[target].score:
                best[target] = Found(target, hit.score, hit.explanation, hit.matched_name)
    return sorted(best.values(), key=lambda f: (-f.score, f.target_id))


def birth_dates_compatible(a: PartialDate | None, b: PartialDate | None) -> bool:
    """Known on both sides and not conflicting (exact, partial agreement, or swapped)."""
    evidence = compare_dates(a, b)
    return evidence not in (_DateEvidence.UNKNOWN, _DateEvidence.CONFLICT)


def normalise_document(number: str) -> str:
    return _normalise_document(number) or ""


def normalise_date(text: str) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` as the core reads it; ``ValueError`` if not."""
    return str(parse_partial_date(text))
