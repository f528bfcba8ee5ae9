"""Hash-chain arithmetic, pure Python: what a row's hash is, and where a chain breaks."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
CHAINED_FIELDS = (
    "seq",
    "occurred_at",
    "event_type",
    "actor_id",
    "actor_username",
    "organisation_id",
    "agreement_id",
    "case_id",
    "object_type",
    "object_id",
    "data",
    "prev_hash",
)


def row_hash(row: Mapping[str, Any]) -> str:
    """SHA-256 over a canonical JSON of the chained fields (sorted keys, no spaces)."""
    payload = {name: row[name] for name in CHAINED_FIELDS}
    blob = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Break:
    seq: int | None
    reason: str


def find_break(rows: Iterable[Mapping[str, Any]], head_seq: int, head_hash: str) -> Break | None:
    """The first row (in sequence order) where the chain does not hold, or ``None``."""
    prev_hash = GENESIS
    expected_seq = 1
    for row in rows:
        seq = int(row["seq"])
        if seq != expected_seq:
            return Break(expected_seq, f"row #{expected_seq} is missing (next row is #{seq})")
        if row["prev_hash"] != prev_hash:
            return Break(seq, f"row #{seq} does not follow row #{seq - 1} (previous hash differs)")
        if row_hash(row) != row["hash"]:
            return Break(seq, f"row #{seq} was altered (its content does not match its hash)")
        prev_hash = str(row["hash"])
        expected_seq += 1
    last = expected_seq - 1
    if last != head_seq or prev_hash != (head_hash if head_seq else GENESIS):
        return Break(
            last + 1 if last < head_seq else last,
            f"the log ends at row #{last} but the head records row #{head_seq}: "
            "rows were deleted from the end or the head was altered",
        )
    return None
