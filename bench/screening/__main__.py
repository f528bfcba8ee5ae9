"""``python -m bench.screening [--quick]``: see bench/screening/run.py."""

from __future__ import annotations

import sys

from bench.screening.run import main

sys.exit(main())
