"""Envelope encryption of the most sensitive fields, and blind indexes (no Django).

Each stored value gets its own random 256-bit *data key*; the value is encrypted with
AES-256-GCM under it, and the data key is *wrapped* (AES-256-GCM again) under a
*key-encryption key* (KEK) from the environment. Both encryptions take the value's
*context* as associated data (the table, the column and the row id), so a ciphertext
copied to another row or column does not decrypt. A sealed value is one line of text::

    rdm1:<kek id>:<wrapped data key, base64>:<encrypted value, base64>

Rotation re-wraps the data key under the newest KEK and leaves the encrypted value as it
is (:func:`rewrap`). A *blind index* is an HMAC-SHA256 of a normalised value under a
separate key, so equal values can be found without decrypting anything
(:func:`blind_index`). See docs/adr/0012-field-encryption.md.
"""

from __future__ import annotations

import base64
import functools
import hmac
import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from hashlib import sha256
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "rdm1"
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_NONCE = 12


class KeyConfigError(Exception):
    """The keys are missing or malformed (a configuration error: refuse to start)."""


class DecryptionFailed(Exception):
    """A sealed value does not open: a wrong or missing key, or a value that was altered or
    moved to another row. Never answered with a default: the caller must see it."""


@dataclass(frozen=True)
class Keyring:
    """The KEKs by id (``current`` wraps new data keys) and the blind-index key, with the
    blind-index keys it replaces (still tried by lookups until ``readmit keys rotate
    --blind-index`` has recomputed every index under ``index_key``)."""

    keys: Mapping[str, bytes]
    current: str
    index_key: bytes
    previous_index_keys: tuple[bytes, ...] = ()

    def kek(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError:
            raise DecryptionFailed(
                f"data key wrapped under key {key_id!r}, which READMIT_DATA_KEYS does not hold"
            ) from None


def _hex_key(text: str, what: str) -> bytes:
    try:
        raw = bytes.fromhex(text.strip())
    except ValueError:
        raise KeyConfigError(f"{what}: not hexadecimal") from None
    if len(raw) != 32:
        raise KeyConfigError(f"{what}: must be 32 bytes (64 hex digits), got {len(raw)}")
    return raw


def parse_keyring(data_keys: str, index_key: str, previous_index_keys: str = "") -> Keyring:
    """``data_keys``: ``id:hex[,id:hex...]``, the newest (current) first; ``index_key``: hex;
    ``previous_index_keys``: ``hex[,hex...]``, the blind-index keys ``index_key`` replaces.

    Older keys stay listed until ``readmit keys rotate`` (``--blind-index`` for the index
    keys) has re-wrapped every data key (recomputed every index).
    """
    keys: dict[str, bytes] = {}
    order: list[str] = []
    for item in (part.strip() for part in data_keys.split(",")):
        if not item:
            continue
        key_id, sep, hexkey = item.partition(":")
        if not sep or not _KEY_ID.match(key_id):
            raise KeyConfigError(
                f"READMIT_DATA_KEYS: {item[:8]!r}... is not 'id:64 hex digits' "
                "(id: letters, digits, - and _)"
            )
        if key_id in keys:
            raise KeyConfigError(f"READMIT_DATA_KEYS: key id {key_id!r} is listed twice")
        keys[key_id] = _hex_key(hexkey, f"READMIT_DATA_KEYS {key_id}")
        order.append(key_id)
    if not order:
        raise KeyConfigError(
            "READMIT_DATA_KEYS is empty: at least one 'id:64 hex digits' is needed"
        )
    index = _hex_key(index_key, "READMIT_BLIND_INDEX_KEY")
    if index in keys.values():
        raise KeyConfigError("READMIT_BLIND_INDEX_KEY must differ from every data key")
    previous: list[bytes] = []
    for n, item in enumerate(p for p in previous_index_keys.split(",") if p.strip()):
        old = _hex_key(item, f"READMIT_BLIND_INDEX_PREVIOUS_KEYS #{n + 1}")
        if old == index or old in keys.values() or old in previous:
            raise KeyConfigError(
                f"READMIT_BLIND_INDEX_PREVIOUS_KEYS #{n + 1} must differ from "
                "READMIT_BLIND_INDEX_KEY, every data key and every other previous key"
            )
        previous.append(old)
    return Keyring(
        keys=keys, current=order[0], index_key=index, previous_index_keys=tuple(previous)
    )


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def _aad(context: str, key_id: str = "") -> bytes:
    return f"readmit|{context}|{key_id}".encode()


def is_sealed(text: object) -> bool:
    return isinstance(text, str) and text.startswith(PREFIX + ":")


def _split(sealed: str) -> tuple[str, bytes, bytes]:
    parts = sealed.split(":")
    if len(parts) != 4 or parts[0] != PREFIX:
        raise DecryptionFailed("not a sealed value")
    try:
        return parts[1], _unb64(parts[2]), _unb64(parts[3])
    except ValueError:
        raise DecryptionFailed("a sealed value is not valid base64") from None


def seal(value: Any, *, context: str, keyring: Keyring) -> str:
    """Encrypt a JSON-serialisable ``value`` for the row and column named by ``context``."""
    plaintext = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
    data_key = AESGCM.generate_key(bit_length=256)
    nonce = os.urandom(_NONCE)
    body = nonce + AESGCM(data_key).encrypt(nonce, plaintext, _aad(context))
    return f"{PREFIX}:{keyring.current}:{_wrap(data_key, keyring.current, context, keyring)}:" + (
        _b64(body)
    )


@functools.lru_cache(maxsize=16)
def _kek_cipher(kek: bytes) -> AESGCM:
    """One AES-GCM object per key-encryption key, made once: it holds no state between
    calls (each call takes its own nonce), so every seal and open shares it."""
    return AESGCM(kek)


def _wrap(data_key: bytes, key_id: str, context: str, keyring: Keyring) -> str:
    nonce = os.urandom(_NONCE)
    return _b64(
        nonce + _kek_cipher(keyring.kek(key_id)).encrypt(nonce, data_key, _aad(context, key_id))
    )


def _unwrap(key_id: str, wrapped: bytes, context: str, keyring: Keyring) -> bytes:
    try:
        return _kek_cipher(keyring.kek(key_id)).decrypt(
            wrapped[:_NONCE], wrapped[_NONCE:], _aad(context, key_id)
        )
    except InvalidTag:
        raise DecryptionFailed(
            f"the data key of {context} does not unwrap under key {key_id!r}: a wrong key, "
            "or a value altered or moved from another row"
        ) from None


def open_sealed(sealed: str, *, context: str, keyring: Keyring) -> Any:
    """The value :func:`seal` encrypted; :class:`DecryptionFailed` if it does not open."""
    key_id, wrapped, body = _split(sealed)
    data_key = _unwrap(key_id, wrapped, context, keyring)
    try:
        plaintext = AESGCM(data_key).decrypt(body[:_NONCE], body[_NONCE:], _aad(context))
    except InvalidTag:
        raise DecryptionFailed(f"the value of {context} was altered") from None
    return json.loads(plaintext)


def key_id_of(sealed: str) -> str:
    return _split(sealed)[0]


def rewrap(sealed: str, *, context: str, keyring: Keyring) -> str:
    """The same encrypted value with its data key wrapped under the current KEK (unchanged
    if it already is). The value itself is not decrypted."""
    key_id, wrapped, body = _split(sealed)
    if key_id == keyring.current:
        return sealed
    data_key = _unwrap(key_id, wrapped, context, keyring)
    return f"{PREFIX}:{keyring.current}:{_wrap(data_key, keyring.current, context, keyring)}:" + (
        _b64(body)
    )


def blind_index(value: str, *, purpose: str, keyring: Keyring) -> str:
    """HMAC-SHA256 (hex) of an already normalised ``value``; ``purpose`` separates the
    indexes of different fields, so equal text in two fields gives different tags."""
    return _hmac(keyring.index_key, value, purpose)


def blind_indexes(value: str, *, purpose: str, keyring: Keyring) -> list[str]:
    """The blind index of ``value`` under the current key, then under each previous key:
    what a lookup must try while ``readmit keys rotate --blind-index`` has not finished."""
    return [_hmac(key, value, purpose) for key in (keyring.index_key, *keyring.previous_index_keys)]


def _hmac(key: bytes, value: str, purpose: str) -> str:
    return hmac.new(key, f"{purpose}|{value}".encode(), sha256).hexdigest()
