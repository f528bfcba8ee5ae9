"""The interface catalogues (``locale/<lang>/LC_MESSAGES/django.po``): read, checked, and the
Cyrillic ones produced from the Latin ones.

``python -m readmit.web.i18n.catalogues cyrillic`` rewrites ``sr`` from ``sr_Latn`` and
``cnr_Cyrl`` from ``cnr`` (``make messages`` runs it between ``makemessages`` and
``compilemessages``). The reader is small on purpose: the catalogues are written by
``makemessages`` in one shape, and the test of the catalogues reads them with it.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from readmit.core.cyrillic import to_cyrillic

LOCALE_DIR = Path(__file__).resolve().parents[3] / "locale"
# Cyrillic catalogue <- the Latin catalogue it is transliterated from.
CYRILLIC_FROM_LATIN = {"sr": "sr_Latn", "cnr_Cyrl": "cnr"}
# Catalogues written by hand (the others are produced from these).
WRITTEN = ("cnr", "sq", "sr_Latn", "it")


@dataclass
class Entry:
    msgid: str
    msgstr: list[str]
    msgid_plural: str = ""
    msgctxt: str | None = None
    flags: set[str] = field(default_factory=set)
    comments: list[str] = field(default_factory=list)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        return all(self.msgstr) and bool(self.msgstr)


def _unquote(line: str) -> str:
    return str(ast.literal_eval(line))


def read(path: Path) -> tuple[Entry, list[Entry]]:
    """The header entry and the messages of a ``.po`` file (obsolete ``#~`` ones skipped)."""
    entries: list[Entry] = []
    current: Entry | None = None
    key = ""
    comments: list[str] = []
    flags: set[str] = set()

    def finish() -> None:
        nonlocal current
        if current is not None:
            entries.append(current)
        current = None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            finish()
            if line.startswith("#,"):
                flags |= {f.strip() for f in line[2:].split(",")}
            comments.append(raw)
            continue
        if line.startswith('"'):
            text = _unquote(line)
            assert current is not None, f"{path}: a string outside an entry: {raw}"
            if key == "msgid":
                current.msgid += text
            elif key == "msgid_plural":
                current.msgid_plural += text
            elif key == "msgctxt":
                current.msgctxt = (current.msgctxt or "") + text
            else:
                index = int(key[7:-1]) if key.startswith("msgstr[") else 0
                current.msgstr[index] += text
            continue
        word, _, rest = line.partition(" ")
        if word == "msgctxt" or (word == "msgid" and key != "msgctxt"):
            finish()
        if current is None:
            current = Entry(msgid="", msgstr=[], flags=flags, comments=comments)
            flags, comments = set(), []
        key = word
        text = _unquote(rest)
        if word == "msgid":
            current.msgid = text
        elif word == "msgid_plural":
            current.msgid_plural = text
        elif word == "msgctxt":
            current.msgctxt = text
        else:
            index = int(word[7:-1]) if word.startswith("msgstr[") else 0
            while len(current.msgstr) <= index:
                current.msgstr.append("")
            current.msgstr[index] = text
    finish()
    header = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    return header, [e for e in entries if e is not header]


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped.replace(chr(9), chr(92) + "t")}"'


def _lines(keyword: str, text: str) -> list[str]:
    if "\n" not in text[:-1]:
        return [f"{keyword} {_quote(text)}"]
    parts = text.splitlines(keepends=True)
    return [f'{keyword} ""'] + [_quote(p) for p in parts]


def write(path: Path, header: Entry, entries: list[Entry]) -> None:
    out: list[str] = []
    for entry in [header, *entries]:
        out.extend(entry.comments)
        if entry.msgctxt is not None:
            out.extend(_lines("msgctxt", entry.msgctxt))
        out.extend(_lines("msgid", entry.msgid))
        if entry.msgid_plural:
            out.extend(_lines("msgid_plural", entry.msgid_plural))
            for index, text in enumerate(entry.msgstr):
                out.extend(_lines(f"msgstr[{index}]", text))
        else:
            out.extend(_lines("msgstr", entry.msgstr[0] if entry.msgstr else ""))
        out.append("")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out), encoding="utf-8")


def cyrillic(header: Entry, entries: list[Entry], language: str) -> tuple[Entry, list[Entry]]:
    """The Latin catalogue with every translation transliterated (the ids stay English)."""
    head = Entry(
        msgid="",
        msgstr=[
            header.msgstr[0]
            .replace("Language: sr_Latn", f"Language: {language}")
            .replace("Language: cnr", f"Language: {language}")
        ],
        comments=[
            "# Produced from the Latin catalogue by readmit.web.i18n.catalogues: do not edit."
        ],
        flags=set(header.flags),
    )
    out = [
        Entry(
            msgid=e.msgid,
            msgstr=[to_cyrillic(s) for s in e.msgstr],
            msgid_plural=e.msgid_plural,
            msgctxt=e.msgctxt,
            flags=set(e.flags),
            comments=list(e.comments),
        )
        for e in entries
    ]
    return head, out


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


_STRING = r"u?'(?:[^'\\]|\\.)*'" + r'|u?"(?:[^"\\]|\\.)*"'
_CALL = re.compile(rf"(?<![\w.])(n?gettext|_)\(((?:{_STRING})(?:, (?:{_STRING}))?)")
# ``N_``: the no-op marker of the pure cores (readmit.core.errors; makemessages --keyword=N_).
_PY_SINGULAR = {"_", "gettext", "gettext_lazy", "gettext_noop", "N_"}
_PY_PLURAL = {"ngettext", "ngettext_lazy"}


def template_messages(source: str) -> set[str]:
    """The message ids ``makemessages`` takes from a template (plural entries by singular)."""
    from django.utils.translation.template import templatize

    found: set[str] = set()
    for match in _CALL.finditer(templatize(source)):
        args = ast.literal_eval(f"({match.group(2)},)")
        found.add(str(args[0]))
    return found


def python_messages(source: str) -> set[str]:
    """The message ids of ``_()``, ``gettext_lazy()``, ``ngettext()`` ... calls in Python."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = getattr(node.func, "id", getattr(node.func, "attr", ""))
        first = node.args[0]
        if (
            name in _PY_SINGULAR | _PY_PLURAL
            and isinstance(first, ast.Constant)
            and isinstance(first.value, str)
        ):
            found.add(first.value)
    return found


def marked_messages(root: Path) -> set[str]:
    """Every message the code marks: the templates and the Python of ``readmit``."""
    found: set[str] = set()
    for path in sorted(root.rglob("*.html")):
        found |= template_messages(path.read_text(encoding="utf-8"))
    for path in sorted(root.rglob("*.py")):
        if "migrations" not in path.parts:
            found |= python_messages(path.read_text(encoding="utf-8"))
    return found


def untranslated(languages: tuple[str, ...] = WRITTEN) -> dict[str, list[Entry]]:
    """The entries of each written catalogue that still need a translation (or are fuzzy)."""
    out: dict[str, list[Entry]] = {}
    for language in languages:
        _header, entries = read(po_path(language))
        out[language] = [e for e in entries if e.fuzzy or not e.translated]
    return out


TODO_FILE = LOCALE_DIR / "untranslated.tsv"


def write_todo(missing: dict[str, list[Entry]]) -> int:
    """``locale/untranslated.tsv``: one row per message id, one column per written language,
    each cell a JSON string (a JSON list of forms for a plural); fill it, then ``fill``."""
    ids: dict[str, Entry] = {}
    for entries in missing.values():
        for entry in entries:
            ids.setdefault(entry.msgid, entry)
    if not ids:
        TODO_FILE.unlink(missing_ok=True)
        return 0
    rows = ["\t".join(["msgid", *WRITTEN])]
    for msgid, entry in ids.items():
        empty: object = [""] * (3 if entry.msgid_plural else 1) if entry.msgid_plural else ""
        rows.append(
            "\t".join([json.dumps(msgid, ensure_ascii=False)] + [json.dumps(empty)] * len(WRITTEN))
        )
    TODO_FILE.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return len(ids)


def fill(todo: Path) -> int:
    """Copy the translations of a filled ``untranslated.tsv`` into the written catalogues."""
    lines = todo.read_text(encoding="utf-8").splitlines()
    columns = lines[0].split("\t")[1:]
    table = {}
    for line in lines[1:]:
        cells = [json.loads(c) for c in line.split("\t")]
        table[cells[0]] = dict(zip(columns, cells[1:], strict=True))
    done = 0
    for language in columns:
        header, entries = read(po_path(language))
        for entry in entries:
            given = table.get(entry.msgid, {}).get(language)
            if not given:
                continue
            forms = given if isinstance(given, list) else [given]
            if all(forms):
                entry.msgstr = list(forms)
                entry.flags.discard("fuzzy")
                # The flags and the previous id of a fuzzy match go: the entry is translated.
                entry.comments = [c for c in entry.comments if not c.startswith(("#,", "#|"))]
                if entry.flags:
                    entry.comments.append("#, " + ", ".join(sorted(entry.flags)))
                done += 1
        write(po_path(language), header, entries)
    return done


USAGE = "usage: python -m readmit.web.i18n.catalogues cyrillic | django | untranslated | fill FILE"


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "cyrillic":
        for target, source in CYRILLIC_FROM_LATIN.items():
            header, entries = read(po_path(source))
            write(po_path(target), *cyrillic(header, entries, target))
            print(f"{po_path(target)}: {len(entries)} messages from {source}")
        return 0
    if command == "django":
        from readmit.web.i18n.django_messages import merged

        header, entries = read(po_path("cnr"))
        out = merged(entries)
        write(po_path("cnr"), header, out)
        print(f"{po_path('cnr')}: {len(out) - len(entries)} of Django's own messages added")
        return 0
    if command == "untranslated":
        count = write_todo(untranslated())
        if count:
            print(f"{count} messages need translating: fill {TODO_FILE}, then run")
            print(f"  python -m readmit.web.i18n.catalogues fill {TODO_FILE} && make messages")
        else:
            print("Every message of every catalogue is translated.")
        return 0
    if command == "fill" and len(argv) == 3:
        print(f"{fill(Path(argv[2]))} translations copied into the catalogues.")
        return 0
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
