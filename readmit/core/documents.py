"""How a document number is written for comparison: pure, no Django.

One rule for the screening core (matching by document) and the blind index of the sealed
document numbers (``readmit.core.sealed``): equal numbers must normalise the same way in both.
"""

from __future__ import annotations

import re

_DOC_STRIP = re.compile(r"[^0-9A-Z]")


def normalise_document(number: str | None) -> str | None:
    """Upper-case letters and digits only: ``ab 123-456`` and ``AB123456`` are one document."""
    if not number:
        return None
    cleaned = _DOC_STRIP.sub("", number.upper())
    return cleaned or None
