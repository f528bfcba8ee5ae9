"""The file parsers are plain Python: they run in the CLI and in tasks without Django."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_importers_and_the_matching_core_load_without_django():
    code = (
        "import sys; sys.modules['django'] = None; "
        "import readmit.screening.importers as im; "
        "print(len(im.parse(b'id,name\\nA,Ana Lumi\\n', fmt='csv', filename='x').rows))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"
