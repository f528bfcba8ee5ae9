"""What text and dates every input accepts, pure Python: the API's input schemas and the web
forms both ask here, so the two refuse the same things.

Text: no NUL and no other control character (Unicode category Cc) except tab, line feed and
carriage return. Dates: from 1900-01-01 to ten years after today; a field whose meaning is
narrower (a birth date, a date that must not be in the future) is checked by its service.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

# Cc minus \t \n \r: C0 controls, DEL and the C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The same as a JSON-schema (ECMA-262) pattern, for the OpenAPI document.
TEXT_PATTERN = "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$"
TEXT_MESSAGE = "control characters (such as NUL) are not allowed"
EARLIEST = dt.date(1900, 1, 1)
YEARS_AHEAD = 10


def declare_text_pattern(schema: dict[str, Any]) -> None:
    """Declare the text rule on every free-text string of an input schema's document."""
    for prop in schema.get("properties", {}).values():
        for variant in [prop, *prop.get("anyOf", [])]:
            if variant.get("type") == "string" and not (
                {"format", "enum", "const", "pattern"} & variant.keys()
            ):
                variant["pattern"] = TEXT_PATTERN


def has_control(text: str) -> bool:
    return _CONTROL.search(text) is not None


def bad_text(value: Any, path: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    """The path of every string (keys included) with a control character, in nested data."""
    if isinstance(value, str):
        if has_control(value):
            yield path
    elif isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str) and has_control(key):
                yield (*path, key)
            yield from bad_text(item, (*path, key))
    elif isinstance(value, Sequence) and not isinstance(value, bytes | bytearray):
        for index, item in enumerate(value):
            yield from bad_text(item, (*path, index))


def latest(today: dt.date) -> dt.date:
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


def date_problem(value: dt.date | dt.datetime, today: dt.date) -> str | None:
    """Why a date is outside the sane range, or None."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if day < EARLIEST:
        return f"must be on or after {EARLIEST.isoformat()}"
    if day > latest(today):
        return f"must be no later than {latest(today).isoformat()} (ten years from today)"
    return None
