"""The fast paths give exactly what the plain rules give (fictional names only).

``score`` without an index's weigher runs on interned token ids, the skeleton skips rules
that cannot match, ASCII skips Unicode normalisation, and ``score_many`` ships columns
between processes. Each shortcut is checked here against the plain computation.
"""

from __future__ import annotations

import importlib
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readmit.screening.matching import Record, batch, normalise, scoring, skeleton, token_similarity
from readmit.screening.matching.batch import score_many
from readmit.screening.matching.normalise import make_token, phonetic_fold
from readmit.screening.matching.records import PartialDate
from readmit.screening.matching.scoring import clear_caches, score, uniform_weight
from readmit.screening.matching.scripts import abjad_key

# The module, which the package's ``normalise`` function shadows as an attribute.
N = importlib.import_module("readmit.screening.matching.normalise")

PARTS = [
    "Jovan", "Jovana", "JOVAN", "Petrović", "Petrovic", "Петровић", "Petrov", "Petrova",
    "Đorđe", "Dorde", "Djordje", "Ђорђе", "Xhevat", "Dževat", "Krasniqi", "Krasnići",
    "Jean-Baptiste", "Jan", "Batis", "Pierre", "Pyè", "Guillaume", "Giyom", "María",
    "Maria", "Mario", "de", "la", "Cruz", "y", "Gómez", "Gomez", "Gmoez", "J.", "Đ.", "D.",
    "O'Neil", "Oneil", "Marko", "Mirko", "Kowalski", "Kowalska", "E.", "Grace", "Smith",
    "Mary", "Toussaint", "Tousen", "Ćirić", "Chirich", "Brankić", "Brnakić", "Novak",
]  # fmt: skip
SEPARATORS = [" ", " ", " ", ", ", "-", ". ", "  "]

names = st.lists(st.sampled_from(PARTS), min_size=0, max_size=4).flatmap(
    lambda parts: st.lists(
        st.sampled_from(SEPARATORS), min_size=len(parts), max_size=len(parts)
    ).map(lambda seps: "".join(p + s for p, s in zip(parts, seps, strict=True)).strip())
)
dates = st.one_of(
    st.none(),
    st.builds(PartialDate, st.sampled_from([1980, 1981])),
    st.builds(PartialDate, st.sampled_from([1980, 1981]), st.sampled_from([3, 4])),
    st.builds(
        PartialDate, st.sampled_from([1980, 1981]), st.sampled_from([3, 4]), st.sampled_from([3, 4])
    ),
)
records = st.builds(
    Record,
    id=st.sampled_from(["a", "b"]),
    name=names,
    aliases=st.lists(names, max_size=2).map(tuple),
    family_name=st.one_of(st.none(), st.sampled_from(PARTS)),
    birth_date=dates,
    nationality=st.sampled_from([None, "RS", "HT"]),
    document_number=st.sampled_from([None, "AB 123", "AB123", "CD 9"]),
)


def _plain_weight(token: object) -> float:
    """The uniform weight, but not the same function: ``score`` takes the general path."""
    return 1.0


def _fields(match: scoring.Match) -> tuple[float, str, str]:
    return match.score, match.explanation, match.matched_name


@settings(max_examples=400, deadline=None)
@given(records, records)
def test_fast_path_scores_and_explains_like_the_general_path(a, b):
    assert _fields(score(a, b)) == _fields(score(a, b, weigh=_plain_weight))
    assert _fields(score(b, a)) == _fields(score(b, a, weigh=_plain_weight))


@settings(max_examples=100, deadline=None)
@given(records, records)
def test_fast_path_gives_the_same_answer_cold_and_warm(a, b):
    warm = _fields(score(a, b))
    clear_caches()
    assert _fields(score(a, b)) == warm


@st.composite
def slips(draw: st.DrawFn) -> str:
    """A name part, or that part with one keyboard slip anywhere (the first letter too)."""
    part = draw(st.sampled_from(PARTS))
    k = draw(st.integers(0, len(part) - 1))
    letter = draw(st.sampled_from("aeiorsvzčđ"))
    return draw(
        st.sampled_from(
            [
                part,
                part[:k] + letter + part[k + 1 :],
                part[:k] + letter + part[k:],
                part[:k] + part[k + 1 :] or part,
                part[:k] + part[k + 1 : k + 2] + part[k : k + 1] + part[k + 2 :],
            ]
        )
    )


@settings(max_examples=600, deadline=None)
@given(slips(), slips())
def test_interned_similarity_is_token_similarity(x, y):
    left, right = make_token(x), make_token(y)
    if left is None or right is None:
        return
    ia, ib = scoring._intern_raw(x), scoring._intern_raw(y)
    found = scoring._new_similarity(ia, ib)
    assert found[:2] == token_similarity(left, right)[:2] or (
        found is scoring._NO_SIMILARITY and token_similarity(left, right)[0] == 0.0
    )
    clear_caches()


@settings(max_examples=300, deadline=None)
@given(names)
def test_interned_name_has_the_tokens_of_normalise(name):
    info = scoring._name_ids(name)
    tokens = normalise(name)
    if info is None:
        assert tokens == ()
    else:
        ids, total = info
        assert [scoring._TOK_RAW[t] for t in ids] == [t.raw for t in tokens]
        assert total == sum(scoring._token_weight(t, frozenset(), uniform_weight) for t in tokens)


words = st.text(alphabet="abcdeghijklnorstuvwxyzfpqUCJSK", max_size=10)


@given(words, st.data())
def test_one_slip_shortcut_never_hides_a_slip(a, data):
    edit = data.draw(st.sampled_from(["sub", "ins", "del", "swap", "other"]))
    k = data.draw(st.integers(0, max(len(a) - 1, 0)))
    letter = data.draw(st.sampled_from("aeiouxyz"))
    b = {
        "sub": a[:k] + letter + a[k + 1 :],
        "ins": a[:k] + letter + a[k:],
        "del": a[:k] + a[k + 1 :],
        "swap": a[:k] + a[k + 1 : k + 2] + a[k : k + 1] + a[k + 2 :],
        "other": data.draw(words),
    }[edit]
    if scoring._one_slip(a, b) > 0.0:
        assert scoring._may_be_one_slip(a, b)


keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyzCJSKULNBFTDH", max_size=12)


@given(keys)
def test_a_skeleton_rule_only_matches_where_its_needed_parts_are(key):
    for pattern, _, needs in N._SKELETON_RULES:
        if pattern.search(key):
            assert any(part in key for part in needs), pattern.pattern


def _plain_skeleton(text: str) -> str:
    """``skeleton`` with every rule run and no shortcut, as it was first written.

    Parts in an abjad (Arabic, Hebrew, Thai) get their consonant key instead.
    """
    abjad = abjad_key(text)
    if abjad is not None:
        return abjad
    key = N._phonetic_fold_any(text)
    for pattern, replacement, _ in N._SKELETON_RULES:
        key = pattern.sub(replacement, key)
    key = N._DOUBLE.sub(r"\1", key.lower())
    key = N._POSTVOCALIC_R.sub("", key)
    for _ in range(4):
        shorter = N._FINAL_R.sub("", N._SILENT_FINAL.sub("", key))
        if shorter == key:
            break
        key = shorter
    key = N._NASAL_IN.sub("en", key)
    return key or N._fold_any(text)


# No deadline: any text may hit a Unicode block whose anyascii table is read on first use.
@settings(max_examples=500, deadline=None)
@given(st.one_of(st.sampled_from(PARTS), st.text(max_size=12), keys))
def test_skeleton_shortcuts_give_the_plain_skeleton(text):
    assert skeleton(text) == _plain_skeleton(text)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=12))
def test_ascii_fast_paths_fold_like_the_unicode_paths(text):
    assert N.fold(text) == N._fold_any(text)
    assert phonetic_fold(text) == N._phonetic_fold_any(text)


@given(st.text(max_size=20))
def test_split_raw_drops_lone_apostrophes_only(name):
    parts = [p for p in N._TOKEN_SPLIT.split(name) if p and not N._APOSTROPHES.fullmatch(p)]
    assert N.split_raw(name) == parts


def test_conflicting_birth_dates_are_written_in_full():
    a = Record("a", "Jovan Petrović", birth_date=PartialDate(1980, 3, 4))
    b = Record("b", "Jovan Petrović", birth_date=PartialDate(1981, 3))
    assert "birth date conflicts (1980-03-04≠1981-03)" in score(a, b).explanation


def test_two_processes_carry_aliases_and_family_names_back_unchanged():
    n = len(PARTS)
    people = [
        Record(str(i), f"{PARTS[i % n]} {PARTS[3 * i % n]}", aliases=(PARTS[i % 7],))
        if i % 3
        else Record(str(i), f"{PARTS[5 * i % n]}, {PARTS[i % 11]}", family_name=PARTS[i % 11])
        for i in range(400)
    ]
    pairs = [(people[i % 400], people[(7 * i + 1) % 400]) for i in range(1200)]
    clear_caches()
    serial = [_fields(score(a, b)) for a, b in pairs]
    clear_caches()
    assert [_fields(m) for m in score_many(pairs, jobs=2, chunk=300)] == serial


def test_a_failing_worker_stops_the_run(monkeypatch):
    pairs = [
        (Record(str(i), "Jovan Petrović"), Record(f"x{i}", "Jovan Petrovic")) for i in range(900)
    ]

    def failing(a: Record, b: Record) -> scoring.Match:
        if re.fullmatch(r"4[5-9]\d", a.id):  # the start of the worker's region
            raise ValueError("worker failure")
        return score(a, b)

    monkeypatch.setattr(batch, "score", failing)
    with pytest.raises((RuntimeError, ValueError)):
        score_many(pairs, jobs=2, chunk=300)
    monkeypatch.undo()
    assert len(score_many(pairs, jobs=2, chunk=300)) == len(pairs)
