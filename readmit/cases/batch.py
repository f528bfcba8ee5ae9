"""Readmission applications as flat rows: the web form's fields and the CSV / XLSX batch.

Pure Python (no Django). A row (a form post, or a line of a file) holds one application with
at most one item of evidence; ``flat_to_application`` turns it into the API's application,
leaving empty cells out so that the application model names them as missing. The columns of
a file are the names of the form's fields (``COLUMNS``); the header is line 1, so the first
application is row 2, as a spreadsheet shows it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Mapping
from typing import Any

__all__ = ["COLUMNS", "BatchFormatError", "column_of", "flat_to_application", "read_rows"]

COLUMNS: tuple[str, ...] = (
    "external_id",
    "variant",
    "transit_destination_state",
    "transit_escort",
    "take_back_of",
    "procedure",
    "apprehended_on",
    "given_names",
    "family_name",
    "given_names_latin",
    "family_name_latin",
    "aliases",
    "birth_date",
    "place_of_birth",
    "sex",
    "nationalities",
    "father",
    "mother",
    "civil_status",
    "languages",
    "last_address",
    "medical_needs",
    "escort_needs",
    "evidence_kind",
    "evidence_reference",
    "document_type",
    "document_number",
    "document_country",
    "document_expires_on",
    "mrz",
    "false_document",
)
MAX_ROWS = 500


# Where an error of the application model is shown: the form field, or the file's column.
COLUMN_OF: dict[tuple[str | int, ...], str] = {
    ("photo",): "photo",
    ("transit", "destination_state"): "transit_destination_state",
    ("transit", "escort"): "transit_escort",
    ("transit",): "transit_destination_state",
    ("person", "given_names"): "given_names",
    ("person", "family_name"): "family_name",
    ("person", "given_names_latin"): "given_names_latin",
    ("person", "family_name_latin"): "family_name_latin",
    ("person", "other_names"): "aliases",
    ("person", "birth_date"): "birth_date",
    ("person", "place_of_birth"): "place_of_birth",
    ("person", "sex"): "sex",
    ("person", "nationalities"): "nationalities",
    ("person", "parents", 0): "father",
    ("person", "parents", 1): "mother",
    ("person", "parents"): "father",
    ("person", "civil_status"): "civil_status",
    ("person", "languages"): "languages",
    ("evidence", 0, "kind"): "evidence_kind",
    ("evidence", 0, "class"): "evidence_kind",
    ("evidence", 0, "reference"): "evidence_reference",
    ("evidence", 0, "mrz"): "mrz",
    ("evidence", 0, "false_document"): "false_document",
    ("evidence", 0, "document", "type"): "document_type",
    ("evidence", 0, "document", "number"): "document_number",
    ("evidence", 0, "document", "issuing_country"): "document_country",
    ("evidence", 0, "document", "expires_on"): "document_expires_on",
}


def column_of(loc: list[Any] | tuple[Any, ...]) -> str | None:
    """The form field or column of an error's ``loc`` (None: the application as a whole)."""
    for size in range(len(loc), 0, -1):
        name = COLUMN_OF.get(tuple(loc[:size]))
        if name:
            return name
    return str(loc[0]) if loc and str(loc[0]) in COLUMNS else None


class BatchFormatError(ValueError):
    """The file itself cannot be read as a batch (not the applications in it)."""


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _parent(relation: str, text: str) -> dict[str, str]:
    *given, family = text.split()
    return {"relation": relation, "given_names": " ".join(given), "family_name": family}


def _other_names(text: str) -> list[dict[str, str]]:
    """``kind; family name; given names`` per line (or per ``|`` in a file's cell)."""
    names = []
    for line in text.replace("|", "\n").splitlines():
        if line.strip():
            kind, _, rest = line.partition(";")
            family, _, given = rest.partition(";")
            names.append(
                {"kind": kind.strip(), "family_name": family.strip(), "given_names": given.strip()}
            )
    return names


def _true(value: Any) -> bool:
    return value is True or str(value).strip().lower() in ("on", "true", "yes", "1")


def flat_to_application(data: Mapping[str, Any]) -> dict[str, Any]:
    """The row as the API's application; empty values are left out (so: missing)."""
    person: dict[str, Any] = {
        key: data[key]
        for key in (
            "given_names",
            "family_name",
            "given_names_latin",
            "family_name_latin",
            "birth_date",
            "place_of_birth",
            "sex",
            "civil_status",
        )
        if data.get(key)
    }
    for key in ("nationalities", "languages"):
        if data.get(key):
            person[key] = _split(data[key])
    person["parents"] = [
        _parent(relation, data[relation]) for relation in ("father", "mother") if data.get(relation)
    ]
    person["other_names"] = _other_names(data.get("aliases") or "")
    body: dict[str, Any] = {
        key: data[key]
        for key in (
            "external_id",
            "variant",
            "take_back_of",
            "procedure",
            "apprehended_on",
            "last_address",
            "medical_needs",
            "escort_needs",
        )
        if data.get(key)
    }
    body["person"] = person
    transit = {
        field: data[f"transit_{field}"]
        for field in ("destination_state", "escort")
        if data.get(f"transit_{field}")
    }
    if transit:
        body["transit"] = transit
    evidence: list[dict[str, Any]] = []
    if data.get("evidence_kind"):
        item: dict[str, Any] = {
            "kind": data["evidence_kind"],
            "reference": data.get("evidence_reference") or "",
            "mrz": (data.get("mrz") or "").replace("|", "\n"),
            "false_document": _true(data.get("false_document", "")),
        }
        if data.get("document_type") or data.get("document_number"):
            item["document"] = {
                "type": data.get("document_type") or "",
                "number": data.get("document_number") or "",
                "issuing_country": data.get("document_country") or "",
                **(
                    {"expires_on": data["document_expires_on"]}
                    if data.get("document_expires_on")
                    else {}
                ),
            }
        evidence.append(item)
    body["evidence"] = evidence
    return body


def _header(cells: list[Any]) -> list[str]:
    names = [str(c or "").strip().lstrip("\ufeff").lower() for c in cells]
    unknown = [n for n in names if n and n not in COLUMNS]
    if unknown:
        raise BatchFormatError(
            f"the header (line 1) has unknown column(s): {', '.join(unknown)}; "
            f"known: {', '.join(COLUMNS)}"
        )
    if "external_id" not in names:
        raise BatchFormatError("the header (line 1) lacks the column external_id")
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


def _rows(lines: list[tuple[int, list[Any]]], names: list[str]) -> list[tuple[int, dict[str, str]]]:
    rows = []
    for number, cells in lines:
        values = [_cell(c) for c in cells]
        if not any(values):
            continue
        if len(values) > len(names) and any(values[len(names) :]):
            raise BatchFormatError(
                f"line {number}: {len(values)} cells but the header has {len(names)} columns"
            )
        row = {name: values[n] if n < len(values) else "" for n, name in enumerate(names) if name}
        formulas = [name for name, value in row.items() if value.startswith("=")]
        if formulas:
            raise BatchFormatError(
                f"line {number}: cells hold formulas ({', '.join(formulas)}); only values are read"
            )
        rows.append((number, row))
        if len(rows) > MAX_ROWS:
            raise BatchFormatError(f"more than {MAX_ROWS} applications")
    if not rows:
        raise BatchFormatError("the file holds no application")
    return rows


def read_rows(filename: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """``(line number, {column: text})`` per application of a CSV (UTF-8) or XLSX file."""
    if filename.lower().endswith(".xlsx") or data[:2] == b"PK":
        from openpyxl import load_workbook

        try:
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
            raise BatchFormatError(f"not a readable XLSX workbook ({type(exc).__name__})") from None
        try:
            lines = list(workbook.worksheets[0].iter_rows(values_only=True))
        finally:
            workbook.close()
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BatchFormatError(f"the file is not UTF-8 (byte {exc.start})") from None
        try:
            lines = [tuple(r) for r in csv.reader(io.StringIO(text, newline=""))]
        except csv.Error as exc:
            raise BatchFormatError(str(exc)) from None
    if not lines:
        raise BatchFormatError("the file is empty")
    names = _header(list(lines[0]))
    return _rows([(n, list(cells)) for n, cells in enumerate(lines[1:], start=2)], names)
