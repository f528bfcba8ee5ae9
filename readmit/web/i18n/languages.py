"""Language names instead of codes, and the language of a person's name (one home each).

``language_name("cnr")`` is "Montenegrin", ``language_name("ht")`` "Haitian Creole", in the
reader's interface language where pycountry's ISO 639 catalogues have the name (they do for
Serbian, Albanian and Italian); a code nobody knows is shown as it is.
"""

from __future__ import annotations

import gettext
import unicodedata
from functools import cache

import pycountry
from django.conf.locale import LANG_INFO
from django.utils import translation

# The interface languages Django does not know (settings.LANGUAGES), added to its LANG_INFO.
EXTRA_LANG_INFO = {
    "cnr": {"bidi": False, "code": "cnr", "name": "Montenegrin", "name_local": "crnogorski"},
    "cnr-cyrl": {
        "bidi": False,
        "code": "cnr-cyrl",
        "name": "Montenegrin (Cyrillic)",
        "name_local": "црногорски",
    },
}

# Where pycountry's English name is not the one people use.
_ENGLISH = {"ht": "Haitian Creole", "cnr": "Montenegrin", "el": "Greek", "ne": "Nepali"}
# The pycountry catalogue that names languages for each interface language.
_CATALOGUE = {"cnr": "sr@latin", "cnr-cyrl": "sr", "sr-latn": "sr@latin", "sr": "sr"}
# The script each language is usually written in, for ``name_language``.
_SCRIPT = {
    "ar": "ARABIC", "fa": "ARABIC", "ur": "ARABIC", "ps": "ARABIC", "bn": "BENGALI",
    "ru": "CYRILLIC", "uk": "CYRILLIC", "bg": "CYRILLIC", "mk": "CYRILLIC", "be": "CYRILLIC",
    "el": "GREEK", "he": "HEBREW", "hi": "DEVANAGARI", "ka": "GEORGIAN", "hy": "ARMENIAN",
    "zh": "CJK", "ja": "CJK", "ko": "HANGUL", "th": "THAI",
}  # fmt: skip
_BOTH_SCRIPTS = {"sr": ("LATIN", "CYRILLIC"), "cnr": ("LATIN", "CYRILLIC")}


def install_lang_info() -> None:
    """Tell Django the languages it has no entry for (called once, when the web app loads)."""
    for code, info in EXTRA_LANG_INFO.items():
        LANG_INFO.setdefault(code, info)


@cache
def _record(code: str) -> object | None:
    key = code.split("-")[0].lower()
    try:
        if len(key) == 2:
            return pycountry.languages.get(alpha_2=key)
        if len(key) == 3:
            return pycountry.languages.get(alpha_3=key)
    except LookupError:
        return None
    return None


@cache
def _catalogue(interface: str) -> gettext.NullTranslations:
    locale = _CATALOGUE.get(interface, interface.split("-")[0])
    return gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=[locale], fallback=True)


def language_name(code: str, interface: str | None = None) -> str:
    """The name of the language ``code`` (ISO 639-1 or 639-3), in the interface language."""
    code = (code or "").strip()
    record = _record(code)
    if record is None:
        return _ENGLISH.get(code.lower(), code)
    english = str(getattr(record, "name", code))
    interface = interface or translation.get_language() or "en"
    if interface != "en":
        local = _catalogue(interface).gettext(english)
        if local != english:
            return local[:1].upper() + local[1:]
    return _ENGLISH.get(code.lower(), english)


def script_of(text: str) -> str:
    """The script of the first letter of ``text`` (``LATIN``, ``CYRILLIC``, ``ARABIC`` ...)."""
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "")
            if name.startswith("CJK") or name.startswith(("HIRAGANA", "KATAKANA")):
                return "CJK"
            return name.split(" ")[0]
    return ""


def name_language(name: str, languages: list[str] | tuple[str, ...] = ()) -> str:
    """The language of a written name, where known: the first of the person's languages
    written in the name's script (``""`` when none is, or the languages are not shared)."""
    script = script_of(name)
    for code in languages or ():
        base = str(code).split("-")[0].lower()
        if script in _BOTH_SCRIPTS.get(base, (_SCRIPT.get(base, "LATIN"),)):
            return base
    return ""
