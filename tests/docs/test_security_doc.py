"""docs/security.md names the test behind each statement: every name must exist, so the
document cannot claim a check that was renamed or removed."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
TEST_NAME = re.compile(r"`(test_[a-z0-9_]+)`")
TEST_PATH = re.compile(r"`(tests/[A-Za-z0-9_/.]+)`")


def _defined_tests() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "tests").rglob("test_*.py"):
        names |= set(re.findall(r"^\s*def (test_[a-z0-9_]+)", path.read_text("utf-8"), re.M))
    return names


def test_every_test_named_in_the_security_doc_exists():
    named = set(TEST_NAME.findall(DOC))
    assert len(named) >= 30, "the threat model names its tests"
    assert sorted(named - _defined_tests()) == []


def test_every_test_file_named_in_the_security_doc_exists():
    paths = set(TEST_PATH.findall(DOC))
    assert paths
    assert sorted(p for p in paths if not (ROOT / p).exists()) == []


def test_every_row_of_the_threat_model_names_a_test_or_says_it_is_not_tested():
    section = DOC.split("## Threat model", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) > 20
    for row in rows[1:]:  # the header is the first
        test_cell = row.rstrip(" |").rsplit("|", 1)[-1]
        assert "`test" in test_cell or "`tests/" in test_cell or "(not tested)" in row, row


def test_a_vulnerability_is_reported_privately_as_security_md_says():
    policy = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    assert "docs/security.md" in policy and "privately" in policy
    assert "SECURITY.md" in DOC
