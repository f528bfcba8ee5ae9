"""The letters' wording, one TOML file per language in ``letters/`` (pure: no Django).

Each file holds every sentence of every letter in its language, reviewed in one place; the
templates hold none. A file that lacks a letter, a label or a sentence another language has
fails at import (and in tests), so no language is shipped half-written.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

LETTERS_DIR = Path(__file__).with_name("letters")
# The order of the language list on the case page: English first, then the people's.
LANGUAGE_ORDER = ("en", "es", "ht", "fr", "ar", "bn", "cnr")
LETTER_KINDS = (
    "selected",
    "declined",
    "readmission_accepted",
    "readmission_rejected",
    "transfer_notice",
    "reception_stay",
)
LETTER_NAMES: Mapping[str, str] = {
    "selected": "Decision: selected",
    "declined": "Decision: declined",
    "readmission_accepted": "Decision: readmission accepted",
    "readmission_rejected": "Decision: readmission rejected",
    "transfer_notice": "Transfer notice",
    "reception_stay": "Reception-stay notice",
}
LABELS = ("to", "case", "date", "agreement", "receiving", "issued_by", "reason", "footer")
# Sentences that a letter has only when the agreement sets the number they quote.
OPTIONAL = {"transfer_notice": "notice_period", "reception_stay": "max_stay"}


class WordingError(ValueError):
    """A language file is incomplete or malformed."""


@dataclass(frozen=True)
class LetterText:
    title: str
    body: tuple[str, ...]
    optional: str = ""


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself
    english_name: str
    direction: str  # "ltr" or "rtl"
    labels: Mapping[str, str]
    letters: Mapping[str, LetterText]

    @property
    def display(self) -> str:
        """How the language is offered in a list: its own name, and the English one."""
        if self.name == self.english_name:
            return self.name
        return f"{self.name} ({self.english_name})"


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise WordingError(f"{where}: '{key}' is missing or empty")
    return value


def _language(path: Path) -> Language:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    where = path.name
    code = _text(data, "code", where)
    if code != path.stem:
        raise WordingError(f"{where}: code '{code}' differs from the file name")
    direction = _text(data, "direction", where)
    if direction not in {"ltr", "rtl"}:
        raise WordingError(f"{where}: direction must be ltr or rtl")
    labels = {key: _text(data.get("labels", {}), key, f"{where} [labels]") for key in LABELS}
    letters: dict[str, LetterText] = {}
    for kind in LETTER_KINDS:
        section = data.get("letters", {}).get(kind)
        if not isinstance(section, dict):
            raise WordingError(f"{where}: letter '{kind}' is missing")
        body = section.get("body")
        if not isinstance(body, list) or not body or not all(isinstance(s, str) for s in body):
            raise WordingError(f"{where} [letters.{kind}]: 'body' is a list of sentences")
        optional = OPTIONAL.get(kind)
        letters[kind] = LetterText(
            title=_text(section, "title", f"{where} [letters.{kind}]"),
            body=tuple(body),
            optional=_text(section, optional, f"{where} [letters.{kind}]") if optional else "",
        )
    return Language(
        code=code,
        name=_text(data, "name", where),
        english_name=_text(data, "english_name", where),
        direction=direction,
        labels=labels,
        letters=letters,
    )


@cache
def languages() -> Mapping[str, Language]:
    """Every shipped language, in ``LANGUAGE_ORDER``; each file read and checked once."""
    found = {path.stem for path in LETTERS_DIR.glob("*.toml")}
    if found != set(LANGUAGE_ORDER):
        raise WordingError(
            f"letters/ holds {sorted(found)}, the language order names {sorted(LANGUAGE_ORDER)}"
        )
    return {code: _language(LETTERS_DIR / f"{code}.toml") for code in LANGUAGE_ORDER}


def language_choices() -> list[tuple[str, str]]:
    """``(code, name)`` for a list of languages by name (the code is never typed)."""
    return [(code, lang.display) for code, lang in languages().items()]


def default_language(candidates: list[str]) -> str:
    """The first of the person's languages (or the notice language) a letter exists in;
    English otherwise."""
    shipped = languages()
    for code in candidates:
        cleaned = code.strip().lower()
        if cleaned in shipped:
            return cleaned
    return "en"
