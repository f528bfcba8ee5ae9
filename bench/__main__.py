"""``python -m bench [--quick]``: every benchmark in turn (``make bench`` runs this)."""

from __future__ import annotations

import sys

from bench.demo import main as demo
from bench.screening.run import main as screening

if __name__ == "__main__":
    sys.exit(demo([]) or screening(sys.argv[1:]))
