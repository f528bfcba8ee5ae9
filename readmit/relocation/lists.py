"""Proposal lists as data: parse CSV / XLSX, map rows to the API's JSON shape, validate.

Pure Python (no Django): the web upload, the API and the CLI share one validator. A CSV or
XLSX row is first mapped into the JSON person of the exchange contract (docs/design.md §7), then
``validate_people`` checks every person and answers typed rows plus one error per bad field:
``{"row", "field", "message", "loc", "msg"}``. ``row`` is the line number in the file (the
header is line 1, so the first person is row 2, as a spreadsheet shows it) for uploads, and
the 0-based index into ``people`` for JSON; ``loc``/``msg`` carry the same for the API's
problem documents.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from readmit.agreements import vocabularies
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

SEXES: frozenset[str] = frozenset(vocabularies.SEXES)
DOCUMENT_TYPES: frozenset[str] = frozenset(vocabularies.DOCUMENT_TYPES)
# The words a list may use for vulnerabilities; the exclusion rules read these.
VULNERABILITIES: frozenset[str] = frozenset(vocabularies.VULNERABILITIES)
OFFENCE_CATEGORIES: frozenset[str] = frozenset(vocabularies.OFFENCE_CATEGORIES)
# The members of a JSON person, of a document and of a conviction; any other key is refused
# (a misspelt ``vulnerabilites`` would otherwise read as "not sent").
PERSON_KEYS: tuple[str, ...] = (
    "external_id",
    "given_names",
    "family_name",
    "birth_date",
    "sex",
    "nationalities",
    "documents",
    "convictions",
    "pending_cases",
    "vulnerabilities",
    "family_group",
)
DOCUMENT_KEYS: tuple[str, ...] = ("type", "number", "issuing_country")
CONVICTION_KEYS: tuple[str, ...] = ("offence", "category", "date", "country")
# Which column of an upload carries each fact the criteria read (criteria.facts_read).
FACT_COLUMNS: dict[str, str] = {
    "convictions": "convictions",
    "pending_criminal_case": "pending_criminal_case",
    "vulnerabilities": "vulnerabilities",
    "birth_date": "birth_date",
    "nationalities": "nationalities",
}
# Set by the file readers on a row whose cells hold formulas (the columns, ';'-separated);
# the validator reports each one as a row error. Only values are read from a list.
FORMULAS = "#formulas"
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


def _row(names: Sequence[str], values: Sequence[str]) -> dict[str, str]:
    """One row as ``{column: text}``: every column of the header (a short row's missing cells
    are empty), and the columns holding a formula under ``FORMULAS``."""
    row: dict[str, str] = {}
    formulas: list[str] = []
    for n, name in enumerate(names):
        if not name:
            continue
        value = values[n] if n < len(values) else ""
        if value.startswith("="):
            formulas.append(name)
            value = ""
        row[name] = value
    if formulas:
        row[FORMULAS] = ";".join(formulas)
    return row


def upload_columns(rows: Sequence[tuple[int, Mapping[str, str]]]) -> frozenset[str]:
    """The columns an uploaded file has (every row carries every column of its header)."""
    return frozenset(name for _, row in rows for name in row if name != FORMULAS)


def missing_columns(columns: frozenset[str], facts_read: Mapping[str, str]) -> dict[str, str]:
    """``{column: rule}`` for each fact the terms read whose column the upload lacks."""
    return {
        FACT_COLUMNS[fact]: rule
        for fact, rule in facts_read.items()
        if fact in FACT_COLUMNS and FACT_COLUMNS[fact] not in columns
    }


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
            rows.append((start, _row(names, [_cell(c) for c in cells])))
            if len(rows) > MAX_ROWS:
                raise ListFormatError(f"more than {MAX_ROWS} rows")
    except csv.Error as exc:
        raise ListFormatError(f"line {line + 1}: {exc}") from None
    return rows


def read_xlsx(data: bytes) -> list[tuple[int, dict[str, str]]]:
    """The first worksheet, read-only; row numbers are the sheet's."""
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula cell reads as its formula ("=..."), so it is refused
        # rather than trusted for the value a spreadsheet last cached.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
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
            rows.append((number, _row(names, values)))
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
    # A column the file does not have is a fact not sent: the key stays out (unknown).
    if "convictions" in row:
        convictions = row["convictions"]
        person["convictions"] = (
            None
            if convictions.strip().lower() == UNKNOWN
            else [_row_conviction(part) for part in _split(convictions)]
        )
    pending = row.get("pending_criminal_case", "").strip()
    person["pending_cases"] = _PENDING.get(pending.lower(), pending)
    if "vulnerabilities" in row:
        vulnerabilities = row["vulnerabilities"]
        person["vulnerabilities"] = (
            None if vulnerabilities.strip().lower() == UNKNOWN else _split(vulnerabilities)
        )
    if row.get(FORMULAS):
        person[FORMULAS] = row[FORMULAS].split(";")
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


def _unknown_keys(item: Mapping[Any, Any], known: Sequence[str], what: str) -> list[str]:
    """One message per key of ``item`` that is not a member of ``what``, with the nearest
    known name when one is close (``vulnerabilites`` → ``vulnerabilities``)."""
    messages = []
    for key in item:
        if key in known:
            continue
        near = difflib.get_close_matches(str(key), known, n=1)
        hint = f"; did you mean '{near[0]}'?" if near else f"; known: {', '.join(known)}"
        messages.append(f"'{key}' is not a field of {what}{hint}")
    return messages


def _person(
    raw: Any,
    row: int,
    index: int | None,
    seen: dict[str, int],
    free_text_categories: bool = False,
) -> tuple[PersonRow | None, list[dict[str, Any]]]:
    errors: list[dict[str, Any]] = []

    formulas: set[str] = set()

    def bad(field_name: str, message: str) -> None:
        if field_name not in formulas:  # a formula's cell is reported once, as a formula
            errors.append(row_error(row, field_name, message, index=index))

    if not isinstance(raw, Mapping):
        bad("person", "must be an object")
        return None, errors
    upload = index is None  # only the file readers mark formulas
    for column in (raw.get(FORMULAS) or ()) if upload else ():
        bad(str(column), "holds a formula; a list carries values only (paste the values)")
        formulas.add(str(column))
    for key in raw:
        if upload and key == FORMULAS:
            continue
        for message in _unknown_keys({key: None}, PERSON_KEYS, "a person"):
            bad(str(key), message)  # the error's field is the unknown key itself

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
        for message in _unknown_keys(doc, DOCUMENT_KEYS, "a document"):
            bad(prefix, message)
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
    raw_convictions = raw.get("convictions")  # not sent: not known
    if raw_convictions is not None:
        convictions = []
        if not isinstance(raw_convictions, list):
            bad("convictions", "must be a list, or null when not known")
            raw_convictions = []
        for n, item in enumerate(raw_convictions):
            where = "convictions" if index is None else f"convictions.{n}"
            parsed = _conviction(item, free_text_categories)
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
    raw_vulnerabilities = raw.get("vulnerabilities")  # not sent: not assessed
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


def _conviction(item: Any, free_text_categories: bool = False) -> ConvictionRow | str:
    if isinstance(item, str):
        return (
            f"'{item}' is not category:offence:YYYY-MM-DD (optionally :country); "
            "an offence cannot contain ':'"
        )
    if not isinstance(item, Mapping):
        return "must be an object {offence, category, date, country}"
    strays = _unknown_keys(item, CONVICTION_KEYS, "a conviction")
    if strays:
        return strays[0]
    category, msg = _text(item.get("category"), required=True, limit=80)
    if msg:
        return f"category {msg}"
    code = vocabularies.offence_category(category)
    if code is None and not free_text_categories:
        return (
            f"category '{category}' is not an ICCS offence category: use the section code, "
            f"one of {vocabularies.allowed(vocabularies.OFFENCE_CATEGORIES)} "
            f"({vocabularies.ICCS_SOURCE})"
        )
    category = code or category
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
    return ConvictionRow(category=category, offence=offence, date=when, country=country)


def validate_people(
    people: Any,
    *,
    rows: Sequence[int] | None = None,
    free_text_categories: bool = False,
    max_rows: int = MAX_ROWS,
) -> Validated:
    """Validate JSON people. ``rows`` gives each person's line in the uploaded file; without
    it an error's row is the person's index in ``people`` (the API). A conviction's category
    must be an ICCS code unless ``free_text_categories`` (the agreement allows a state's own
    words; the criterion then answers unknown for them). ``max_rows``: an import job takes
    more people than a list sent at once or uploaded (``READMIT_LIST_IMPORT_MAX_ROWS``)."""
    result = Validated()
    message = ""
    if not isinstance(people, list):
        message = "must be a list"
    elif not people:
        message = "the list is empty"
    elif len(people) > max_rows:
        message = f"more than {max_rows} people"
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
        person, errors = _person(
            raw, row, None if rows is not None else i, seen, free_text_categories
        )
        if person is not None:
            result.rows.append(person)
        result.errors.extend(errors)
    return result


def upload_people(
    rows: Sequence[tuple[int, Mapping[str, str]]],
) -> tuple[list[dict[str, Any]], list[int]]:
    """Uploaded rows as JSON people, with each person's line in the file."""
    return [row_to_person(row) for _, row in rows], [line for line, _ in rows]
