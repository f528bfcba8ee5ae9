"""East Slavic Cyrillic, Slavic and Arabic given-name variants, compounds, titles."""

from __future__ import annotations

import pytest

from readmit.screening.matching import Index, Record, score
from readmit.screening.matching.normalise import folded_name
from readmit.screening.matching.scripts import east_slavic_reading, second_cyrillic_reading


@pytest.mark.parametrize(
    ("cyrillic", "bgn"),
    [
        ("Никита Сергеевич Хрущёв", "Nikita Sergeyevich Khrushchev"),
        ("Юрий Андропов", "Yuriy Andropov"),
        ("Михаил Ходорковский", "Mikhail Khodorkovskiy"),
        ("Алексей Навальный", "Aleksey Navalnyy"),
        ("Віктор Янукович", "Viktor Yanukovych"),
        ("Олександр Ющенко", "Oleksandr Yushchenko"),
    ],
)
def test_russian_and_ukrainian_cyrillic_is_read_the_bgn_way(cyrillic, bgn):
    assert folded_name(cyrillic) == folded_name(bgn)
    assert score(Record("a", cyrillic), Record("b", bgn)).score == 1.0


def test_the_letters_present_choose_the_reading():
    assert east_slavic_reading("Юрий") == "Yuriy"  # й, ю: not Serbian
    assert east_slavic_reading("Віктор Янукович") == "Viktor Yanukovych"  # і: Ukrainian
    assert east_slavic_reading("Ђорђе Петровић") is None  # ђ, ћ: Serbian
    assert folded_name("Ђорђе Петровић") == "djordje petrovic"
    assert east_slavic_reading("Зоран Марковић") is None


def test_an_ambiguous_cyrillic_name_keeps_the_serbian_reading_and_gains_the_bgn_one():
    assert second_cyrillic_reading("Михаил Петров") == "Mikhail Petrov"
    assert second_cyrillic_reading("Зоран Жарко") is None  # readings agree on the skeleton
    record = Record("W1", "Михаил Петров")
    assert record.names == ("Михаил Петров", "Mikhail Petrov")
    assert score(Record("q", "Mihail Petrov"), record).score == 1.0  # Serbian reading kept
    hits = Index([record, Record("W2", "Petar Mihajlović")]).query(
        Record("q", "Mikhail Petrov"), threshold=0.8
    )
    assert [(h.record.id, h.matched_name) for h in hits] == [("W1", "Михаил Петров")]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Aleksandr Petrov", "Alexander Petrov"),
        ("Oleksandr Petrenko", "Aleksandar Petrenko"),
        ("Олександр Петренко", "Alexander Petrenko"),
        ("Mohamed Salah", "Muhammad Salah"),
        ("Mohamed Salah", "Mohamad Salah"),
        ("Suhayl Nasser", "Suheil Nasser"),
        ("Yusuf Karimi", "Youssef Karimi"),
    ],
)
def test_given_name_variants_across_languages_are_one_name(a, b):
    match = score(Record("a", a), Record("b", b))
    assert match.score >= 0.9
    assert "(variant)" in match.explanation


def test_variants_are_found_by_the_index():
    index = Index([Record("W1", "Alexander Petrov"), Record("W2", "Aleksa Petrović")])
    hits = index.query(Record("q", "Oleksandr Petrov"), threshold=0.8)
    assert [h.record.id for h in hits] == ["W1"]


def test_frequent_arabic_name_variants_are_not_halved_as_distinct_names():
    """Mohamed and Mohamad are both frequent in a list, yet one name (Marko/Mirko are two)."""
    people = [Record(f"M{i}", f"Mohamed Person{i}") for i in range(30)]
    people += [Record(f"N{i}", f"Mohamad Other{i}") for i in range(30)]
    people += [Record(f"K{i}", f"Marko Name{i}") for i in range(30)]
    people += [Record(f"L{i}", f"Mirko Name{i}") for i in range(30)]
    index = Index([*people, Record("T", "Mohamed Haddad"), Record("U", "Marko Haddad")])
    mohamed = index.query(Record("q", "Mohamad Haddad"), threshold=0.8)
    assert [h.record.id for h in mohamed] == ["T"]
    assert not index.query(Record("q", "Mirko Haddad"), threshold=0.8)


@pytest.mark.parametrize(
    "spelling", ["Abdul Hakim Saleh", "Abdulhakim Saleh", "Abd al-Hakim Saleh", "Abdelhakim Saleh"]
)
def test_abd_and_the_name_it_governs_are_one_part_however_joined(spelling):
    assert score(Record("a", spelling), Record("b", "Abd el-Hakim Saleh")).score == 1.0
    assert score(Record("a", spelling), Record("b", "عبد الحكيم صالح")).score >= 0.85


def test_abu_and_bin_are_parts_of_names():
    assert score(Record("a", "Abu Bakr Baghdadi"), Record("b", "Abubakr Baghdadi")).score == 1.0
    assert score(Record("a", "Usama bin Laden"), Record("b", "Osama Laden")).score >= 0.9


def test_titles_and_annotations_are_not_parts_of_the_name():
    listed = Record("a", "Haji Mohammed Omar (alias Mullah Omar) born 1963")
    assert folded_name(listed.name) == "mohammed omar"
    assert score(listed, Record("b", "Mohamed Omar")).score >= 0.9
    assert folded_name("Sheikh Ahmed Yassin [deceased]") == "ahmed yassin"


def test_a_title_is_not_glued_to_the_name_as_a_written_together_spelling():
    assert Record("a", "Haji Omar").names == ("Haji Omar",)
