"""Every script: names in scripts other than Latin and Cyrillic are read, or reported."""

from __future__ import annotations

from pathlib import Path

import pytest

from readmit.cli import main
from readmit.screening.matching import Index, Record, score
from readmit.screening.matching.normalise import normalise, screenable
from readmit.screening.matching.scripts import consonant_key, unread_scripts

# (script, the name in that script, how a Latin-script list writes the same person)
READ = [
    ("Arabic", "محمد عبد الحكيم", "Mohamed Abdul Hakim"),
    ("Arabic with vowel marks", "مُحَمَّد عبد الحكيم", "Muhammad Abd al-Hakim"),
    ("Persian", "مهدی کروبی", "Mehdi Karroubi"),
    ("Hebrew", "משה כהן", "Moshe Cohen"),
    ("Greek", "Γιώργος Παπαδόπουλος", "Giorgos Papadopoulos"),
    ("Georgian", "გიორგი ბერიძე", "Giorgi Beridze"),
    ("Armenian", "Արմեն Սարգսյան", "Armen Sargsyan"),
    ("Chinese", "毛泽东", "Mao Zedong"),
    ("Japanese kana", "やまだ たろう", "Yamada Tarou"),
    ("Thai", "สมชาย วงศ์สวัสดิ์", "Somchai Wongsawat"),
    ("Devanagari", "राहुल गांधी", "Rahul Gandhi"),
]
# Read, but their romanisation does not meet the usual Latin listing: still never silent.
READ_WEAKLY = [("Korean", "김정은", "Gim Jeongeun")]
UNREAD = [
    ("Ethiopic", "ጌታቸው ረዳ"),
    ("Tamil", "முத்துவேல் கருணாநிதி"),
    ("Japanese kanji", "山田 たろう"),
    ("Khmer", "ហ៊ុន សែន"),
]


@pytest.mark.parametrize(("script", "written", "latin"), READ, ids=[s for s, _, _ in READ])
def test_a_name_in_each_script_we_read_meets_its_latin_listing(script, written, latin):
    assert screenable(written)
    match = score(Record("a", written), Record("b", latin))
    assert match.score >= 0.8, (script, match.explanation)


@pytest.mark.parametrize(("script", "written", "latin"), READ_WEAKLY)
def test_a_weakly_read_script_still_gives_name_parts(script, written, latin):
    assert screenable(written)
    assert score(Record("a", written), Record("b", latin)).score >= 0.8


@pytest.mark.parametrize(("script", "written"), UNREAD, ids=[s for s, _ in UNREAD])
def test_a_name_in_a_script_we_cannot_read_is_reported_not_screenable(script, written):
    assert not screenable(written)
    assert script.split()[0].casefold() in " ".join(unread_scripts(written)).casefold()
    reason = Record("x", written).unscreenable_reason()
    assert reason is not None and "script not read" in reason


def test_no_name_in_any_script_is_silently_clean():
    """Every name is either read into parts or reported: none scores 0 without a word."""
    for _, written, _ in READ + READ_WEAKLY:
        assert normalise(written) and Record("x", written).unscreenable_reason() is None
    for _, written in UNREAD:
        assert Record("x", written).unscreenable_reason() is not None


def test_a_record_is_screenable_through_a_latin_alias():
    record = Record("x", "ጌታቸው ረዳ", aliases=("Getachew Reda",))
    assert record.unscreenable_reason() is None


def test_a_name_with_no_part_left_is_not_screenable():
    assert Record("x", "-- ..").unscreenable_reason() == "no name part left"


def test_arabic_consonant_keys_meet_latin_vowel_variants():
    keys = {consonant_key(n) for n in ("mohamed", "muhammad", "mohammad", "mohamad")}
    assert keys == {"mhmd"}
    assert consonant_key("suhayl") == consonant_key("suheil") == "shl"
    assert consonant_key("abdul") == consonant_key("abd") == "bd"


def test_the_arabic_article_is_part_of_the_name_not_a_difference():
    match = score(Record("a", "أبو بكر البغدادي"), Record("b", "Abu Bakr al-Baghdadi"))
    assert match.score >= 0.8
    assert "البغدادي=Baghdadi (script)" in match.explanation


def test_two_different_arabic_names_do_not_meet():
    assert score(Record("a", "محمد علي"), Record("b", "Ahmed Hassan")).score < 0.5
    assert score(Record("a", "محمد علي"), Record("b", "أحمد حسن")).score < 0.5


def test_the_index_finds_an_arabic_script_name_from_its_latin_listing_and_back():
    index = Index([Record("W1", "سهيل خالد"), Record("W2", "Omar Farouk"), Record("W3", "Jovan")])
    hits = index.query(Record("Q", "Suhayl Khalid"), threshold=0.8)
    assert [h.record.id for h in hits] == ["W1"]
    latin = Index([Record("W1", "Suheil Khaled"), Record("W2", "Milan Petrović")])
    hits = latin.query(Record("Q", "سهيل خالد"), threshold=0.8)
    assert [h.record.id for h in hits] == ["W1"]
    assert hits == latin.query_reference(Record("Q", "سهيل خالد"), threshold=0.8)


def test_screen_reports_unscreenable_records_on_stderr_and_in_the_summary(tmp_path: Path, capsys):
    people = tmp_path / "list.csv"
    people.write_text("id,name\nL1,ጌታቸው ረዳ\nL2,سهيل خالد\n", encoding="utf-8")
    watch = tmp_path / "watch.csv"
    watch.write_text("id,name\nW1,Suhayl Khalid\nW2,முத்துவேல் கருணாநிதி\n", encoding="utf-8")
    assert main(["screen", str(people), "--against", str(watch)]) == 0
    captured = capsys.readouterr()
    assert "L2,W1," in captured.out
    assert "id L1: NOT SCREENABLE (script not read: Ethiopic)" in captured.err
    assert "id W2: NOT SCREENABLE (script not read: Tamil)" in captured.err
    assert "NOT SCREENABLE: 1 records, 1 watchlist records" in captured.err
