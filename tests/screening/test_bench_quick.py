"""The quick benchmark runs end to end and prints every figure (no timing assertions)."""

from __future__ import annotations

import subprocess
import sys

from tests.screening.paths import ROOT


def test_quick_bench_prints_quality_pairs_and_speed_figures():
    result = subprocess.run(
        [sys.executable, "-m", "bench.screening", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for slice_name in (
        "transliteration",
        "cyrillic",
        "albanian_serbian",
        "spanish_double_surnames",
        "haitian_creole",
        "typos",
        "reordering",
        "missing_parts",
        "namesakes_birth_date",
        "all",
        "written_together",
        "arabic_script",
        "east_slavic",
        "arabic_latin_variants",
        "compounds",
        "translated_names",
    ):
        assert f"\n{slice_name} " in out
    assert "thresholds tuned on the tuning split" in out
    assert "unscreenable scripts:" in out and "silent 0;" in out
    assert "pairs/s" in out
    assert "q/s" in out and "blocking recall" in out and "peak RSS" in out


def test_labelled_dataset_is_reproducible_and_balanced():
    from bench.screening.dataset import SLICES, build_pairs

    first, second = build_pairs(3, 10), build_pairs(3, 10)
    assert [(p.left.name, p.right.name, p.same) for p in first] == [
        (p.left.name, p.right.name, p.same) for p in second
    ]
    for name in SLICES:
        labels = [p.same for p in first if p.slice == name]
        assert labels.count(True) == labels.count(False) == 10
