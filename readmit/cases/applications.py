"""A readmission application as one validated input (pydantic, no Django).

The web form, the API (``POST /api/v1/agreements/{id}/applications``) and partner systems
send the same shape (DESIGN §2 and §7). Every part an application must carry is a required
field, so an incomplete application is refused naming each missing part at once; the
conditional ones (the apprehension date of the accelerated procedure, the Latin form of a
name written in another script) are checked in the same pass. "None" is a real answer for
the medical and escort needs: the field must be sent, and ``"none"`` says there are none.

What needs the database or the agreement (the class the agreement gives an evidence kind,
MRZ check digits against today's date, an external id already used) is checked by
``readmit.cases.intake``; nothing here is trusted beyond its shape.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
import unicodedata
import uuid
from enum import StrEnum
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from readmit.agreements import vocabularies
from readmit.cases.evidence import EvidenceClass, EvidenceKind
from readmit.core.countries import normalise_code
from readmit.core.strict import TEXT_MESSAGE, bad_text, declare_text_pattern

__all__ = [
    "PHOTO_MAX_BYTES",
    "PHOTO_MAX_LENGTH",
    "PHOTO_TO_FOLLOW",
    "ApplicationIn",
    "CivilStatus",
    "EvidenceIn",
    "Procedure",
    "TransitIn",
    "Variant",
    "application_errors",
    "decode_photo",
    "is_latin",
    "photo_content_type",
]

MAX_TEXT = 200
MAX_NOTE = 1000

# The person's photo (a particular of the application): JPEG or PNG, told by its first bytes
# (never by a name or a declared type), at most 1 MB; base64 in the API's JSON.
PHOTO_MAX_BYTES = 1024 * 1024
PHOTO_MAX_LENGTH = 4 * ((PHOTO_MAX_BYTES + 2) // 3)
PHOTO_TO_FOLLOW = "to follow"
PHOTO_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def photo_content_type(data: bytes) -> str:
    """The photo's type from its first bytes; ``ValueError`` naming what is wrong."""
    if not data:
        raise ValueError("is empty")
    if len(data) > PHOTO_MAX_BYTES:
        raise ValueError(
            f"is {len(data):,} bytes: a photo is at most 1 MB ({PHOTO_MAX_BYTES:,} bytes)"
        )
    for magic, content_type in PHOTO_SIGNATURES:
        if data.startswith(magic):
            return content_type
    raise ValueError("is not a JPEG or PNG image (its content says so, whatever its name)")


def decode_photo(text: str) -> bytes:
    """A photo sent as base64 text, checked: ``ValueError`` naming what is wrong."""
    if len(text) > PHOTO_MAX_LENGTH:
        raise ValueError(
            f"is {len(text):,} characters of base64: a photo is at most 1 MB "
            f"({PHOTO_MAX_BYTES:,} bytes, {PHOTO_MAX_LENGTH:,} characters)"
        )
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError(
            f"is neither base64 data of a JPEG or PNG image nor '{PHOTO_TO_FOLLOW}'"
        ) from None
    photo_content_type(data)
    return data


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class Procedure(StrEnum):
    NORMAL = "normal"
    ACCELERATED = "accelerated"  # apprehended in the border region


class Variant(StrEnum):
    """The readmission variants (DESIGN §2, docs/readmission.md)."""

    READMISSION = "readmission"
    TRANSIT = "transit"  # a third-country national escorted through the requested state
    TAKE_BACK = "take_back"  # erroneous readmission: the earlier transfer is undone


class CivilStatus(StrEnum):
    SINGLE = "single"
    MARRIED = "married"
    PARTNERSHIP = "partnership"
    DIVORCED = "divorced"
    WIDOWED = "widowed"
    UNKNOWN = "unknown"


class _Strict(BaseModel):
    """Text without control characters (NUL included), as every input (readmit.core.strict);
    the OpenAPI document declares the rule as a pattern."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=True,
        json_schema_extra=declare_text_pattern,
    )

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: Any) -> Any:
        for path in bad_text(value):
            where = ".".join(str(p) for p in path)
            raise ValueError((f"at {where}: " if where else "") + TEXT_MESSAGE)
        return value


def is_latin(text: str) -> bool:
    """Whether every letter of ``text`` is a Latin letter (diacritics allowed: Ibrahimović)."""
    return all(unicodedata.name(char, "").startswith("LATIN") for char in text if char.isalpha())


def _required_text(value: str, what: str) -> str:
    if not value:
        raise ValueError(f"{what} is required")
    return value


class OtherName(_Strict):
    kind: Literal["alias", "former", "birth"] = Field(
        description="alias, former (e.g. before marriage) or birth (name at birth)."
    )
    given_names: str = Field(default="", max_length=MAX_TEXT)
    family_name: str = Field(max_length=MAX_TEXT, min_length=1)


class Parent(_Strict):
    relation: Literal["father", "mother", "parent"]
    given_names: str = Field(default="", max_length=MAX_TEXT)
    family_name: str = Field(default="", max_length=MAX_TEXT)

    @field_validator("family_name")
    @classmethod
    def _a_name(cls, value: str, info: ValidationInfo) -> str:
        if not value and not info.data.get("given_names"):
            raise ValueError("a parent needs a given name or a family name")
        return value


class PersonIn(_Strict):
    """The person as the requesting state recorded them; names as written, any script."""

    given_names: str = Field(max_length=MAX_TEXT, description="As written, in any script.")
    family_name: str = Field(max_length=MAX_TEXT, min_length=1)
    given_names_latin: str = Field(
        default="",
        max_length=MAX_TEXT,
        validate_default=True,
        description="Latin form; required when the name is written in another script.",
    )
    family_name_latin: str = Field(default="", max_length=MAX_TEXT, validate_default=True)
    other_names: list[OtherName] = Field(
        default_factory=list, description="Aliases and former names; [] when there are none."
    )
    birth_date: str = Field(description="YYYY, YYYY-MM or YYYY-MM-DD (partial dates allowed).")
    place_of_birth: str = Field(max_length=MAX_TEXT, min_length=1)
    sex: Literal["F", "M", "X", "U"]
    nationalities: list[str] = Field(min_length=1, description="Country codes (alpha-2 or -3).")
    parents: list[Parent] = Field(
        default_factory=list, description="Parents' names where known; [] when not known."
    )
    civil_status: CivilStatus
    languages: list[str] = Field(min_length=1, description="Languages the person speaks.")

    @field_validator("given_names_latin", "family_name_latin")
    @classmethod
    def _latin_form_of_a_foreign_script(cls, value: str, info: ValidationInfo) -> str:
        written = info.data.get(str(info.field_name).removesuffix("_latin"), "")
        if value and not is_latin(value):
            raise ValueError("the Latin form must be written in Latin letters")
        if not value and written and not is_latin(written):
            raise ValueError(
                "is required: the name is not written in Latin script, so its Latin form "
                "must be given"
            )
        return value

    @field_validator("birth_date")
    @classmethod
    def _partial_date(cls, value: str) -> str:
        match = _DATE.match(value)
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
            try:
                dt.date(year, month, day)
            except ValueError:
                raise ValueError(f"'{value}' is not a date") from None
        return value

    @field_validator("nationalities")
    @classmethod
    def _country_codes(cls, value: list[str]) -> list[str]:
        codes = []
        for code in value:
            try:
                codes.append(normalise_code(code))
            except LookupError:
                raise ValueError(f"'{code}' is not a country code") from None
        return list(dict.fromkeys(codes))

    @field_validator("languages")
    @classmethod
    def _named_languages(cls, value: list[str]) -> list[str]:
        cleaned = [v.strip() for v in value]
        if any(not v or len(v) > 80 for v in cleaned):
            raise ValueError("each language is a name of 1 to 80 characters")
        return cleaned

    @property
    def birth_parts(self) -> tuple[int, int | None, int | None]:
        match = _DATE.match(self.birth_date)
        assert match is not None
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        return year, month, day


class DocumentIn(_Strict):
    type: str = Field(description="One of " + ", ".join(vocabularies.DOCUMENT_TYPES) + ".")
    number: str = Field(min_length=1, max_length=40)
    issuing_country: str
    expires_on: dt.date | None = None

    @field_validator("type")
    @classmethod
    def _known_type(cls, value: str) -> str:
        if value not in vocabularies.DOCUMENT_TYPES:
            raise ValueError(
                f"'{value}' is not one of {', '.join(sorted(vocabularies.DOCUMENT_TYPES))}"
            )
        return value

    @field_validator("issuing_country")
    @classmethod
    def _country(cls, value: str) -> str:
        try:
            return normalise_code(value)
        except LookupError:
            raise ValueError(f"'{value}' is not a country code") from None


class EvidenceIn(_Strict):
    """One item of evidence of nationality; the agreement's annexes give its class."""

    kind: EvidenceKind
    class_: EvidenceClass | None = Field(
        default=None,
        alias="class",
        description="Optional: the class the sender reads in the agreement's annexes; a "
        "class that differs from the agreement's is refused, naming it.",
    )
    reference: str = Field(default="", max_length=MAX_TEXT)
    document: DocumentIn | None = None
    mrz: str = Field(
        default="",
        max_length=200,
        description="The machine-readable zone (TD1, TD2 or TD3), lines separated by line "
        "breaks; every check digit is verified.",
    )
    false_document: bool = False

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class TransitIn(_Strict):
    """What a transit application adds: where the person goes and who escorts them."""

    destination_state: str = Field(description="The final destination (country code).")
    escort: str = Field(
        min_length=1,
        max_length=MAX_NOTE,
        description='The escorts (names, service); "none" is an answer; required.',
    )

    @field_validator("destination_state")
    @classmethod
    def _country(cls, value: str) -> str:
        try:
            return normalise_code(value)
        except LookupError:
            raise ValueError(f"'{value}' is not a country code") from None


class ApplicationIn(_Strict):
    """A readmission application (DESIGN §2): every part is required unless marked optional."""

    external_id: str = Field(
        min_length=1,
        max_length=80,
        description="The requesting state's id, unique in the agreement.",
    )
    variant: Variant = Field(
        default=Variant.READMISSION,
        description="readmission (default), transit (needs 'transit') or take_back "
        "(erroneous readmission; needs 'take_back_of').",
    )
    transit: TransitIn | None = Field(
        default=None,
        validate_default=True,
        description="Transit only: the destination state and the escort.",
    )
    take_back_of: uuid.UUID | None = Field(
        default=None,
        validate_default=True,
        description="Take-back only: the id of the earlier transferred case under the same "
        "agreement.",
    )

    @field_validator("transit", "take_back_of")
    @classmethod
    def _only_with_its_variant(cls, value: Any, info: ValidationInfo) -> Any:
        needed_by = Variant.TRANSIT if info.field_name == "transit" else Variant.TAKE_BACK
        variant = info.data.get("variant")
        if variant == needed_by and value is None:
            raise ValueError(f"is required for a {needed_by.value.replace('_', '-')} application")
        if variant != needed_by and value is not None:
            raise ValueError(f"is only for a {needed_by.value.replace('_', '-')} application")
        return value

    procedure: Procedure
    apprehended_on: dt.date | None = Field(
        default=None,
        validate_default=True,
        description="Required for the accelerated procedure: the day of apprehension in the "
        "border region.",
    )
    person: PersonIn
    last_address: str = Field(
        min_length=1,
        max_length=MAX_NOTE,
        description="The person's last address in the requested state ('unknown' if so).",
    )
    medical_needs: str = Field(
        min_length=1, max_length=MAX_NOTE, description='"none" is an answer; required.'
    )
    escort_needs: str = Field(
        min_length=1, max_length=MAX_NOTE, description='"none" is an answer; required.'
    )
    evidence: list[EvidenceIn] = Field(
        description="Evidence of nationality; [] when there is none (an interview follows "
        "where the agreement provides one)."
    )
    photo: str = Field(
        default=PHOTO_TO_FOLLOW,
        description=f"The person's photo: base64 of a JPEG or PNG image of at most "
        f"{PHOTO_MAX_BYTES:,} bytes (1 MB), or '{PHOTO_TO_FOLLOW}' (the default): the photo is "
        "then an outstanding particular of the case until it is sent with "
        "POST /api/v1/cases/{id}/photo.",
        json_schema_extra={"maxLength": PHOTO_MAX_LENGTH},
    )

    @field_validator("photo")
    @classmethod
    def _a_photo_or_to_follow(cls, value: str) -> str:
        if value != PHOTO_TO_FOLLOW:
            decode_photo(value)
        return value

    @property
    def photo_data(self) -> bytes | None:
        """The photo's bytes, or None when it is to follow."""
        return None if self.photo == PHOTO_TO_FOLLOW else base64.b64decode(self.photo)

    @field_validator("apprehended_on")
    @classmethod
    def _apprehension_for_accelerated(
        cls, value: dt.date | None, info: ValidationInfo
    ) -> dt.date | None:
        if info.data.get("procedure") == Procedure.ACCELERATED and value is None:
            raise ValueError("is required for the accelerated procedure")
        return value


def _message(error: Any) -> str:
    if error.get("type") == "missing":
        return "is missing: an application must carry it"
    message = str(error.get("msg", ""))
    return message.removeprefix("Value error, ")


def application_errors(exc: ValidationError) -> list[dict[str, Any]]:
    """Each problem as ``{"loc": [...], "msg": ...}``, naming the part at fault."""
    return [
        {"loc": [p if isinstance(p, int) else str(p) for p in e["loc"]], "msg": _message(e)}
        for e in exc.errors()
    ]
