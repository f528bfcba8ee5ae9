"""The docs state facts the code must keep true; these tests stop them drifting apart."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from readmit.cases.workflow import WORKFLOWS
from readmit.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_quick_start_is_exactly_make_demo_and_make_test():
    block = README.split("## Quick start", 1)[1].split("```", 2)[1]
    commands = [line.split("#")[0].strip() for line in block.splitlines()[1:] if line.strip()]
    assert commands == ["make demo", "make test"]


def test_every_cli_command_in_the_readme_exists():
    documented = set(re.findall(r"^\| `readmit ([a-z]+)", README, flags=re.MULTILINE))
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert documented
    assert documented <= set(sub.choices)  # type: ignore[attr-defined]


def test_every_doc_linked_from_the_readme_exists():
    for target in re.findall(r"\]\((docs/[^)#]+)\)", README):
        assert (ROOT / target).exists(), target


def test_every_workflow_action_is_named_in_the_docs():
    docs = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md"))
    missing = [a for w in WORKFLOWS.values() for a in w.actions if a not in docs]
    assert not missing, f"undocumented actions: {missing}"


PURE_MODULES = [
    "readmit/cases/workflow.py",
    "readmit/agreements/quota.py",
    "readmit/agreements/terms.py",
    "readmit/audit/chain.py",
    "readmit/audit/anchor.py",
    "readmit/accounts/scopes.py",
    "readmit/core/errors.py",
    "readmit/deadlines",
    "readmit/agreements/criteria.py",
    "readmit/agreements/vocabularies.py",
    "readmit/screening/matching",
    "readmit/relocation/lists.py",
    "readmit/core/zones.py",
    "readmit/cases/mrz.py",
    "readmit/consular/districts.py",
    "readmit/accounts/lockout.py",
    "readmit/cases/evidence.py",
    "readmit/cases/cli.py",
    "readmit/core/crypto.py",
]


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for file in [path] if path.is_file() else sorted(path.rglob("*.py")):
        tree = ast.parse(file.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
    return names


@pytest.mark.parametrize("module", PURE_MODULES)
def test_pure_cores_import_no_django(module):
    path = ROOT / module
    if not path.exists():
        pytest.skip(f"{module} not present")
    imported = _imports(path)
    assert not {n for n in imported if n == "django" or n.startswith("django.")}


def test_the_workflow_core_runs_without_django_installed_in_the_process():
    code = (
        "import sys; sys.modules['django'] = None; "
        "import readmit.cases.workflow, readmit.deadlines, readmit.agreements.quota; "
        "print('pure')"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=False
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "pure"


def test_the_repository_stands_on_its_own_and_cites_nothing_outside_it():
    """Docs, code and tests cite docs/design.md and docs/domain-sources.md, never a file
    outside the repository (a reader of a clone has nothing else)."""
    outside = re.compile(r"\.\./shared/|(?<![\w/])DESIGN\.md|reviews/domain-rules\.md")
    offenders = []
    for folder in ("readmit", "tests", "docs", "bench", "config"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".py", ".md", ".html", ".txt", ".toml"} or path == Path(
                __file__
            ):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if outside.search(line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    for path in (ROOT / "README.md", ROOT / "Makefile"):
        if outside.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path.relative_to(ROOT)))
    assert (ROOT / "docs" / "design.md").exists()
    assert (ROOT / "docs" / "domain-sources.md").exists()
    assert offenders == []
