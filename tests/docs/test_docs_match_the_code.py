"""The docs state facts the code must keep true; these tests stop them drifting apart."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

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
    "readmit/search/keys.py",
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
    "readmit/core/documents.py",
    "readmit/documents/wording.py",
    "readmit/documents/render.py",
    "readmit/agreements/lifecycle.py",
]


CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "importlinter"
]["contracts"]


def _contract(contract_id: str) -> dict[str, Any]:
    found: dict[str, Any] = next(c for c in CONTRACTS if c["id"] == contract_id)
    return found


def test_every_pure_core_is_in_the_import_contract_that_forbids_django():
    pure = _contract("pure-cores")
    assert pure["type"] == "forbidden"
    assert pure["forbidden_modules"] == ["django"]
    assert not pure.get("allow_indirect_imports")  # through another module counts too
    dotted = {m.removesuffix(".py").replace("/", ".") for m in PURE_MODULES}
    assert dotted <= set(pure["source_modules"])
    for module in pure["source_modules"]:
        path = ROOT / module.replace(".", "/")
        assert path.is_dir() or path.with_suffix(".py").exists(), module


def test_the_layer_contracts_hold():
    """``lint-imports`` (also run by ``make lint``) finds no import going the wrong way."""
    done = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in done.stdout


def test_the_architecture_doc_names_every_import_contract():
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    assert CONTRACTS
    missing = [c["id"] for c in CONTRACTS if f"| `{c['id']}` |" not in doc]
    assert missing == []
    for interface in _contract("layers")["layers"][0].split(":"):
        assert interface.strip().removeprefix("readmit.") in doc


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
