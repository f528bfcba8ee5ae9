"""The matching core and the screening CLI must run where Django is not even installed."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.screening.paths import ROOT


def run_isolated(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


BLOCK_DJANGO = """
    import sys

    class BlockDjango:
        def find_spec(self, name, path=None, target=None):
            if name == "django" or name.startswith("django."):
                raise ImportError("django must not be imported by screening")
            return None

    assert "django" not in sys.modules
    sys.meta_path.insert(0, BlockDjango())
"""


def test_matching_core_imports_and_scores_without_django():
    result = run_isolated(
        BLOCK_DJANGO
        + """
    from readmit.screening.matching import Index, Record, score
    index = Index([Record("W1", "Јован Петровић")])
    assert index.query(Record("L1", "Jovan Petrovic"))
    assert score(Record("a", "Xhevat Lumi"), Record("b", "Dževat Lumi")).score > 0.8
    assert not any(m == "django" or m.startswith("django.") for m in sys.modules)
    print("ok")
    """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_screening_cli_module_imports_without_django():
    result = run_isolated(
        BLOCK_DJANGO
        + """
    import readmit.screening.cli
    import readmit.screening.matching.batch
    assert not any(m == "django" or m.startswith("django.") for m in sys.modules)
    print("ok")
    """
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_the_django_blocker_really_blocks():
    result = run_isolated(
        BLOCK_DJANGO
        + """
    import django
    """
    )
    assert result.returncode != 0
    assert "must not be imported" in result.stderr
