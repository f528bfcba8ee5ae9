"""``python -m bench [--quick]``: every benchmark in turn (``make bench`` runs this)."""

from __future__ import annotations

import sys

from bench.demo import main as demo
from bench.lists import main as lists
from bench.screening.run import main as screening

if __name__ == "__main__":
    quick = "--quick" in sys.argv[1:]
    sys.exit(demo([]) or lists(["--people", "2000"] if quick else []) or screening(sys.argv[1:]))
