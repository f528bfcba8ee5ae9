"""docs/relocation.md states what the code does; the list validator stays free of Django."""

from __future__ import annotations

import re
from pathlib import Path

from readmit.relocation.lists import CSV_COLUMNS, DOCUMENT_TYPES, VULNERABILITIES
from readmit.relocation.models import HoldKind, StayOutcome

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "relocation.md").read_text(encoding="utf-8")


def test_the_documented_csv_columns_are_exactly_the_ones_the_reader_knows():
    table = DOC.split("### CSV columns", 1)[1].split("###", 1)[0]
    documented = re.findall(r"^\| `([a-z_]+)` \|", table, flags=re.MULTILINE)
    assert documented == list(CSV_COLUMNS)


def test_every_vocabulary_word_of_the_code_is_in_the_docs():
    for word in (*VULNERABILITIES, *DOCUMENT_TYPES, *HoldKind.values, *StayOutcome.values):
        assert f"`{word}`" in DOC, word


def test_every_rule_the_hooks_raise_is_documented():
    code = "".join(
        p.read_text(encoding="utf-8") for p in (ROOT / "readmit" / "relocation").glob("*.py")
    )
    rules = set(re.findall(r'rule="([a-z-]+)"', code))
    assert rules >= {
        "criteria",
        "exclusion",
        "notice-period",
        "family-group",
        "capacity",
        "return-plan",
    }
    assert {r for r in rules if f"`{r}`" not in DOC} == set()


def test_the_docs_draw_both_workflows_as_state_diagrams():
    assert DOC.count("stateDiagram-v2") == 2
