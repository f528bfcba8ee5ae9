"""docs/operations.md "Configure" names every environment variable the settings and the
operations code read, and the commands it documents exist."""

from __future__ import annotations

import re
from pathlib import Path

from readmit.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "operations.md").read_text()


def _variables_read() -> set[str]:
    found: set[str] = set()
    for path in [
        *ROOT.joinpath("config").rglob("*.py"),
        *ROOT.joinpath("readmit/ops").rglob("*.py"),
    ]:
        found |= set(
            re.findall(r'"((?:READMIT|PROMETHEUS|DATABASE)_[A-Z0-9_]+)"', path.read_text())
        )
    return found


def test_every_environment_variable_the_code_reads_is_documented_under_configure():
    configure = DOC.split("## Configure", 1)[1].split("\n## ", 1)[0]
    variables = _variables_read()
    assert "READMIT_METRICS_TOKEN" in variables and "DATABASE_URL" in variables
    missing = sorted(v for v in variables if f"`{v}`" not in configure)
    assert not missing, f"docs/operations.md 'Configure' does not name {missing}"


def test_the_documented_operations_commands_exist():
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name in ("backup", "restore", "serve"):
        assert name in commands
        assert f"readmit {name}" in DOC
