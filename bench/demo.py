"""``python -m bench.demo``: how long ``readmit demo`` takes, against a baseline of the same run.

The figure is the wall-clock time of loading the fictional demo into a fresh SQLite database
(what ``make demo`` does after migrating). The baseline is ``migrate`` of that same fresh
database, measured in the same run, so the ratio says how the demo load compares with a fixed
amount of database work on this machine today, whatever else the machine is doing. It
replaces the timed assertion the test suite once had (a busy CI machine made it fail).
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    with tempfile.TemporaryDirectory() as var:
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.dev"
        os.environ["READMIT_VAR_DIR"] = var
        os.environ["READMIT_MEDIA_ROOT"] = str(Path(var) / "attachments")
        os.environ.pop("DATABASE_URL", None)
        import django

        django.setup()
        logging.getLogger("django_tasks").setLevel(logging.WARNING)
        from django.core.management import call_command

        from readmit.audit.models import AuditEvent
        from readmit.cases.models import Case
        from readmit.demo.load import demo_load

        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        migrate_s = time.perf_counter() - started

        started = time.perf_counter()
        demo_load()
        demo_s = time.perf_counter() - started

        cases = Case.objects.count()
        events = AuditEvent.objects.count()
    print("== demo load (SQLite, fresh database) ==")
    print(f"baseline  migrate            {migrate_s:8.2f} s")
    ratio = demo_s / migrate_s
    per_case_ms = demo_s / max(cases, 1) * 1000
    print(f"demo      readmit demo       {demo_s:8.2f} s   ratio {ratio:5.2f}x baseline")
    print(f"          {cases} cases, {events} audit events, {per_case_ms:.1f} ms a case")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
