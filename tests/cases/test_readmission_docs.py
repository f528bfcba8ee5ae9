"""docs/readmission.md states what the pure readmission modules do; these keep it true."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

from readmit.cases.evidence import DEFAULT_CLASSES, Effect, EvidenceKind
from readmit.cli import main

DOC = (Path(__file__).resolve().parents[2] / "docs" / "readmission.md").read_text(encoding="utf-8")


def test_the_evidence_table_lists_every_kind_with_its_default_class_in_rank_order() -> None:
    rows = re.findall(r"^\| `([a-z_]+)` \| (proof|prima_facie|none) \|$", DOC, flags=re.MULTILINE)
    assert rows == [(kind.value, DEFAULT_CLASSES[kind].value) for kind in EvidenceKind]


def test_every_effect_of_the_evidence_is_described() -> None:
    for effect in Effect:
        assert f"`{effect.value}`" in DOC, effect


def test_the_mrz_example_prints_what_the_command_prints(capsys) -> None:
    block = DOC.split("$ readmit mrz", 1)[1].split("```", 1)[0]
    command, _, expected = block.partition("\n{")
    args = shlex.split(command.replace("\\\n", " "))
    assert main(["mrz", *args]) == 0
    assert json.loads(capsys.readouterr().out) == json.loads("{" + expected)
