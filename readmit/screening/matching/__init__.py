"""Pure-Python name matching for screening (no Django: it runs in the CLI, tasks, clusters).

Public API::

    from readmit.screening.matching import Record, Index, score, normalise, fold
    hits = Index(watchlist).query(Record("L1", "Jovan Petrović"), threshold=0.8)
"""

from __future__ import annotations

from readmit.core.documents import normalise_document
from readmit.screening.matching.index import Hit, Index
from readmit.screening.matching.normalise import Token, fold, folded_name, normalise, skeleton
from readmit.screening.matching.records import (
    DateEvidence,
    PartialDate,
    Record,
    compare_dates,
    parse_partial_date,
)
from readmit.screening.matching.scoring import Match, is_gender_pair, score, token_similarity

__all__ = [
    "DateEvidence",
    "Hit",
    "Index",
    "Match",
    "PartialDate",
    "Record",
    "Token",
    "compare_dates",
    "fold",
    "folded_name",
    "is_gender_pair",
    "normalise",
    "normalise_document",
    "parse_partial_date",
    "score",
    "skeleton",
    "token_similarity",
]
