"""Proposal lists as data: parse CSV / XLSX, map rows to the API's JSON shape, validate.

Pure Python (no Django): the web upload, the API and the CLI share one validator. A CSV or
XLSX row is first mapped into the JSON person of the exchange contract (DESIGN.md §7), then
``validate_people`` checks every person and answers typed rows plus one error per bad field:
``{"row", "field", "message", "loc", "msg"}``. ``row`` is the line number in the file (the
header is line 1, so the first person is row 2, as a spreadsheet shows it) for uploads, and
the 0-based index into ``people`` for JSON; ``loc``/``msg`` carry the same for the API's
problem documents.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from readmit.core.countries import normalise_code

CSV_COLUMNS: tuple[str, ...] = (
    "external_id",
    "given_names",
    "family_name",
    "birth_date",
    "sex",
    "nationalities",
    "document_type",
    "document_number",
    "document_country",
    "convictions",
    "pending_criminal_case",
    "vulnerabilities",
    "family_group",
)
REQUIRED_COLUMNS: frozenset[str] = frozenset({"external_id", "given_names", "family_name"})

SEXES: frozenset[str] = frozenset({"F", "M", "X", "U"})
DOCUMENT_TYPES: frozenset[str] = frozenset(
    {
        "passport",
        "id_card",
        "emergency_travel_document",
        "eu_travel_document",
        "birth_certificate",
        "driving_licence",
        "other",
    }
)
# The words a list may use for vulnerabilities; the exclusion rules read these.
VULNERABILITIES: frozenset[str] = frozenset(
    {
        "pregnant",
        "unaccompanied_minor",
        "medical",
        "disability",
        "mental_health",
        "trafficking_victim",
        "torture_survivor",
        "elderly",
        "single_parent",
    }
)
UNKNOWN = "unknown"
MAX_ROWS = 10_000
MAX_TEXT = 200
MAX_ID = 80

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class ListFormatError(ValueError):
    """The file itself cannot be read as a list (not the rows in it)."""


# Typed rows --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    type: str
    number: str
    issuing_country: str


@dataclass(frozen=True)
class ConvictionRow:
    category: str
    offence: str
    date: dt.date | None
    country: str | None

    def as_json(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "offence": self.offence,
            "date": self.date.isoformat() if self.date else None,
            "country": self.country,
        }


@dataclass(frozen=True)
class PersonRow:
    """One valid person of a list. ``None`` in a fact means the list says it is not known."""

    row: int
    external_id: str
    given_names: str
    family_name: str
    birth_year: int | None
    birth_month: int | None
    birth_day: int | None
    sex: str
    nationalities: tuple[str, ...]
    documents: tuple[Document, ...]
    convictions: tuple[ConvictionRow, ...] | None
    pending_criminal_case: bool | None
    vulnerabilities: tuple[str, ...] | None
    family_group: str = ""


@dataclass
class Validated:
    rows: list[PersonRow] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    total: int = 0

    @property
    def invalid_rows(self) -> list[int]:
        return sorted({int(e["row"]) for e in self.errors})


def row_error(
    row: int, field_name: str, message: str, *, index: int | None = None
) -> dict[str, Any]:
    """One error in both shapes: ``row/field/message`` for pages, ``loc/msg`` for the API."""
    position = row if index is None else index
    return {
        "row": row,
        "field": field_name,
        "message": message,
        "loc": ["people", position, *field_name.split(".")],
        "msg": message,
    }


# Reading files -----------------------------------------------------------------------------


def _header(cells: Sequence[Any]) -> list[str]:
    names = [str(c or "").strip().lstrip("\ufeff").lower() for c in cells]
    missing = sorted(REQUIRED_COLUMNS - set(names))
    if missing:
        raise ListFormatError(f"the header (line 1) lacks the column(s): {', '.join(missing)}")
    unknown = [n for n in names if n and n not in CSV_COLUMNS]
    if unknown:
        raise ListFormatError(
            f"the header (line 1) has unknown column(s): {', '.join(unknown)}"
            f"; known: {', '.join(CSV_COLUMNS)}"
        )
    return names


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_csv(data: bytes | str) -> list[tuple[int, dict[str, str]]]:
    """``(line number, {column: text})`` per data row; UTF-8 with or without a BOM."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ListFormatError(f"the file is not UTF-8 (byte {exc.start})") from None
    else:
        text = data.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ListFormatError("the file is empty") from None
    except csv.Error as exc:
        raise ListFormatError(f"line 1: {exc}") from None
    names = _header(header)
    rows: list[tuple[int, dict[str, str]]] = []
    line = reader.line_num
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) > len(names):
                raise ListFormatError(
                    f"line {start}: {len(cells)} cells but the header has {len(names)} columns"
                )
            rows.append((start, {n: _cell(c) for n, c in zip(names, cells, strict=False) if n}))
            if len(rows) > MAX_ROWS:
                raise ListFormatError(f"more than {MAX_ROWS} rows")
    except csv.Error as exc:
        raise ListFormatError(f"line {line + 1}: {exc}") from None
    return rows


def read_xlsx(data: bytes) -> list[tuple[int, dict[str, str]]]:
    """The first worksheet, read-only; row numbers are the sheet's."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise ListFormatError(f"not a readable XLSX workbook ({type(exc).__name__})") from None
    try:
        sheet = workbook.worksheets[0]
        lines = sheet.iter_rows(values_only=True)
        header = next(lines, None)
        if header is None:
            raise ListFormatError("the worksheet is empty")
        names = _header(header)
        rows: list[tuple[int, dict[str, str]]] = []
        for number, cells in enumerate(lines, start=2):
            values = [_cell(c) for c in cells]
            if not any(values):
                continue
            rows.append((number, {n: v for n, v in zip(names, values, strict=False) if n}))
            if len(rows) > MAX_ROWS:
                raise ListFormatError(f"more than {MAX_ROWS} rows")
        return rows
    finally:
        workbook.close()


def read_upload(filename: str, data: bytes) -> tuple[list[tuple[int, dict[str, str]]], str]:
    """Rows and the list source (``web-csv`` / ``web-xlsx``) by file name or content."""
    if filename.lower().endswith(".xlsx") or data[:2] == b"PK":
        return read_xlsx(data), "web-xlsx"
    return read_csv(data), "web-csv"


# Mapping a flat row into the JSON person ---------------------------------------------------


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(";") if part.strip()]


def _row_conviction(text: str) -> dict[str, Any] | str:
    """``category:offence:YYYY-MM-DD[:CC]`` → JSON conviction; unparseable text passes
    through unchanged so the validator reports it."""
    parts = [p.strip() for p in text.split(":")]
    if len(parts) not in (3, 4):
        return text
    return {
        "category": parts[0],
        "offence": parts[1],
        "date": parts[2] or None,
        "country": parts[3] if len(parts) == 4 else None,
    }


def row_to_person(row: Mapping[str, str]) -> dict[str, Any]:
    """A CSV / XLSX row as a JSON person. Nothing is checked here: values that cannot be
    mapped are passed on as they are, so ``validate_people`` names them."""
    person: dict[str, Any] = {
        "external_id": row.get("external_id", ""),
        "given_names": row.get("given_names", ""),
        "family_name": row.get("family_name", ""),
        "birth_date": row.get("birth_date", "") or None,
        "sex": row.get("sex", "") or "U",
        "nationalities": _split(row.get("nationalities", "")),
        "family_group": row.get("family_group", ""),
    }
    doc = {k: row.get(f"document_{k}", "") for k in ("type", "number", "country")}
    person["documents"] = (
        [{"type": doc["type"], "number": doc["number"], "issuing_country": doc["country"]}]
        if any(doc.values())
        else []
    )
    convictions = row.get("convictions", "")
    person["convictions"] = (
        None
        if convictions.strip().lower() == UNKNOWN
        else [_row_conviction(part) for part in _split(convictions)]
    )
    pending = row.get("pending_criminal_case", "").strip()
    person["pending_cases"] = _PENDING.get(pending.lower(), pending)
    vulnerabilities = row.get("vulnerabilities", "")
    person["vulnerabilities"] = (
        None if vulnerabilities.strip().lower() == UNKNOWN else _split(vulnerabilities)
    )
    return person


_PENDING: dict[str, bool | None] = {"yes": True, "no": False, "": None, UNKNOWN: None}


# The one validator -------------------------------------------------------------------------


def parse_birth_date(value: str) -> tuple[int, int | None, int | None]:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` → (year, month, day); ``ValueError`` if not."""
    match = _DATE.match(value.strip())
    if not match:
        raise ValueError(f"'{value}' is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = (int(g) if g else None for g in match.groups())
    assert year is not None
    if year < 1900:
        raise ValueError(f"year {year} is before 1900")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"month {month} does not exist")
    if day is not None:
        assert month is not None
        dt.date(year, month, day)  # raises ValueError for 2001-02-30
    return year, month, day


def _text(value: Any, *, required: bool, limit: int = MAX_TEXT) -> tuple[str, str | None]:
    if value is None:
        value = ""
    if not isinstance(value, str):
        return "", "must be text"
    value = value.strip()
    if required and not value:
        return "", "is required"
    if len(value) > limit:
        return "", f"is longer than {limit} characters"
    return value, None


def _country(value: Any) -> str:
    if not isinstance(value, str):
        raise LookupError("must be a country code")
    return normalise_code(value)


def _person(
    raw: Any, row: int, index: int | None, seen: dict[str, int]
) -> tuple[PersonRow | None, list[dict[str, Any]]]:
    errors: list[dict[str, Any]] = []

    def bad(field_name: str, message: str) -> None:
        errors.append(row_error(row, field_name, message, index=index))

    if not isinstance(raw, Mapping):
        bad("person", "must be an object")
        return None, errors

    external_id, msg = _text(raw.get("external_id"), required=True, limit=MAX_ID)
    if msg:
        bad("external_id", msg)
    elif external_id in seen:
        bad(
            "external_id",
            f"'{external_id}' is used twice in this list (also row {seen[external_id]})",
        )
    else:
        seen[external_id] = row
    given_names, msg = _text(raw.get("given_names"), required=True)
    if msg:
        bad("given_names", msg)
    family_name, msg = _text(raw.get("family_name"), required=True)
    if msg:
        bad("family_name", msg)
    family_group, msg = _text(raw.get("family_group"), required=False, limit=MAX_ID)
    if msg:
        bad("family_group", msg)

    year = month = day = None
    birth_date = raw.get("birth_date")
    if birth_date not in (None, ""):
        if not isinstance(birth_date, str):
            bad("birth_date", "must be text: YYYY, YYYY-MM or YYYY-MM-DD")
        else:
            try:
                year, month, day = parse_birth_date(birth_date)
            except ValueError as exc:
                bad("birth_date", str(exc))

    sex = raw.get("sex") or "U"
    sex = sex.strip().upper() if isinstance(sex, str) else sex
    if not isinstance(sex, str) or sex not in SEXES:
        bad("sex", f"'{sex}' is not one of F, M, X, U")

    nationalities: list[str] = []
    raw_nationalities = raw.get("nationalities")
    if not isinstance(raw_nationalities, list) or not raw_nationalities:
        bad(
            "nationalities",
            "at least one country code is required (XXX: unspecified, XXA: stateless)",
        )
    else:
        for code in raw_nationalities:
            try:
                nationalities.append(_country(code))
            except LookupError:
                bad("nationalities", f"'{code}' is not a country code")

    documents: list[Document] = []
    raw_documents = raw.get("documents") or []
    if not isinstance(raw_documents, list):
        bad("documents", "must be a list")
        raw_documents = []
    for n, doc in enumerate(raw_documents):
        prefix = "documents" if index is None else f"documents.{n}"
        if not isinstance(doc, Mapping):
            bad(prefix, "must be an object")
            continue
        doc_type = doc.get("type")
        number, msg = _text(doc.get("number"), required=True, limit=40)
        problems = []
        if not isinstance(doc_type, str) or doc_type not in DOCUMENT_TYPES:
            problems.append(
                (
                    _doc_field(prefix, "type", index),
                    f"'{doc_type}' is not one of {', '.join(sorted(DOCUMENT_TYPES))}",
                )
            )
        if msg:
            problems.append((_doc_field(prefix, "number", index), msg))
        try:
            country = _country(doc.get("issuing_country") or "")
        except LookupError:
            country = ""
            problems.append(
                (
                    _doc_field(prefix, "issuing_country", index),
                    f"'{doc.get('issuing_country') or ''}' is not a country code",
                )
            )
        for field_name, message in problems:
            bad(field_name, message)
        if not problems:
            documents.append(Document(str(doc_type), number, country))

    convictions: list[ConvictionRow] | None = None
    raw_convictions = raw.get("convictions", [])
    if raw_convictions is not None:
        convictions = []
        if not isinstance(raw_convictions, list):
            bad("convictions", "must be a list, or null when not known")
            raw_convictions = []
        for n, item in enumerate(raw_convictions):
            where = "convictions" if index is None else f"convictions.{n}"
            parsed = _conviction(item)
            if isinstance(parsed, str):
                bad(where, parsed)
            else:
                convictions.append(parsed)

    pending = raw.get("pending_cases")
    if pending is not None and not isinstance(pending, bool):
        bad(
            "pending_criminal_case" if index is None else "pending_cases",
            f"'{pending}' is not yes, no or unknown"
            if index is None
            else "must be true, false or null (not known)",
        )
        pending = None

    vulnerabilities: list[str] | None = None
    raw_vulnerabilities = raw.get("vulnerabilities", [])
    if raw_vulnerabilities is not None:
        vulnerabilities = []
        if not isinstance(raw_vulnerabilities, list):
            bad("vulnerabilities", "must be a list, or null when not known")
            raw_vulnerabilities = []
        for word in raw_vulnerabilities:
            if not isinstance(word, str) or word not in VULNERABILITIES:
                bad(
                    "vulnerabilities",
                    f"'{word}' is not one of {', '.join(sorted(VULNERABILITIES))}",
                )
            elif word not in vulnerabilities:
                vulnerabilities.append(word)

    if errors:
        return None, errors
    return PersonRow(
        row=row,
        external_id=external_id,
        given_names=given_names,
        family_name=family_name,
        birth_year=year,
        birth_month=month,
        birth_day=day,
        sex=str(sex),
        nationalities=tuple(dict.fromkeys(nationalities)),
        documents=tuple(documents),
        convictions=None if convictions is None else tuple(convictions),
        pending_criminal_case=pending,
        vulnerabilities=None if vulnerabilities is None else tuple(vulnerabilities),
        family_group=family_group,
    ), []


def _doc_field(prefix: str, name: str, index: int | None) -> str:
    """Uploads name the CSV column (``document_type``); JSON the path (``documents.0.type``)."""
    if index is None:
        return "document_country" if name == "issuing_country" else f"document_{name}"
    return f"{prefix}.{name}"


def _conviction(item: Any) -> ConvictionRow | str:
    if isinstance(item, str):
        return (
            f"'{item}' is not category:offence:YYYY-MM-DD (optionally :country); "
            "an offence cannot contain ':'"
        )
    if not isinstance(item, Mapping):
        return "must be an object {offence, category, date, country}"
    category, msg = _text(item.get("category"), required=True, limit=80)
    if msg:
        return f"category {msg}"
    offence, msg = _text(item.get("offence"), required=True)
    if msg:
        return f"offence {msg}"
    when: dt.date | None = None
    raw_date = item.get("date")
    if raw_date not in (None, ""):
        try:
            when = dt.date.fromisoformat(str(raw_date))
        except ValueError:
            return f"date '{raw_date}' is not YYYY-MM-DD"
    country: str | None = None
    if item.get("country") not in (None, ""):
        try:
            country = _country(item.get("country"))
        except LookupError:
            return f"country '{item.get('country')}' is not a country code"
    return ConvictionRow(category=category.lower(), offence=offence, date=when, country=country)


def validate_people(people: Any, *, rows: Sequence[int] | None = None) -> Validated:
    """Validate JSON people. ``rows`` gives each person's line in the uploaded file; without
    it an error's row is the person's index in ``people`` (the API)."""
    result = Validated()
    message = ""
    if not isinstance(people, list):
        message = "must be a list"
    elif not people:
        message = "the list is empty"
    elif len(people) > MAX_ROWS:
        message = f"more than {MAX_ROWS} people"
    elif rows is not None and len(rows) != len(people):
        raise ValueError("one row number per person is needed")
    if message:
        result.errors.append(
            {"row": 0, "field": "people", "message": message, "loc": ["people"], "msg": message}
        )
        return result
    result.total = len(people)
    seen: dict[str, int] = {}
    for i, raw in enumerate(people):
        row = rows[i] if rows is not None else i
        person, errors = _person(raw, row, None if rows is not None else i, seen)
        if person is not None:
            result.rows.append(person)
        result.errors.extend(errors)
    return result


def upload_people(
    rows: Sequence[tuple[int, Mapping[str, str]]],
) -> tuple[list[dict[str, Any]], list[int]]:
    """Uploaded rows as JSON people, with each person's line in the file."""
    return [row_to_person(row) for _, row in rows], [line for line, _ in rows]
