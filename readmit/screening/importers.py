"""Parsing watchlist files into rows: CSV, FollowTheMoney JSON lines, the UN consolidated XML.

Pure Python (no Django): each parser reads the whole file and returns every row, or raises
one :class:`WatchlistFileError` naming the file, the line and the column or field, before
anything is stored. The service stores the rows as a new version in one transaction, so a
bad file never leaves a partial list behind.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import Locator

import pycountry
from defusedxml.common import DefusedXmlException
from defusedxml.sax import parseString as defused_parse_string

from readmit.core.errors import N_, ValidationFailed
from readmit.screening.adapter import normalise_date

FORMATS = ("csv", "ftm", "un_xml")
FORMAT_ALIASES = {"un-xml": "un_xml", "un": "un_xml", "xml": "un_xml", "jsonl": "ftm"}
CSV_REQUIRED = ("id", "name")
CSV_OPTIONAL = ("aliases", "birth_date", "nationality", "document_number")
# Codes ISO 3166-1 does not assign but lists use (see docs/design.md section 4).
USER_ASSIGNED = {"kosovo": "XK"}
_BRACKETS = re.compile(r"(.+?)\s*\((.+)\)")


class WatchlistFileError(ValidationFailed):
    """A file that cannot be imported; the message names file, line and column or field."""

    def __init__(self, filename: str, line: int | None, where: str, problem: str) -> None:
        place = f"line {line}" if line is not None else "file"
        message = f"{filename}, {place}, {where}: {problem}"
        loc: list[str | int] = [filename]
        if line is not None:
            loc.append(line)
        loc.append(where)
        super().__init__(message, errors=[{"loc": loc, "msg": problem}])
        self.filename = filename
        self.line = line
        self.where = where
        self.problem = problem


@dataclass(frozen=True)
class EntryRow:
    """One person of a list, ready to be stored as a ``WatchlistEntry``."""

    external_id: str
    name: str
    aliases: tuple[str, ...] = ()
    birth_date: str = ""
    nationality: str = ""
    document_number: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    line: int = 0


@dataclass(frozen=True)
class ParsedList:
    rows: list[EntryRow]
    skipped: int = 0
    notes: tuple[str, ...] = ()


def normalise_format(fmt: str) -> str:
    value = fmt.strip().lower()
    value = FORMAT_ALIASES.get(value, value)
    if value not in FORMATS:
        raise ValidationFailed(
            N_("Unknown watchlist format '%(format)s'; use csv, ftm or un-xml."),
            params={"format": fmt},
            errors=[{"loc": ["format"], "msg": N_("unknown format")}],
        )
    return value


def parse(data: bytes, *, fmt: str, filename: str) -> ParsedList:
    """Parse a whole file in one of :data:`FORMATS`."""
    parsers: dict[str, Callable[[bytes, str], ParsedList]] = {
        "csv": parse_csv,
        "ftm": parse_ftm,
        "un_xml": parse_un_xml,
    }
    return parsers[normalise_format(fmt)](data, filename)


# Shared checks ---------------------------------------------------------------------------


def _decode(data: bytes, filename: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise WatchlistFileError(
            filename, line, f"column {column}", "not UTF-8 text (save the file as UTF-8)"
        ) from None


def _date(value: str, filename: str, line: int, where: str) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        return normalise_date(value)
    except ValueError as exc:
        raise WatchlistFileError(filename, line, where, str(exc)) from None


def _unique(seen: dict[str, int], external_id: str, filename: str, line: int, where: str) -> None:
    first = seen.get(external_id)
    if first is not None:
        raise WatchlistFileError(
            filename, line, where, f"id '{external_id}' already used on line {first}"
        )
    seen[external_id] = line


def _dedupe(names: Iterable[str], *, besides: str = "") -> tuple[str, ...]:
    out: list[str] = []
    for name in names:
        cleaned = " ".join(name.split())
        if cleaned and cleaned != besides and cleaned not in out:
            out.append(cleaned)
    return tuple(out)


def country_code(text: str) -> str:
    """An ISO alpha-2 code for a country code or name; the text itself when unknown."""
    value = " ".join(text.split())
    if not value:
        return ""
    if value.lower() in USER_ASSIGNED:
        return USER_ASSIGNED[value.lower()]
    if len(value) in (2, 3) and value.isalpha() and value.upper() in {"XK", "XKX"}:
        return "XK"
    # The UN writes "Venezuela (Bolivarian Republic of)" where ISO has "Venezuela,
    # Bolivarian Republic of"; try both spellings and the short name before fuzzy search.
    bracketed = _BRACKETS.fullmatch(value)
    candidates = [value]
    if bracketed:
        candidates += [f"{bracketed[1]}, {bracketed[2]}", bracketed[1]]
    for candidate in candidates:
        try:
            return str(pycountry.countries.lookup(candidate).alpha_2)
        except LookupError:
            continue
    try:
        found = pycountry.countries.search_fuzzy(candidates[-1])
    except LookupError:
        return value
    return str(found[0].alpha_2) if len(found) == 1 else value


# CSV ------------------------------------------------------------------------------------


def parse_csv(data: bytes, filename: str) -> ParsedList:
    """docs/design.md section 6 WATCHLIST.csv: ``id,name`` required; aliases split on ``;``."""
    text = _decode(data, filename)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise WatchlistFileError(filename, 1, "header", "the file is empty") from None
    except csv.Error as exc:
        raise WatchlistFileError(filename, 1, "header", str(exc)) from None
    columns = [c.strip().lower() for c in header]
    for required in CSV_REQUIRED:
        if required not in columns:
            raise WatchlistFileError(
                filename,
                1,
                f"column '{required}'",
                f"required column missing (have: {', '.join(columns) or 'none'})",
            )
    rows: list[EntryRow] = []
    seen: dict[str, int] = {}
    try:
        for record in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(columns):
                raise WatchlistFileError(
                    filename,
                    line,
                    f"column {min(len(record), len(columns)) + 1}",
                    f"expected {len(columns)} fields, found {len(record)}",
                )
            values = dict(zip(columns, (c.strip() for c in record), strict=True))
            for required in CSV_REQUIRED:
                if not values[required]:
                    raise WatchlistFileError(filename, line, f"column '{required}'", "empty")
            _unique(seen, values["id"], filename, line, "column 'id'")
            name = " ".join(values["name"].split())
            extra = {k: v for k, v in values.items() if k not in CSV_REQUIRED + CSV_OPTIONAL and v}
            rows.append(
                EntryRow(
                    external_id=values["id"],
                    name=name,
                    aliases=_dedupe(values.get("aliases", "").split(";"), besides=name),
                    birth_date=_date(
                        values.get("birth_date", ""), filename, line, "column 'birth_date'"
                    ),
                    nationality=country_code(values.get("nationality", "")),
                    document_number=values.get("document_number", ""),
                    extra=extra,
                    line=line,
                )
            )
    except csv.Error as exc:
        raise WatchlistFileError(filename, reader.line_num, "row", str(exc)) from None
    return ParsedList(rows)


# FollowTheMoney / OpenSanctions ------------------------------------------------------------


def _strings(props: dict[str, Any], key: str, filename: str, line: int) -> list[str]:
    value = props.get(key, [])
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise WatchlistFileError(
            filename, line, f"field 'properties.{key}'", "must be a list of strings"
        )
    return [v.strip() for v in value if v.strip()]


def parse_ftm(data: bytes, filename: str) -> ParsedList:
    """One FollowTheMoney entity per line; ``Person`` entities become entries."""
    text = _decode(data, filename)
    rows: list[EntryRow] = []
    seen: dict[str, int] = {}
    skipped = 0
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            entity = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise WatchlistFileError(
                filename, line, f"column {exc.colno}", f"not JSON ({exc.msg})"
            ) from None
        if not isinstance(entity, dict):
            raise WatchlistFileError(filename, line, "entity", "each line must be a JSON object")
        schema = entity.get("schema")
        if not isinstance(schema, str) or not schema:
            raise WatchlistFileError(filename, line, "field 'schema'", "missing")
        if schema != "Person":
            skipped += 1
            continue
        external_id = entity.get("id")
        if not isinstance(external_id, str) or not external_id.strip():
            raise WatchlistFileError(filename, line, "field 'id'", "missing")
        external_id = external_id.strip()
        _unique(seen, external_id, filename, line, "field 'id'")
        props = entity.get("properties", {})
        if not isinstance(props, dict):
            raise WatchlistFileError(filename, line, "field 'properties'", "must be an object")
        names = _strings(props, "name", filename, line)
        caption = entity.get("caption")
        name = names[0] if names else (caption.strip() if isinstance(caption, str) else "")
        if not name:
            raise WatchlistFileError(
                filename, line, "field 'properties.name'", "a Person needs a name or caption"
            )
        name = " ".join(name.split())
        aliases = _dedupe(
            [
                *names[1:],
                *_strings(props, "alias", filename, line),
                *_strings(props, "previousName", filename, line),
            ],
            besides=name,
        )
        dates = [
            _date(d[:10], filename, line, "field 'properties.birthDate'")
            for d in _strings(props, "birthDate", filename, line)
        ]
        nationalities = _dedupe(
            country_code(c)
            for c in [
                *_strings(props, "nationality", filename, line),
                *_strings(props, "citizenship", filename, line),
            ]
        )
        documents = _dedupe(
            [
                *_strings(props, "passportNumber", filename, line),
                *_strings(props, "idNumber", filename, line),
            ]
        )
        extra: dict[str, Any] = {"schema": schema}
        if len(dates) > 1:
            extra["birth_dates"] = dates
        if len(nationalities) > 1:
            extra["nationalities"] = list(nationalities)
        if len(documents) > 1:
            extra["documents"] = list(documents)
        weak = _strings(props, "weakAlias", filename, line)
        if weak:
            extra["weak_aliases"] = weak
        if isinstance(entity.get("datasets"), list):
            extra["datasets"] = [str(d) for d in entity["datasets"]]
        rows.append(
            EntryRow(
                external_id=external_id,
                name=name,
                aliases=aliases,
                birth_date=dates[0] if dates else "",
                nationality=nationalities[0] if nationalities else "",
                document_number=documents[0] if documents else "",
                extra=extra,
                line=line,
            )
        )
    notes = (f"{skipped} entities that are not people skipped",) if skipped else ()
    return ParsedList(rows, skipped=skipped, notes=notes)


# UN Security Council consolidated list ---------------------------------------------------


@dataclass
class _Element:
    tag: str
    line: int
    text: str = ""
    children: list[_Element] = field(default_factory=list)

    def find(self, tag: str) -> _Element | None:
        for child in self.children:
            if child.tag == tag:
                return child
        return None

    def findall(self, tag: str) -> Iterator[_Element]:
        return (child for child in self.children if child.tag == tag)

    def value(self, tag: str) -> str:
        found = self.find(tag)
        return " ".join(found.text.split()) if found is not None else ""


class _TreeBuilder(ContentHandler):
    """A tiny tree that remembers each element's line, for error messages."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[_Element] = []
        self.root: _Element | None = None
        self._locator: Locator | None = None

    def setDocumentLocator(self, locator: Locator) -> None:  # SAX API name
        self._locator = locator

    def startElement(self, name: str, attrs: Any) -> None:  # SAX API name
        line = (self._locator.getLineNumber() or 0) if self._locator is not None else 0
        element = _Element(name.upper(), line)
        if self.stack:
            self.stack[-1].children.append(element)
        else:
            self.root = element
        self.stack.append(element)

    def endElement(self, name: str) -> None:  # SAX API name
        self.stack.pop()

    def characters(self, content: str) -> None:
        if self.stack:
            self.stack[-1].text += content


_YEAR = re.compile(r"\d{4}")


def _un_dates(individual: _Element, filename: str) -> list[str]:
    dates: list[str] = []
    for dob in individual.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        date_text = dob.value("DATE")
        year_text = dob.value("YEAR")
        if date_text:
            dates.append(
                _date(date_text[:10], filename, dob.line, "field 'INDIVIDUAL_DATE_OF_BIRTH/DATE'")
            )
        elif year_text:
            if not _YEAR.fullmatch(year_text):
                raise WatchlistFileError(
                    filename,
                    dob.line,
                    "field 'INDIVIDUAL_DATE_OF_BIRTH/YEAR'",
                    f"{year_text!r} is not a year",
                )
            dates.append(year_text)
    return list(_dedupe(dates))


def parse_un_xml(data: bytes, filename: str) -> ParsedList:
    """``CONSOLIDATED_LIST/INDIVIDUALS/INDIVIDUAL``; entities (organisations) are skipped."""
    handler = _TreeBuilder()
    try:
        defused_parse_string(data, handler, forbid_dtd=True)
    except SAXParseException as exc:
        raise WatchlistFileError(
            filename,
            exc.getLineNumber(),
            f"column {(exc.getColumnNumber() or 0) + 1}",
            f"not well-formed XML ({exc.getMessage()})",
        ) from None
    except DefusedXmlException as exc:
        raise WatchlistFileError(
            filename, None, "document", f"refused XML construct ({exc})"
        ) from None
    root = handler.root
    if root is None:
        raise WatchlistFileError(filename, 1, "document", "no XML element")
    individuals = root.find("INDIVIDUALS")
    if individuals is None:
        raise WatchlistFileError(
            filename, root.line, "element 'INDIVIDUALS'", f"missing under <{root.tag}>"
        )
    entities = root.find("ENTITIES")
    skipped = len(list(entities.findall("ENTITY"))) if entities is not None else 0
    rows: list[EntryRow] = []
    seen: dict[str, int] = {}
    for individual in individuals.findall("INDIVIDUAL"):
        line = individual.line
        external_id = individual.value("DATAID") or individual.value("REFERENCE_NUMBER")
        if not external_id:
            raise WatchlistFileError(
                filename, line, "field 'DATAID'", "missing (and no REFERENCE_NUMBER)"
            )
        _unique(seen, external_id, filename, line, "field 'DATAID'")
        parts = [
            individual.value(t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
        ]
        name = " ".join(p for p in parts if p)
        if not name:
            raise WatchlistFileError(filename, line, "field 'FIRST_NAME'", "missing")
        aliases = _dedupe(
            [a.value("ALIAS_NAME") for a in individual.findall("INDIVIDUAL_ALIAS")]
            + [individual.value("NAME_ORIGINAL_SCRIPT")],
            besides=name,
        )
        dates = _un_dates(individual, filename)
        nationalities = _dedupe(
            country_code(v.text)
            for n in individual.findall("NATIONALITY")
            for v in n.findall("VALUE")
        )
        documents = _dedupe(d.value("NUMBER") for d in individual.findall("INDIVIDUAL_DOCUMENT"))
        extra: dict[str, Any] = {}
        for key, tag in (
            ("reference_number", "REFERENCE_NUMBER"),
            ("list_type", "UN_LIST_TYPE"),
            ("listed_on", "LISTED_ON"),
        ):
            if individual.value(tag):
                extra[key] = individual.value(tag)
        if len(dates) > 1:
            extra["birth_dates"] = dates
        if len(nationalities) > 1:
            extra["nationalities"] = list(nationalities)
        if len(documents) > 1:
            extra["documents"] = list(documents)
        rows.append(
            EntryRow(
                external_id=external_id,
                name=name,
                aliases=aliases,
                birth_date=dates[0] if dates else "",
                nationality=nationalities[0] if nationalities else "",
                document_number=documents[0] if documents else "",
                extra=extra,
                line=line,
            )
        )
    notes = (f"{skipped} entities that are not people skipped",) if skipped else ()
    return ParsedList(rows, skipped=skipped, notes=notes)
