"""docs/agreements.md cannot drift from the code it describes."""

from __future__ import annotations

import re
from pathlib import Path

from readmit.agreements.lifecycle import TRANSITIONS
from readmit.agreements.terms import CRITERION_PARAMS

DOC = Path(__file__).resolve().parents[2] / "docs" / "agreements.md"


def test_the_lifecycle_diagram_is_the_transition_table():
    text = DOC.read_text(encoding="utf-8")
    diagram = text.split("```mermaid", 1)[1].split("```", 1)[0]
    edges = set(re.findall(r"^\s*(\w+) --> (\w+)\s*$", diagram, flags=re.MULTILINE))
    table = {
        (current.value, target.value)
        for current, targets in TRANSITIONS.items()
        for target in targets
    }
    assert edges == table


def test_every_criterion_rule_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for rule in CRITERION_PARAMS:
        assert f"| `{rule}` |" in text, rule
