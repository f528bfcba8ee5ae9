"""Consular districts and request limits: pure Python, no Django.

A mission's consular district is a list of subdivisions of the host state as ISO 3166-2
codes (``US-NY``). Readmit knows the subdivisions of the United States (the 50 states, the
District of Columbia and the outlying areas ISO 3166-2:US lists); a code of another country
is refused, naming the countries it knows, rather than accepted unchecked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from readmit.core.errors import N_, ValidationFailed, field_error

US_SUBDIVISIONS: Mapping[str, str] = {
    "US-AL": "Alabama",
    "US-AK": "Alaska",
    "US-AZ": "Arizona",
    "US-AR": "Arkansas",
    "US-CA": "California",
    "US-CO": "Colorado",
    "US-CT": "Connecticut",
    "US-DE": "Delaware",
    "US-FL": "Florida",
    "US-GA": "Georgia",
    "US-HI": "Hawaii",
    "US-ID": "Idaho",
    "US-IL": "Illinois",
    "US-IN": "Indiana",
    "US-IA": "Iowa",
    "US-KS": "Kansas",
    "US-KY": "Kentucky",
    "US-LA": "Louisiana",
    "US-ME": "Maine",
    "US-MD": "Maryland",
    "US-MA": "Massachusetts",
    "US-MI": "Michigan",
    "US-MN": "Minnesota",
    "US-MS": "Mississippi",
    "US-MO": "Missouri",
    "US-MT": "Montana",
    "US-NE": "Nebraska",
    "US-NV": "Nevada",
    "US-NH": "New Hampshire",
    "US-NJ": "New Jersey",
    "US-NM": "New Mexico",
    "US-NY": "New York",
    "US-NC": "North Carolina",
    "US-ND": "North Dakota",
    "US-OH": "Ohio",
    "US-OK": "Oklahoma",
    "US-OR": "Oregon",
    "US-PA": "Pennsylvania",
    "US-RI": "Rhode Island",
    "US-SC": "South Carolina",
    "US-SD": "South Dakota",
    "US-TN": "Tennessee",
    "US-TX": "Texas",
    "US-UT": "Utah",
    "US-VT": "Vermont",
    "US-VA": "Virginia",
    "US-WA": "Washington",
    "US-WV": "West Virginia",
    "US-WI": "Wisconsin",
    "US-WY": "Wyoming",
    "US-DC": "District of Columbia",
    "US-AS": "American Samoa",
    "US-GU": "Guam",
    "US-MP": "Northern Mariana Islands",
    "US-PR": "Puerto Rico",
    "US-UM": "United States Minor Outlying Islands",
    "US-VI": "Virgin Islands, U.S.",
}
SUBDIVISIONS: Mapping[str, Mapping[str, str]] = {"US": US_SUBDIVISIONS}


def subdivision_name(code: str) -> str:
    return SUBDIVISIONS.get(code[:2], {}).get(code, code)


# The refusals of ``region_check`` for each field it checks, each a whole sentence: no code,
# a country Readmit does not know, a subdivision the country does not have.
_BY_FIELD = {
    "district": (
        N_("district: an ISO 3166-2 code such as US-NY is required."),
        N_("district: '%(code)s' is not a subdivision of a country Readmit knows (%(known)s)."),
        N_("district: '%(code)s' is not an ISO 3166-2 code of %(country)s."),
    ),
    "residence_region": (
        N_("residence_region: an ISO 3166-2 code such as US-NY is required."),
        N_(
            "residence_region: '%(code)s' is not a subdivision of a country Readmit knows "
            "(%(known)s)."
        ),
        N_("residence_region: '%(code)s' is not an ISO 3166-2 code of %(country)s."),
    ),
}


def region_check(value: object, *, field: str) -> str:
    """One ISO 3166-2 code Readmit knows, upper-cased; otherwise an error naming ``field``."""
    code = str(value or "").strip().upper()
    if not code:
        raise ValidationFailed(
            _BY_FIELD[field][0],
            errors=[{"loc": [field], "msg": N_("required")}],
        )
    known = SUBDIVISIONS.get(code[:2])
    if known is None:
        raise ValidationFailed(
            _BY_FIELD[field][1],
            params={"code": code, "known": ", ".join(sorted(SUBDIVISIONS))},
            errors=[field_error([field], N_("unknown country in '%(code)s'"), code=code)],
        )
    if code not in known:
        raise ValidationFailed(
            _BY_FIELD[field][2],
            params={"code": code, "country": code[:2]},
            errors=[field_error([field], N_("unknown subdivision '%(code)s'"), code=code)],
        )
    return code


def district_check(values: Iterable[object]) -> list[str]:
    """A district: at least one known code, each once, in the order given."""
    codes: list[str] = []
    errors: list[dict[str, object]] = []
    for index, value in enumerate(values):
        try:
            code = region_check(value, field="district")
        except ValidationFailed as exc:
            errors.append({**exc.errors[0], "loc": ["district", index]})
            continue
        if code in codes:
            errors.append(
                field_error(["district", index], N_("'%(code)s' is listed twice"), code=code)
            )
            continue
        codes.append(code)
    if errors:
        raise ValidationFailed(
            N_("The consular district has invalid codes: %(errors)s."),
            params={
                "errors": "; ".join(f"#{e['loc'][1]}: {e['msg']}" for e in errors)  # type: ignore[index]
            },
            errors=errors,
        )
    if not codes:
        raise ValidationFailed(
            N_("A consular district needs at least one ISO 3166-2 code."),
            errors=[{"loc": ["district"], "msg": N_("at least one code")}],
        )
    return codes


class RequestKind(StrEnum):
    TRAVEL_DOCUMENT = "travel_document"
    IDENTITY_VERIFICATION = "identity_verification"
    INTERVIEW = "interview"
    RETURN_ASSISTANCE = "return_assistance"
    LEGAL_INFORMATION = "legal_information"

    @property
    def label(self) -> str:
        """The English label, a marked message id (pages give it in the reader's language)."""
        return _KIND_LABELS[self.value]


_KIND_LABELS = {
    "travel_document": N_("Travel document"),
    "identity_verification": N_("Identity verification"),
    "interview": N_("Interview"),
    "return_assistance": N_("Return assistance"),
    "legal_information": N_("Legal information"),
}


class Requester(StrEnum):
    CITIZEN = "citizen"
    SENDING_STATE = "sending_state"

    @property
    def label(self) -> str:
        return {"citizen": N_("The citizen abroad"), "sending_state": N_("The sending state")}[
            self.value
        ]


class RequestState(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DECLINED = "declined"


@dataclass(frozen=True)
class RequestTransition:
    action: str
    sources: frozenset[RequestState]
    target: RequestState
    needs_outcome: bool = False
    needs_reason: bool = False


REQUEST_TRANSITIONS: Mapping[str, RequestTransition] = {
    t.action: t
    for t in (
        RequestTransition("take", frozenset({RequestState.OPEN}), RequestState.IN_PROGRESS),
        RequestTransition(
            "complete", frozenset({RequestState.IN_PROGRESS}), RequestState.DONE, needs_outcome=True
        ),
        RequestTransition(
            "decline",
            frozenset({RequestState.OPEN, RequestState.IN_PROGRESS}),
            RequestState.DECLINED,
            needs_reason=True,
        ),
    )
}
FINAL_STATES = frozenset({RequestState.DONE, RequestState.DECLINED})

# Per-kind default limits in working days, used when the agreement's ``time_limits`` has no
# ``consular_<kind>`` entry (and for a citizen's request, which has no agreement). Fictional
# defaults, chosen as plausible consular practice; an agreement overrides each.
DEFAULT_LIMIT_WORKING_DAYS: Mapping[RequestKind, int] = {
    RequestKind.TRAVEL_DOCUMENT: 10,
    RequestKind.IDENTITY_VERIFICATION: 10,
    RequestKind.INTERVIEW: 7,
    RequestKind.RETURN_ASSISTANCE: 5,
    RequestKind.LEGAL_INFORMATION: 5,
}


def limit_key(kind: RequestKind) -> str:
    """The key in an agreement's ``time_limits`` that overrides the default for ``kind``."""
    return f"consular_{kind.value}"
