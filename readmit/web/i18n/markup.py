"""Which sentences of a template are not marked for translation, and marking them.

A template is read with Django's own lexer; the tags and variables become opaque marks, the
HTML around them is walked, and each run of text between two HTML or template tags that holds
a letter must sit inside ``{% translate %}`` or ``{% blocktranslate %}``. The user-visible
attributes (``aria-label``, ``title``, ``placeholder``, ``alt``) and the literal arguments of
``default`` and ``firstof`` count as sentences too. ``mark`` wraps what ``unmarked`` finds
(``python manage.py i18n_mark``): a starting point for a new template, to be read over.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.template.base import Lexer, Token, TokenType

# Words that stay as they are in every language: the product's name.
BRANDS = frozenset({"Readmit"})
VISIBLE_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
_OPAQUE_BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans",
                  "comment": "endcomment", "verbatim": "endverbatim"}  # fmt: skip
_BASE = 0xE000  # private-use characters stand for template tokens
_LETTER = re.compile(r"[^\W\d_]")
_TAG = re.compile(r"<!--.*?-->|<(script|style|code|pre|kbd|samp)\b.*?</\1\s*>|<[^>]*>", re.S | re.I)
_ATTR = re.compile(r"""(\s(?:""" + "|".join(VISIBLE_ATTRIBUTES) + r""")=)(["'])(.*?)\2""", re.S)
_LITERAL_ARG = re.compile(r"""(\|default(?:_if_none)?:)(["'])([^"']*)\2""")
_FIRSTOF_LITERAL = re.compile(r"""(?<=\s)(["'])([^"']*)\1""")
_MARK = re.compile("[\ue000-\uf8ff]")
_BRANDS = re.compile(r"\b(?:" + "|".join(BRANDS) + r")\b")


@dataclass(frozen=True)
class Finding:
    line: int
    text: str


def _has_words(text: str) -> bool:
    words = _LETTER.findall(re.sub(r"&[a-zA-Z]+;|&#\d+;", "", text))
    if not words:
        return False
    return bool(_BRANDS.sub("", text).strip(" .,:;()-·—"))


def _flatten(source: str) -> tuple[str, list[Token]]:
    """The source with every template token (and all inside an opaque block) as one mark."""
    tokens = Lexer(source).tokenize()
    out: list[str] = []
    closing = ""
    for index, token in enumerate(tokens):
        if closing:
            out.append(chr(_BASE + index))
            if token.token_type == TokenType.BLOCK and token.contents.split()[:1] == [closing]:
                closing = ""
            continue
        if token.token_type == TokenType.TEXT:
            out.append(token.contents)
            continue
        out.append(chr(_BASE + index))
        if token.token_type == TokenType.BLOCK:
            closing = _OPAQUE_BLOCKS.get(token.contents.split()[0], "")
    return "".join(out), tokens


def _pieces(run: str, tokens: list[Token]) -> Iterator[tuple[int, int]]:
    """Spans of a text run between block tags: text and variables that read as one."""
    start = 0
    for match in _MARK.finditer(run):
        token = tokens[ord(match.group()) - _BASE]
        if token.token_type != TokenType.VAR:
            yield start, match.start()
            start = match.end()
    yield start, len(run)


def _words_of(piece: str) -> str:
    return _MARK.sub(" ", piece)


def _runs(flat: str) -> Iterator[tuple[int, int, bool]]:
    """(start, end, is_attribute) of every run of visible text in the flattened source."""
    position = 0
    for tag in _TAG.finditer(flat):
        yield position, tag.start(), False
        if not tag.group(1):
            for attr in _ATTR.finditer(tag.group()):
                yield tag.start() + attr.start(3), tag.start() + attr.end(3), True
        position = tag.end()
    yield position, len(flat), False


def _line(flat: str, offset: int, tokens: list[Token]) -> int:
    line = 1
    for char in flat[:offset]:
        if char == "\n":
            line += 1
        elif _BASE <= ord(char) < _BASE + len(tokens):
            line += tokens[ord(char) - _BASE].contents.count("\n")
    return line


def unmarked(source: str) -> list[Finding]:
    """Every visible sentence of ``source`` left outside the translation tags."""
    flat, tokens = _flatten(source)
    found: list[Finding] = []
    for start, end, _attribute in _runs(flat):
        run = flat[start:end]
        for a, b in _pieces(run, tokens):
            text = _words_of(run[a:b]).strip()
            if _has_words(text):
                found.append(Finding(_line(flat, start + a, tokens), " ".join(text.split())))
    for char in set(_MARK.findall(flat)):
        token = tokens[ord(char) - _BASE]
        for literal in _literals(token):
            found.append(Finding(token.lineno or 0, literal))
    return sorted(found, key=lambda f: f.line)


def _literals(token: Token) -> list[str]:
    if token.token_type == TokenType.VAR:
        return [m.group(3) for m in _LITERAL_ARG.finditer(token.contents) if _has_words(m[3])]
    if token.token_type == TokenType.BLOCK and token.contents.startswith("firstof "):
        return [m.group(2) for m in _FIRSTOF_LITERAL.finditer(token.contents) if _has_words(m[2])]
    return []


def _alias(expression: str, taken: dict[str, str]) -> str:
    base = expression.split("|")[0].split(".")[-1]
    base = re.sub(r"\W", "_", base) or "value"
    name, n = base, 1
    while name in taken and taken[name] != expression:
        n += 1
        name = f"{base}{n}"
    taken[name] = expression
    return name


def _wrap(piece: str, tokens: list[Token]) -> str:
    words = _words_of(piece)
    if not _has_words(words.strip()):
        return _restore(piece, tokens)
    lead = piece[: len(piece) - len(piece.lstrip())]
    trail = piece[len(piece.rstrip()) :]
    body = " ".join(piece.strip().split())
    if not _MARK.search(body):
        quote = '"' if '"' not in body else "'"
        if quote not in body:
            return f"{lead}{{% translate {quote}{body}{quote} %}}{trail}"
    taken: dict[str, str] = {}
    parts: list[str] = []
    for chunk in re.split(f"({_MARK.pattern})", body):
        if _MARK.fullmatch(chunk or "x"):
            expression = tokens[ord(chunk) - _BASE].contents.strip()
            if re.fullmatch(r"\w+", expression):
                taken[expression] = expression
                parts.append(f"{{{{ {expression} }}}}")
            else:
                parts.append(f"{{{{ {_alias(expression, taken)} }}}}")
        else:
            parts.append(chunk)
    withs = " ".join(f"{k}={v}" for k, v in taken.items() if k != v)
    head = f"{{% blocktranslate with {withs} %}}" if withs else "{% blocktranslate %}"
    return f"{lead}{head}{''.join(parts)}{{% endblocktranslate %}}{trail}"


def _restore(text: str, tokens: list[Token]) -> str:
    return _MARK.sub(lambda m: _source(tokens[ord(m.group()) - _BASE]), text)


def _source(token: Token) -> str:
    if token.token_type == TokenType.TEXT:
        return token.contents
    if token.token_type == TokenType.VAR:
        contents = _LITERAL_ARG.sub(
            lambda m: f'{m[1]}_("{m[3]}")' if _has_words(m[3]) else m[0], token.contents
        )
        return f"{{{{ {contents} }}}}"
    if token.token_type == TokenType.COMMENT:
        return f"{{# {token.contents} #}}"
    contents = token.contents
    if contents.startswith("firstof "):
        contents = _FIRSTOF_LITERAL.sub(
            lambda m: f'_("{m[2]}")' if _has_words(m[2]) else m[0], contents
        )
    return f"{{% {contents} %}}"


def mark(source: str) -> str:
    """``source`` with each unmarked sentence wrapped (``{% load i18n %}`` added once)."""
    flat, tokens = _flatten(source)
    out: list[str] = []
    position = 0
    for start, end, _attribute in _runs(flat):
        out.append(_restore(flat[position:start], tokens))
        run = flat[start:end]
        cursor = 0
        for a, b in _pieces(run, tokens):
            out.append(_restore(run[cursor:a], tokens))
            out.append(_wrap(run[a:b], tokens))
            cursor = b
        out.append(_restore(run[cursor:], tokens))
        position = end
    out.append(_restore(flat[position:], tokens))
    text = "".join(out)
    if "{% load i18n" not in text and "{% translate" in text + source:
        if text.startswith("{% extends"):
            first, _, rest = text.partition("\n")
            text = f"{first}\n{{% load i18n %}}\n{rest}"
        else:
            text = "{% load i18n %}\n" + text
    return text
