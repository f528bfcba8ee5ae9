"""``python -m bench [--quick]``: every benchmark in turn (``make bench`` runs this)."""

from __future__ import annotations

import sys

from bench.screening.run import main as screening

if __name__ == "__main__":
    sys.exit(screening(sys.argv[1:]))
