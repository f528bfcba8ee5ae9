"""Signed checkpoints of the audit chain's head (Ed25519), without Django.

A checkpoint says "on ``signed_at`` the chain ended at row ``seq`` whose hash was ``hash``",
signed with the deployment's audit key. Each party downloads the checkpoints and keeps them
outside our database; a rewrite of the whole chain (every row and hash recomputed
consistently, which ``find_break`` cannot see) no longer matches a checkpoint taken before it.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

FORMAT = "readmit-audit-checkpoints/1"
_CONTEXT = b"readmit-audit-checkpoint/1\n"


class SigningKeyError(ValueError):
    """The configured signing key is missing or malformed."""


def load_private_key(text: str) -> Ed25519PrivateKey:
    """The 32-byte Ed25519 seed, as 64 hex digits or base64 (``openssl rand -hex 32``)."""
    text = text.strip()
    if not text:
        raise SigningKeyError("READMIT_AUDIT_SIGNING_KEY is not set")
    raw: bytes
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise SigningKeyError("READMIT_AUDIT_SIGNING_KEY is neither hex nor base64") from None
    if len(raw) != 32:
        raise SigningKeyError(f"READMIT_AUDIT_SIGNING_KEY must be 32 bytes, not {len(raw)}")
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_hex(key: Ed25519PrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        .hex()
    )


def payload(seq: int, head_hash: str, signed_at: str) -> bytes:
    return _CONTEXT + f"{seq}\n{head_hash}\n{signed_at}".encode("ascii")


def sign(key: Ed25519PrivateKey, seq: int, head_hash: str, signed_at: str) -> str:
    return key.sign(payload(seq, head_hash, signed_at)).hex()


def signature_valid(checkpoint: Mapping[str, Any]) -> bool:
    try:
        public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(str(checkpoint["public_key"])))
        public.verify(
            bytes.fromhex(str(checkpoint["signature"])),
            payload(int(checkpoint["seq"]), str(checkpoint["hash"]), str(checkpoint["signed_at"])),
        )
    except (InvalidSignature, ValueError, KeyError, TypeError):
        return False
    return True


@dataclass(frozen=True)
class Mismatch:
    index: int
    seq: int | None
    signed_at: str
    reason: str

    def describe(self) -> str:
        return (
            f"checkpoint {self.index + 1} (row #{self.seq}, signed {self.signed_at}): {self.reason}"
        )


def check_checkpoints(
    checkpoints: Iterable[Mapping[str, Any]],
    hash_at: Callable[[int], str | None],
    *,
    trusted_keys: frozenset[str] | None = None,
) -> tuple[int, Mismatch | None]:
    """(checkpoints checked, the first that fails or None).

    Each must carry a valid signature (by one of ``trusted_keys`` when given), and the log's
    row at its ``seq`` must still have its ``hash`` (``hash_at`` answers None for a missing
    row). Sequence 0 is the empty chain and always holds.
    """
    count = 0
    for index, checkpoint in enumerate(checkpoints):
        count += 1
        try:
            seq = int(checkpoint["seq"])
            signed_at = str(checkpoint["signed_at"])
        except (KeyError, TypeError, ValueError):
            return count, Mismatch(index, None, "?", "malformed (needs seq, hash, signed_at)")
        if trusted_keys is not None and checkpoint.get("public_key") not in trusted_keys:
            return count, Mismatch(index, seq, signed_at, "signed by an untrusted key")
        if not signature_valid(checkpoint):
            return count, Mismatch(index, seq, signed_at, "its signature is not valid")
        if seq == 0:
            continue
        found = hash_at(seq)
        if found is None:
            return count, Mismatch(index, seq, signed_at, f"row #{seq} no longer exists")
        if found != checkpoint["hash"]:
            return count, Mismatch(
                index,
                seq,
                signed_at,
                f"row #{seq} now has another hash: the chain was rewritten after it was signed",
            )
    return count, None
